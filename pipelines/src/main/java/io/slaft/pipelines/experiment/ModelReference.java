package io.slaft.pipelines.experiment;

import io.slaft.files.CorruptFileException;
import io.slaft.model.export.CompactModel;
import io.slaft.model.export.ExportManifest;
import io.slaft.model.export.WeightFile;
import io.slaft.pipelines.tracking.TrackingSettings;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.mlflow.RegisteredModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code --model} names, resolved to an export directory — the one rule every command that
 * reads a model ({@code predict}, {@code robustness}, {@code bench inference}, {@code export}) uses.
 *
 * <p>Accepted: an export directory (it has {@code export.json}); a run directory of {@code slaft
 * train} or {@code slaft run} (its export {@code model/<point>}: the point given, else its only
 * point — several points without one named is an error listing them); a model registry reference,
 * {@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS}, downloaded and verified.
 */
public final class ModelReference {
  /** The {@code --model} help text, shared by every command that takes one. */
  public static final String HELP = "An export directory (slaft export), a run directory (slaft train / slaft run: "
      + "its export of --point, or of its only point), or a registered model: models:/NAME/VERSION or models:/NAME@ALIAS.";
  /** The {@code --point} help text of those commands. */
  public static final String POINT_HELP = "Sweep point whose export a run directory --model serves (needed when it has several).";

  /** The {@code --tracking-uri} help text of commands that resolve {@code models:/} references. */
  public static final String TRACKING_URI_HELP = "MLflow server that resolves a models:/ --model "
      + "(default: the local server if running, else MLFLOW_TRACKING_URI).";

  private ModelReference() {}

  /** True when {@code dir} is an export directory. */
  public static boolean isExport(Path dir) {
    return Files.isRegularFile(dir.resolve(ExportManifest.FILE));
  }

  /**
   * The export directory {@code given} names.
   *
   * @param point the sweep point of a run directory, or null for "its only one"
   * @throws IllegalArgumentException naming {@code given}, what it is, and what to pass instead
   */
  public static Path exportDir(Path given, String point) {
    return exportDir(given, point, null);
  }

  /** As {@link #exportDir(Path, String)}, resolving a {@code models:/} reference on {@code trackingUri} (null: auto). */
  public static Path exportDir(Path given, String point, String trackingUri) {
    return RegisteredModels.isReference(given.toString()) ? registered(given.toString(), trackingUri).dir()
        : localExportDir(given, point);
  }

  /**
   * A resolved {@code --model}: the export directory, and the model's version — the registry's
   * version number for a {@code models:/} reference, else {@code sha256:} and the first 16 hex
   * digits of the export's weights (the same files always give the same version).
   */
  public record Resolved(Path dir, String version) {}

  /** {@link #exportDir(Path, String, String)} with the model's version. */
  public static Resolved resolve(Path given, String point, String trackingUri) {
    String text = given.toString();
    if (RegisteredModels.isReference(text)) {
      return registered(text, trackingUri);
    }
    Path dir = localExportDir(given, point);
    return new Resolved(dir, "sha256:" + weightsDigest(dir).substring(0, 16));
  }

  private static String weightsDigest(Path dir) {
    try (java.io.InputStream in = Files.newInputStream(dir.resolve(io.slaft.model.export.WeightFile.NAME))) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the weights of " + dir + ": " + e.getMessage(), e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path localExportDir(Path given, String point) {
    if (isExport(given)) {
      return given;
    }
    if (!Files.exists(given)) {
      throw new IllegalArgumentException("--model " + given + " does not exist; pass an export directory or a run directory");
    }
    Path models = given.resolve("model");
    List<String> points = exportedPoints(models);
    if (point != null) {
      if (points.contains(point)) {
        return ExperimentSession.exportDir(given, point);
      }
      throw new IllegalArgumentException("run directory " + given + " has no export of point '" + point + "'"
          + (points.isEmpty() ? "" : "; it has exports of " + points));
    }
    if (points.size() == 1) {
      return ExperimentSession.exportDir(given, points.get(0));
    }
    if (points.size() > 1) {
      throw new IllegalArgumentException("run directory " + given + " has exports of " + points.size() + " points " + points
          + "; name one with --point P (or pass " + models + "/P)");
    }
    if (Files.isRegularFile(given.resolve("config.resolved.yaml"))) {
      throw new IllegalArgumentException("run directory " + given + " has no export (model/<point>/" + ExportManifest.FILE
          + "); write one with slaft export --model " + given + " --out DIR");
    }
    throw new IllegalArgumentException("--model " + given + " is neither an export directory (no " + ExportManifest.FILE
        + ") nor a run directory (no config.resolved.yaml)");
  }

  /**
   * A registry reference's export: resolved on the tracking server ({@code tracking.uri = auto}:
   * the local server, else MLFLOW_TRACKING_URI), downloaded once per version into
   * {@code <slaft.home>/.slaft/registry-cache/<name>/<version>-<digest>} ({@code RegisteredModels.cacheEntry}: a
   * version of the same number from another server or a re-created model is another entry) and verified (the sealed weights'
   * checksum and the manifest); a cached copy that fails verification is downloaded again.
   */
  static Resolved registered(String reference, String trackingUri) {
    RegisteredModels.checkReference(reference);
    String uri = trackingUri != null ? trackingUri : TrackingSettings.autoUri();
    if (uri == null) {
      throw new IllegalArgumentException("--model " + reference + " needs an MLflow server: set MLFLOW_TRACKING_URI "
          + "or start one with ./slaft mlflow server start");
    }
    TrackingConfig config = TrackingConfig.fromEnv("slaft", Path.of(System.getProperty("java.io.tmpdir")), System.getenv())
        .withTrackingUri(TrackingConfig.parseTrackingUri("MLFLOW_TRACKING_URI", uri));
    RegisteredModels registry = RegisteredModels.of(config);
    Path cache = Path.of(System.getProperty("slaft.home", ".")).toAbsolutePath().resolve(".slaft").resolve("registry-cache");
    try {
      RegisteredModels.Fetched fetched = registry.fetch(reference, cache, false);
      try {
        verify(fetched.dir());
      } catch (CorruptFileException e) {
        fetched = registry.fetch(reference, cache, true);
        verify(fetched.dir());
      }
      System.err.println("--model " + reference + ": version " + fetched.version() + " of '" + fetched.name() + "' (run "
          + fetched.runId() + "), verified, in " + fetched.dir());
      return new Resolved(fetched.dir(), fetched.version());
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Checks an export's sealed weights and its manifest; throws {@link CorruptFileException} on a mismatch. */
  public static void verify(Path exportDir) throws IOException {
    WeightFile.read(exportDir.resolve(WeightFile.NAME));
    CompactModel.manifest(exportDir);
  }

  private static List<String> exportedPoints(Path models) {
    if (!Files.isDirectory(models)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(models)) {
      return s.filter(ModelReference::isExport).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + models, e);
    }
  }
}
