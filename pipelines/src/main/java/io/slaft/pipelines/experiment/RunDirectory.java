package io.slaft.pipelines.experiment;

import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ExperimentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads back what {@code slaft train} and {@code slaft run} left in a run directory: the resolved
 * config ({@code config.resolved.yaml}) and, from {@code summary.json}, each sweep point's
 * overrides, so a point can be rebuilt exactly as it was trained.
 */
public final class RunDirectory {
  private RunDirectory() {}

  /**
   * The config point {@code pointId} of the run in {@code dir} was trained with: the resolved
   * config plus the point's overrides as recorded in {@code summary.json} (none for {@code main}).
   *
   * @throws ConfigException when the directory is not a run directory or has no such point, naming the points it has
   */
  @SuppressWarnings("unchecked")
  public static ExperimentConfig pointConfig(Path dir, String pointId) {
    Path cfg = dir.resolve("config.resolved.yaml");
    if (!Files.isRegularFile(cfg)) {
      throw new ConfigException(cfg + " not found: " + dir + " is not the output directory of slaft train or slaft run");
    }
    ExperimentConfig base = ExperimentConfig.load(cfg);
    Path summary = dir.resolve(RunSummary.SUMMARY_FILE);
    if (!Files.isRegularFile(summary)) {
      if (pointId.equals("main")) {
        return base;
      }
      throw new ConfigException(summary + " not found: cannot tell the overrides of point " + pointId);
    }
    try {
      Map<String, Object> s = RunSummary.json().readValue(summary.toFile(), Map.class);
      TreeSet<String> points = new TreeSet<>();
      for (Map<String, Object> r : (List<Map<String, Object>>) s.get("runs")) {
        points.add(String.valueOf(r.get("point_id")));
        if (pointId.equals(r.get("point_id"))) {
          return base.with(new LinkedHashMap<>((Map<String, String>) r.get("overrides")));
        }
      }
      throw new ConfigException(dir + " has no point '" + pointId + "'; its points are " + points + " (--point)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + summary, e);
    }
  }
}
