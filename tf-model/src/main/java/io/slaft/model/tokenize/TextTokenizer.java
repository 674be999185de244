package io.slaft.model.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.model.backbone.ModelFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A HuggingFace {@code tokenizer.json} (WordPiece for BERT-family models) run through DJL's native
 * tokenizers: truncation to {@code maxLength} (longest-first for pairs), no padding (batches pad
 * dynamically, see {@link TokenBatch}). Thread-safe; one instance may serve every thread of a JVM.
 */
public final class TextTokenizer implements AutoCloseable {
  private final Path file;
  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final int vocabSize;
  private final int padId;
  private final int clsId;
  private final int sepId;
  private final int unkId;
  private final int maskId;

  private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer, int maxLength, Map<String, Integer> special,
      int vocabSize) {
    this.file = file;
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.vocabSize = vocabSize;
    this.padId = special.get("[PAD]");
    this.clsId = special.get("[CLS]");
    this.sepId = special.get("[SEP]");
    this.unkId = special.get("[UNK]");
    this.maskId = special.get("[MASK]");
  }

  /**
   * Loads {@code file}. Fails with a {@link ModelFileException} naming the file when it is
   * missing, not a tokenizer.json, or lacks the BERT special tokens.
   */
  public static TextTokenizer load(Path file, int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
    }
    if (!Files.isRegularFile(file)) {
      throw new ModelFileException(file, "tokenizer file not found",
          "pass the tokenizer.json exported with the model (--tokenizer FILE)");
    }
    JsonNode vocab;
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      vocab = root.path("model").path("vocab");
    } catch (IOException e) {
      throw new ModelFileException(file, "not a readable tokenizer.json: " + e.getMessage(),
          "pass the tokenizer.json exported with the model (--tokenizer FILE)", e);
    }
    if (!vocab.isObject() || vocab.size() == 0) {
      throw new ModelFileException(file, "no model.vocab in tokenizer.json (only WordPiece/BERT tokenizers are supported)",
          "pass the BERT tokenizer.json exported with the model");
    }
    int maxId = -1;
    var it = vocab.fields();
    while (it.hasNext()) {
      maxId = Math.max(maxId, it.next().getValue().asInt());
    }
    Map<String, Integer> special = new java.util.HashMap<>();
    for (String s : new String[] {"[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"}) {
      JsonNode id = vocab.get(s);
      if (id == null) {
        throw new ModelFileException(file, "special token " + s + " missing from the vocabulary",
            "use the BERT-family tokenizer that belongs to the model");
      }
      special.put(s, id.asInt());
    }
    try {
      HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder()
          .optTokenizerPath(file)
          .optMaxLength(maxLength)
          .optTruncation(true)
          .optPadding(false)
          .optAddSpecialTokens(true)
          .build();
      return new TextTokenizer(file, tok, maxLength, special, maxId + 1);
    } catch (IOException | RuntimeException e) {
      throw new ModelFileException(file, "DJL cannot load the tokenizer: " + e.getMessage(),
          "pass a valid HuggingFace tokenizer.json", e);
    }
  }

  /** Encodes one text. */
  public Encoded encode(String text) {
    return convert(tokenizer.encode(text));
  }

  /** Encodes a sentence pair ([CLS] a [SEP] b [SEP], type ids 0 then 1). */
  public Encoded encode(String text, String pair) {
    if (pair == null) {
      return encode(text);
    }
    return convert(tokenizer.encode(text, pair));
  }

  private static Encoded convert(Encoding e) {
    long[] ids = e.getIds();
    long[] types = e.getTypeIds();
    int[] i = new int[ids.length];
    int[] t = new int[ids.length];
    for (int k = 0; k < ids.length; k++) {
      i[k] = (int) ids[k];
      t[k] = (int) types[k];
    }
    return new Encoded(i, t);
  }

  /** Fails when this tokenizer can emit ids outside an embedding table of {@code rows} rows. */
  public void checkFits(int rows, Path modelFile) {
    if (vocabSize > rows) {
      throw new ModelFileException(file, "the vocabulary has " + vocabSize + " tokens but the model "
          + modelFile + " embeds only " + rows, "use the tokenizer.json that belongs to that model");
    }
  }

  public Path file() {
    return file;
  }

  public int maxLength() {
    return maxLength;
  }

  public int vocabSize() {
    return vocabSize;
  }

  public int padId() {
    return padId;
  }

  public int clsId() {
    return clsId;
  }

  public int sepId() {
    return sepId;
  }

  public int unkId() {
    return unkId;
  }

  public int maskId() {
    return maskId;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
