package io.slaft.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.train.TrainListener;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.config.SweepPoints;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.experiment.ExperimentSession;
import io.slaft.transforms.cache.FileStepCache;
import io.slaft.transforms.sweep.SweepPoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A point the step cache holds is not trained again; its observer is told, with the stored records
 * and the export's place, so tracking can record it. Where results go (tracking, registry) is not
 * part of the key.
 */
class PointTrainerCacheTest {
  @TempDir Path out;

  /** Every observer call, in order. */
  private static final class Recording implements PointObserver {
    final List<String> calls = new ArrayList<>();
    List<Map<String, Object>> records;
    Path exportDir;

    @Override
    public TrainListener listener(SweepPoint point, ExperimentConfig config, TrainListener progress) {
      calls.add("listener");
      return progress;
    }

    @Override
    public void finished(SweepPoint point, ExperimentConfig config, ExperimentRunner.PointResult result) {
      calls.add("finished");
    }

    @Override
    public void cached(SweepPoint point, ExperimentConfig config, List<Map<String, Object>> records, Path exportDir) {
      calls.add("cached " + point.id() + " " + config.get(io.slaft.pipelines.config.ConfigKeys.REGISTRY_MODEL));
      this.records = records;
      this.exportDir = exportDir;
    }
  }

  @Test
  void aCachedPointIsReportedToTheObserverWithItsRecordsAndExportAndNotTrained() throws Exception {
    ExperimentConfig trained = ExperimentConfig.of("cache-test", Map.of("tasks", "sst2", "train.steps", "5"));
    SweepPoint point = SweepPoints.of(trained).get(0);
    String json = "[{\"task\":\"SST-2\",\"point_id\":\"" + point.id() + "\",\"metrics\":{\"accuracy\":0.75}}]";
    FileStepCache.open(out.resolve("cache")).storeJson(PointTrainer.cacheKey(trained), json);

    // the same point, now with tracking and a registered model: the same key, so a hit
    ExperimentConfig tracked = trained.withOverrides(List.of("registry.model=m", "tracking.uri=http://127.0.0.1:1"));
    assertEquals(PointTrainer.cacheKey(trained).hex(), PointTrainer.cacheKey(tracked).hex());
    Recording observer = new Recording();
    PointRecords r = PointTrainer.train(tracked, point, out, false, observer);
    assertTrue(r.cacheHit());
    assertEquals(List.of("cached " + point.id() + " m"), observer.calls, "told once, never trained");
    assertEquals(r.records(), observer.records);
    assertEquals(0.75, ((Map<?, ?>) observer.records.get(0).get("metrics")).get("accuracy"));
    assertEquals(ExperimentSession.exportDir(out, point.id()), observer.exportDir);

    // what is trained is in the key
    assertNotEquals(PointTrainer.cacheKey(trained).hex(),
        PointTrainer.cacheKey(trained.withOverrides(List.of("train.steps=6"))).hex());
  }
}
