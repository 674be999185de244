package io.slaft.model.backbone;

import io.slaft.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Backbones that ship on Maven Central (inside langchain4j embedding artifacts) and so load with
 * no network at run time. Their files are copied once from the class path into the slaft cache
 * ({@code $SLAFT_CACHE} or {@code ~/.cache/slaft}) so they can be memory-mapped.
 */
public enum BuiltinBackbone {
  /** all-MiniLM-L6-v2: 6 layers, hidden 384; sentence-transformers mean pooling. */
  MINILM_L6("minilm-l6", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", Pooling.MEAN),
  /** bge-small-en-v1.5: 12 layers, hidden 384; CLS pooling. */
  BGE_SMALL("bge-small", "bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json", Pooling.CLS);

  private final String id;
  private final String onnxResource;
  private final String tokenizerResource;
  private final Pooling pooling;

  BuiltinBackbone(String id, String onnxResource, String tokenizerResource, Pooling pooling) {
    this.id = id;
    this.onnxResource = onnxResource;
    this.tokenizerResource = tokenizerResource;
    this.pooling = pooling;
  }

  /** Short name used in configs and on the command line ({@code minilm-l6}, {@code bge-small}). */
  public String id() {
    return id;
  }

  /** The pooling the model was trained with. */
  public Pooling pooling() {
    return pooling;
  }

  /** Finds a built-in by id; the error lists the known ids. */
  public static BuiltinBackbone byId(String id) {
    for (BuiltinBackbone b : values()) {
      if (b.id.equals(id.toLowerCase(Locale.ROOT))) {
        return b;
      }
    }
    throw new IllegalArgumentException("unknown backbone '" + id + "'; built-in backbones are "
        + Arrays.stream(values()).map(BuiltinBackbone::id).collect(Collectors.joining(", "))
        + ", or load any BERT-family ONNX export from its model file and tokenizer.json");
  }

  /** Local path of the ONNX file, extracted on first use. */
  public Path onnxFile() {
    return extract(onnxResource);
  }

  /** Local path of the tokenizer.json, extracted on first use. */
  public Path tokenizerFile() {
    return extract(tokenizerResource);
  }

  private Path extract(String resource) {
    URL url = BuiltinBackbone.class.getClassLoader().getResource(resource);
    Path dir = cacheDir().resolve("models").resolve(id);
    Path target = dir.resolve(resource);
    if (url == null) {
      throw new ModelFileException(target, "resource '" + resource + "' is not on the class path",
          "build with the default Maven dependencies (the langchain4j embeddings artifact for " + id + ")");
    }
    try {
      URLConnection conn = url.openConnection();
      long size = conn.getContentLengthLong();
      if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
        return target;
      }
      AtomicFiles.to(target).write(out -> {
        try (InputStream in = conn.getInputStream()) {
          in.transferTo(out);
        }
      });
      return target;
    } catch (IOException e) {
      throw new ModelFileException(target, "cannot extract the built-in model: " + e.getMessage(),
          "make $SLAFT_CACHE (or ~/.cache/slaft) writable", e);
    }
  }

  /** The slaft cache directory. */
  public static Path cacheDir() {
    String env = System.getenv("SLAFT_CACHE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "slaft");
  }
}
