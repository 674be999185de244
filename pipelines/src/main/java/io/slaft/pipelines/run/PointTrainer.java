package io.slaft.pipelines.run;

import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ConsoleProgress;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.experiment.PreparedData;
import io.slaft.pipelines.experiment.Provenance;
import io.slaft.pipelines.experiment.Specs;
import io.slaft.model.train.StopRule;
import io.slaft.transforms.cache.CacheKey;
import io.slaft.transforms.cache.FileStepCache;
import io.slaft.transforms.stopping.FileRungStore;
import io.slaft.transforms.stopping.RungStopRule;
import io.slaft.transforms.stopping.RungStore;
import io.slaft.transforms.sweep.SweepPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Trains one sweep point, through the step cache: a point whose resolved config, data and code
 * version were trained before is not trained again (unless forced) and says so; its observer is
 * told ({@link PointObserver#cached}) so that tracking records it from what the cache keeps.
 */
public final class PointTrainer {
  private PointTrainer() {}

  public static PointRecords train(ExperimentConfig base, SweepPoint point, Path out, boolean noCache, PointObserver observer) {
    return train(base, point, out, noCache, observer, null);
  }

  /**
   * As above; tasks are read from {@code prepared} (the pipeline's prepare stage) when it covers the
   * point. The records are in their stored (JSON) form whether trained now or taken from the cache,
   * so both give the same summary.
   */
  public static PointRecords train(ExperimentConfig base, SweepPoint point, Path out, boolean noCache, PointObserver observer,
      PreparedData prepared) {
    ExperimentConfig c = base.with(point.overrides());
    try {
      FileStepCache cache = FileStepCache.open(out.resolve("cache"));
      if (noCache) {
        cache = cache.forcingRerun();
      }
      CacheKey key = cacheKey(c);
      Optional<String> hit = cache.lookupJson(key);
      if (hit.isPresent()) {
        System.err.printf("[%s] cache hit (key %s): reusing the trained result; --no-cache retrains%n", point.label(),
            key.hex().substring(0, 12));
        PointRecords cached = new PointRecords(point.id(), true, PointRecords.parse(hit.get()));
        observer.cached(point, c, cached.records(), io.slaft.pipelines.experiment.ExperimentSession.exportDir(out, point.id()));
        return cached;
      }
      StopRule stop = RungStopRule.of(Specs.earlyStopping(c), observer.rungStore(base, out), point.id());
      ExperimentRunner.PointResult r = ExperimentRunner.train(c, out, point.id(), point.overrides(),
          observer.listener(point, c, new ConsoleProgress(System.err, c.get(ConfigKeys.NAME) + " " + point.label())), prepared,
          stop);
      if (r.result().stoppedEarly() != null) {
        StopRule.Stop s = r.result().stoppedEarly();
        System.err.printf("[%s] stopped early at step %d of %d (%s); its best step is kept, evaluated on dev and exported%n",
            point.label(), s.step(), r.result().spec().steps(), s.reason());
      }
      String json = ExperimentRunner.json().writeValueAsString(r.records());
      observer.finished(point, c, r);
      if (!key.codeVersion().endsWith("-dirty") && !key.codeVersion().equals("unknown")) {
        cache.storeJson(key, json);
      }
      return new PointRecords(point.id(), false, PointRecords.parse(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The file rung store of the sweep {@code base}: {@code <out>/rungs/<config hash>/}, so a
   * sweep run again into the same directory compares with the scores of the same configuration (which are the
   * same, given the same seeds and threads), and a changed sweep starts afresh.
   */
  public static RungStore fileRungStore(ExperimentConfig base, Path out) {
    return FileRungStore.at(out.resolve("rungs").resolve(base.hash().substring(0, 12)));
  }

  /**
   * The step-cache key of a point's config: what is trained ({@link ExperimentConfig#trained}: not
   * where it is tracked or registered, so turning tracking or {@code registry.model} on for a sweep
   * already run reuses its points and {@link PointObserver#cached} records them), the data and the
   * code version.
   */
  static CacheKey cacheKey(ExperimentConfig c) {
    // The precision as resolved here: backbone.precision = auto trains differently on CPUs with and without bf16.
    return CacheKey.builder("train").params(c.trained()).input(dataKey(c) + "/" + Specs.precision(c).id())
        .codeVersion(Provenance.currentCommit()).build();
  }

  private static String dataKey(ExperimentConfig c) {
    return String.join(",", c.get(ConfigKeys.TASKS)) + "@" + c.get(ConfigKeys.DATA_DIR) + "/" + c.get(ConfigKeys.DATA_TRAIN_LIMIT) + "/" + c.get(ConfigKeys.DATA_DEV_LIMIT);
  }
}
