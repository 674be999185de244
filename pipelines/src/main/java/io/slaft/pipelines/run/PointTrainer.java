package io.slaft.pipelines.run;

import com.fasterxml.jackson.core.type.TypeReference;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ConsoleProgress;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.experiment.PreparedData;
import io.slaft.pipelines.experiment.Provenance;
import io.slaft.transforms.cache.CacheKey;
import io.slaft.transforms.cache.FileStepCache;
import io.slaft.transforms.sweep.SweepPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains one sweep point, through the step cache: a point whose resolved config, data and code
 * version were trained before is not trained again (unless forced) and says so.
 */
public final class PointTrainer {
  private PointTrainer() {}

  /** The outcome: JSON run records and whether they came from the cache. */
  public record Outcome(String recordsJson, boolean cacheHit) {}

  public static Outcome train(ExperimentConfig base, SweepPoint point, Path out, boolean noCache, PointObserver observer) {
    return train(base, point, out, noCache, observer, null);
  }

  /** As above; tasks are read from {@code prepared} (the pipeline's prepare stage) when it covers the point. */
  public static Outcome train(ExperimentConfig base, SweepPoint point, Path out, boolean noCache, PointObserver observer,
      PreparedData prepared) {
    ExperimentConfig c = base.with(point.overrides());
    try {
      FileStepCache cache = FileStepCache.open(out.resolve("cache"));
      if (noCache) {
        cache = cache.forcingRerun();
      }
      CacheKey key = CacheKey.builder("train").params(c.resolved()).input(dataKey(c)).codeVersion(Provenance.currentCommit()).build();
      Optional<String> hit = cache.lookupJson(key);
      if (hit.isPresent()) {
        System.err.printf("[%s] cache hit (key %s): reusing the trained result; --no-cache retrains%n", point.label(),
            key.hex().substring(0, 12));
        return new Outcome(hit.get(), true);
      }
      ExperimentRunner.PointResult r = ExperimentRunner.train(c, out, point.id(), point.overrides(),
          observer.listener(point, c, new ConsoleProgress(System.err, c.get(ConfigKeys.NAME) + " " + point.label())), prepared);
      String json = ExperimentRunner.json().writeValueAsString(r.records());
      observer.finished(point, c, r);
      if (!key.codeVersion().endsWith("-dirty") && !key.codeVersion().equals("unknown")) {
        cache.storeJson(key, json);
      }
      return new Outcome(json, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String dataKey(ExperimentConfig c) {
    return String.join(",", c.get(ConfigKeys.TASKS)) + "@" + c.get(ConfigKeys.DATA_DIR) + "/" + c.get(ConfigKeys.DATA_TRAIN_LIMIT) + "/" + c.get(ConfigKeys.DATA_DEV_LIMIT);
  }

  /** Parses the records JSON back. */
  public static List<Map<String, Object>> records(String json) {
    try {
      return ExperimentRunner.json().readValue(json, new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
