package io.slaft.pipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.pipelines.champion.ChampionChoice;
import io.slaft.pipelines.champion.ChampionRule;
import io.slaft.pipelines.champion.ChampionStage;
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
 * The sweep's champion per task, and the registry alias that marks it. The champion is the one {@code summary.json}'s
 * {@code champion} section names ({@link ChampionStage}: Pareto front over validation metric and active parameters,
 * robustness, {@code champion.*} rule); a summary without that section (a single run, or one written before it
 * existed) gets the same choice without robustness ({@link ChampionChoice}): the highest validation metric
 * ({@code validation_metrics}, else dev {@code metrics}) within {@code champion.max_compression}, ties to fewer active
 * parameters, then to summary order, points early stopping ended only when every point was stopped. The official dev
 * figure plays no part when a validation split exists. With {@code registry.model} set, {@code registry.alias}
 * (default {@code champion}) is pointed at the version registered from that point's child run, and the parent run is
 * tagged {@code slaft.champion.<task>} = point id, {@code <task>} as written in {@code tasks}.
 */
public final class Champions {
  private Champions() {}

  /**
   * Task → point id of each task's champion in {@code summary}, keyed by the task as written in the config's
   * {@code tasks} (summary.json shows {@code SST-2}, run keys and tags use {@code sst2}).
   */
  public static Map<String, String> choose(ExperimentConfig config, Path summary) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(summary));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + summary, e);
    }
    Map<String, String> best = new LinkedHashMap<>();
    JsonNode section = root.path(ChampionStage.SECTION).path("tasks");
    if (section.isArray() && !section.isEmpty()) {
      section.forEach(t -> best.put(t.path("task").asText(), t.path("champion").asText()));
    } else {
      ChampionRule rule = ChampionRule.from(config);
      ChampionRule sizeOnly = new ChampionRule(false, rule.maxCompression(), 0, rule.dropAt());
      ChampionStage.candidates(root).forEach((task, points) ->
          best.put(task, ChampionChoice.choose(task, "", points, sizeOnly, Map.of()).champion()));
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
