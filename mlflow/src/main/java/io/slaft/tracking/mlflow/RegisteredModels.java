package io.slaft.tracking.mlflow;

import io.slaft.files.AtomicFiles;
import io.slaft.files.FileWriteException;
import io.slaft.tracking.ModelVersionSpec;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.mlflow.MlflowApi.ArtifactFile;
import io.slaft.tracking.mlflow.MlflowApi.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the model registry: resolves {@code models:/NAME/VERSION} and {@code models:/NAME@ALIAS}
 * to a version and downloads that version's files through the artifacts API into a local cache,
 * {@code <cache>/<name>/<version>-<digest of run id and source>/} ({@link #cacheEntry}), published as
 * a whole directory (a reader sees all files or no directory). A cached version is reused: versions
 * are immutable; aliases are resolved on every call. The caller verifies the files (an export verifies its own digests).
 */
public final class RegisteredModels {

  /** The reference forms accepted, for help texts and error messages. */
  public static final String FORMS = "models:/NAME/VERSION or models:/NAME@ALIAS";

  private static final Pattern REFERENCE = Pattern.compile(
      "models:/(" + ModelVersionSpec.NAME_PATTERN + ")(?:/([0-9]+)|@(" + ModelVersionSpec.ALIAS_PATTERN + "))/?");

  private final MlflowApi api;

  RegisteredModels(MlflowApi api) {
    this.api = api;
  }

  /** A reader of the registry of the server in {@code config} (its URI is required). */
  public static RegisteredModels of(TrackingConfig config) {
    return new RegisteredModels(new MlflowRestApi(config));
  }

  /** Whether {@code text} is meant as a registry reference (starts with {@code models:/}). */
  public static boolean isReference(String text) {
    return text.startsWith("models:/") || text.startsWith("models:");
  }

  /** Refuses a malformed reference before any server is asked, naming the accepted {@link #FORMS}. */
  public static void checkReference(String reference) {
    if (!REFERENCE.matcher(reference).matches()) {
      throw new IllegalArgumentException("'" + reference + "' is not a model registry reference; use " + FORMS);
    }
  }

  /** A resolved version and where its files are. */
  public record Fetched(String name, String version, String runId, String source, Path dir) {}

  /**
   * Resolves {@code reference} and makes sure its files are in {@code cacheRoot}.
   *
   * @param refresh download again even if the version is cached (after a failed verification)
   * @throws IllegalArgumentException for a malformed reference, naming the accepted forms
   * @throws TrackingException when the server does not know the name, version or alias, or fails
   */
  public Fetched fetch(String reference, Path cacheRoot, boolean refresh) throws FileWriteException {
    checkReference(reference);
    Matcher m = REFERENCE.matcher(reference);
    m.matches();
    String name = m.group(1);
    ModelVersion v = m.group(2) != null ? api.modelVersion(name, m.group(2)) : api.modelVersionByAlias(name, m.group(3));
    Path dir = cacheRoot.resolve(name).resolve(cacheEntry(v));
    if (refresh || !Files.isDirectory(dir)) {
      String root = artifactRoot(v);
      AtomicFiles.replaceDirectory(dir, tmp -> download(root, tmp));
    }
    return new Fetched(name, v.version(), v.runId(), v.source(), dir);
  }

  /**
   * The cache entry of a version: its number and a digest of its run id and source, e.g. {@code
   * 3-1f2e3d4c5b6a}. A version is immutable, but its number is not unique: another server, or a
   * model deleted and registered again, has a version 3 of the same name with other files; its run
   * id (a UUID) and source tell them apart, so such a version is never served from the other one's
   * cached files.
   */
  static String cacheEntry(ModelVersion v) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest((v.runId() + "\n" + v.source()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return v.version() + "-" + java.util.HexFormat.of().formatHex(d, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String artifactRoot(ModelVersion v) {
    String source = v.source();
    if (source.startsWith("models:/")) {
      return api.loggedModel(source.substring("models:/".length())).artifactUri();
    }
    if (source.startsWith("mlflow-artifacts:")) {
      return source;
    }
    throw new TrackingException("version " + v.version() + " of '" + v.name() + "' has source " + source
        + ", which slaft cannot download (it reads models:/<logged model id> and mlflow-artifacts:/ sources)", false);
  }

  private void download(String root, Path into) {
    Deque<String> dirs = new ArrayDeque<>();
    dirs.add("");
    int files = 0;
    while (!dirs.isEmpty()) {
      String dir = dirs.poll();
      for (ArtifactFile f : api.listArtifacts(root, dir)) {
        if (f.directory()) {
          dirs.add(f.path());
          continue;
        }
        Path target = into.resolve(f.path()).normalize();
        if (!target.startsWith(into)) {
          throw new TrackingException("artifact path " + f.path() + " escapes the model directory", false);
        }
        try {
          Files.createDirectories(target.getParent());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        api.downloadArtifact(root, f.path(), target);
        files++;
      }
    }
    if (files == 0) {
      throw new TrackingException("no files under " + root + ": the model version has nothing to download", false);
    }
  }
}
