package io.slaft.pipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.model.train.TaskNames;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sweep's best point per task, and the registry alias that marks it. Best = the highest value
 * of the task's primary metric ({@code primary_metric} of each summary record; the first point in
 * summary order wins a tie) on the validation split held out of the training rows ({@code
 * validation_metrics}, with {@code data.validation}), else on dev ({@code metrics}), read from
 * {@code summary.json}, so the choice is the one the report shows and the official dev figure plays
 * no part in it when a validation split exists. Points a sweep's early stopping ended ({@code stopped_early}) win
 * only when every point of the task was stopped. With {@code registry.model} set, {@code registry.alias} (default {@code champion}) is
 * pointed at the version registered from that point's child run, and the parent run is tagged
 * {@code slaft.champion.<task>} = point id, {@code <task>} as written in {@code tasks}.
 */
public final class Champions {
  /** Larger than any metric's range: ranks every point stopped early below every point that was not. */
  private static final double STOPPED_PENALTY = 1e6;

  private Champions() {}

  /**
   * Task → point id of the best record of each task in {@code summary}, keyed by the task as written in the config's
   * {@code tasks} (summary.json shows {@code SST-2}, run keys and tags use {@code sst2}).
   */
  public static Map<String, String> choose(ExperimentConfig config, Path summary) {
    JsonNode runs;
    try {
      runs = new ObjectMapper().readTree(Files.readString(summary)).path("runs");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + summary, e);
    }
    Map<String, String> best = new LinkedHashMap<>();
    Map<String, Double> bestValue = new LinkedHashMap<>();
    for (JsonNode r : runs) {
      String task = r.path("task").asText();
      JsonNode value = r.path(r.has("validation_metrics") ? "validation_metrics" : "metrics")
          .path(r.path("primary_metric").asText());
      if (!value.isNumber()) {
        continue;
      }
      // a point early stopping ended competes only below every point that ran to the end
      double v = value.asDouble() - (r.path("stopped_early").asBoolean(false) ? STOPPED_PENALTY : 0);
      if (!bestValue.containsKey(task) || v > bestValue.get(task)) {
        bestValue.put(task, v);
        best.put(task, r.path("point_id").asText());
      }
    }
    Map<String, String> byConfigTask = new LinkedHashMap<>();
    best.forEach((shown, point) -> byConfigTask.put(configTask(config, shown), point));
    return byConfigTask;
  }

  /** Tags the parent run and, when a registered model is configured, moves the alias to each task's best point. */
  public static Map<String, String> mark(TrackingSettings settings, String parentKey, ExperimentConfig config, Path summary) {
    Map<String, String> best = choose(config, summary);
    Tracker t = settings.tracker();
    Map<String, String> tags = new LinkedHashMap<>();
    best.forEach((task, point) -> tags.put("slaft.champion." + task, point));
    if (!tags.isEmpty()) {
      t.setTags(new RunRef(settings.experiment(), parentKey), tags);
    }
    String model = config.get(ConfigKeys.REGISTRY_MODEL);
    if (!model.isEmpty()) {
      String alias = config.get(ConfigKeys.REGISTRY_ALIAS);
      best.forEach((task, point) ->
          t.setModelAlias(TrackingObserver.child(settings.experiment(), parentKey, point, task), model, alias));
    }
    return best;
  }

  /** The {@code tasks} entry that summary.json's display name ({@code SST-2}) stands for ({@code sst2}): run keys use it. */
  private static String configTask(ExperimentConfig config, String shown) {
    return TaskNames.find(config.get(ConfigKeys.TASKS), shown).orElseThrow(() -> new IllegalStateException(
        "summary.json names task '" + shown + "', which is not in tasks " + config.get(ConfigKeys.TASKS)));
  }
}
