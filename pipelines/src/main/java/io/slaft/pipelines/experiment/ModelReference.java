package io.slaft.pipelines.experiment;

import io.slaft.model.export.ExportManifest;
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
 * point — several points without one named is an error listing them). {@code models:/} references
 * are refused with a message until the model registry exists.
 */
public final class ModelReference {
  /** The {@code --model} help text, shared by every command that takes one. */
  public static final String HELP = "An export directory (slaft export), or a run directory (slaft train / slaft run: "
      + "its export of --point, or of its only point).";
  /** The {@code --point} help text of those commands. */
  public static final String POINT_HELP = "Sweep point whose export a run directory --model serves (needed when it has several).";

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
    String text = given.toString();
    if (text.startsWith("models:")) {
      throw new IllegalArgumentException("--model " + text + ": models:/ references need the MLflow model registry, "
          + "which this slaft does not have yet; pass an export directory or a run directory");
    }
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
