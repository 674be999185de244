package io.slaft.transforms.cache;

import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slaft.files.AtomicFiles;
import io.slaft.files.CorruptFileException;
import io.slaft.files.SealedJson;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StepCache} in a local (or shared POSIX) directory.
 *
 * <p>Layout: {@code <root>/<hh>/<hex>/result/} plus {@code key.json} (stage, parameters, inputs,
 * code version) for directory results, and {@code <root>/<hh>/<hex>.json} for JSON results, where
 * {@code hh} is the key's first two hex digits. Entries are assembled under {@code <root>/.tmp/}
 * and published with an atomic rename on the same file system. A crash leaves at most stray
 * directories under {@code .tmp}, never a partial entry. Entries carry checksums written last
 * ({@link SealedJson}: JSON results hold the exact text and its checksum, directory results as the SHA-256 of every file in
 * {@code key.json}) and are verified on lookup: a corrupt entry is a {@link CorruptFileException}
 * naming the file, never a silent hit. Thread-safe and multi-process-safe.
 */
public final class FileStepCache implements StepCache {
  private static final Logger LOG = LoggerFactory.getLogger(FileStepCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final boolean forcing;

  private FileStepCache(Path root, boolean forcing) {
    this.root = root.toAbsolutePath().normalize();
    this.forcing = forcing;
  }

  /** A cache in {@code root}, created if missing. */
  public static FileStepCache open(Path root) throws IOException {
    Files.createDirectories(checkNotNull(root, "root").resolve(".tmp"));
    return new FileStepCache(root, false);
  }

  /** A copy that ignores existing entries and replaces them with fresh results ({@code --no-cache}). */
  public FileStepCache forcingRerun() {
    return new FileStepCache(root, true);
  }

  public Path root() {
    return root;
  }

  @Override
  public boolean forcing() {
    return forcing;
  }

  private Path entryDir(CacheKey key) {
    return root.resolve(key.hex().substring(0, 2)).resolve(key.hex());
  }

  private Path entryJson(CacheKey key) {
    return root.resolve(key.hex().substring(0, 2)).resolve(key.hex() + ".json");
  }

  private Path newTemp() throws IOException {
    Path tmp = root.resolve(".tmp").resolve(UUID.randomUUID().toString());
    Files.createDirectories(tmp);
    return tmp;
  }

  @Override
  public Optional<Path> lookupDir(CacheKey key) throws IOException {
    Path result = entryDir(key).resolve("result");
    if (!forcing && Files.isDirectory(result)) {
      verifyDir(entryDir(key));
      LOG.info("cache HIT {} -> {}", key, result);
      return Optional.of(result);
    }
    return Optional.empty();
  }

  /** Checks every file of a directory entry against the checksums its {@code key.json} recorded. */
  private static void verifyDir(Path entry) throws IOException {
    Path manifest = entry.resolve("key.json");
    String remedy = "delete " + entry + " (the step is recomputed) or run with --no-cache";
    ObjectNode m = SealedJson.read(manifest, remedy);
    Map<String, String> recorded = new TreeMap<>();
    m.path("files").fields().forEachRemaining(e -> recorded.put(e.getKey(), e.getValue().asText()));
    Map<String, String> actual = checksums(entry.resolve("result"));
    if (!recorded.equals(actual)) {
      for (Map.Entry<String, String> e : recorded.entrySet()) {
        if (!e.getValue().equals(actual.get(e.getKey()))) {
          throw new CorruptFileException(entry.resolve("result").resolve(e.getKey()),
              actual.containsKey(e.getKey()) ? "content checksum mismatch" : "missing from the cache entry", remedy);
        }
      }
      Set<String> extra = new TreeSet<>(actual.keySet());
      extra.removeAll(recorded.keySet());
      throw new CorruptFileException(entry.resolve("result").resolve(extra.iterator().next()), "not part of the cache entry", remedy);
    }
  }

  /** SHA-256 of every regular file under {@code dir}, by relative path ('/'-separated). */
  private static Map<String, String> checksums(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        out.put(dir.relativize(f).toString().replace('\\', '/'), sha256(f));
      }
    }
    return out;
  }

  private static String sha256(Path f) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Path storeDir(CacheKey key, DirProducer producer) throws IOException {
    Path tmp = newTemp();
    try {
      Path result = tmp.resolve("result");
      Files.createDirectory(result);
      producer.produce(result);
      SealedJson.write(tmp.resolve("key.json"), manifest(key, checksums(result)));
      Path entry = entryDir(key);
      Files.createDirectories(entry.getParent());
      if (forcing && Files.exists(entry)) {
        Path trash = root.resolve(".tmp").resolve("old-" + UUID.randomUUID());
        try {
          Files.move(entry, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException raced) {
          trash = null;
        }
        publish(tmp, entry, key);
        if (trash != null) {
          AtomicFiles.deleteTree(trash);
        }
      } else {
        publish(tmp, entry, key);
      }
      LOG.info("cache {} {} -> {}", forcing ? "FORCED" : "MISS", key, entry.resolve("result"));
      return entry.resolve("result");
    } finally {
      AtomicFiles.deleteTree(tmp);
    }
  }

  private static void publish(Path tmp, Path entry, CacheKey key) throws IOException {
    try {
      Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      if (!Files.isDirectory(entry.resolve("result"))) {
        throw e;
      }
      LOG.info("cache entry {} was published concurrently; keeping the existing one", key);
    }
  }

  @Override
  public Optional<String> lookupJson(CacheKey key) throws IOException {
    Path p = entryJson(key);
    if (forcing || !Files.isRegularFile(p)) {
      return Optional.empty();
    }
    ObjectNode doc = SealedJson.read(p, "delete it (the step is recomputed) or run with --no-cache");
    LOG.info("cache HIT {} -> {}", key, p);
    return Optional.of(doc.get("json").asText());
  }

  @Override
  public void storeJson(CacheKey key, String json) throws IOException {
    checkNotNull(json, "json");
    Path tmp = newTemp();
    try {
      Path file = tmp.resolve("result.json");
      ObjectNode doc = JSON.createObjectNode();
      doc.put("key", key.hex());
      doc.put("json", json);
      SealedJson.write(file, doc);
      Path target = entryJson(key);
      Files.createDirectories(target.getParent());
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      LOG.info("cache {} {} -> {}", forcing ? "FORCED" : "MISS", key, target);
    } finally {
      AtomicFiles.deleteTree(tmp);
    }
  }

  private static ObjectNode manifest(CacheKey key, Map<String, String> files) {
    ObjectNode n = JSON.createObjectNode();
    n.put("key", key.hex());
    n.put("stage", key.stage());
    ObjectNode params = n.putObject("params");
    key.params().forEach(params::put);
    key.inputs().forEach(n.putArray("inputs")::add);
    n.put("codeVersion", key.codeVersion());
    ObjectNode sums = n.putObject("files");
    files.forEach(sums::put);
    return n;
  }

  @Override
  public String toString() {
    return "FileStepCache{" + root + (forcing ? ", forcing" : "") + "}";
  }
}
