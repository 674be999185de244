package io.slaft.runners.cli;

import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.run.PointObserver;
import io.slaft.pipelines.tracking.TrackingSettings;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The parent MLflow run of a pipeline invocation: opened before the pipeline, closed with its summary. */
final class ParentRun {
  private ParentRun() {}

  static PointObserver open(TrackingSettings s, String key, ExperimentConfig c, PointObserver children) {
    Tracker t = s.tracker();
    RunRef r = t.startRun(RunSpec.root(s.experiment(), key, c.get("name")).withTags(Map.of("slaft.config_hash", c.hash())));
    t.logParams(r, c.resolved());
    return children;
  }

  static void close(TrackingSettings s, String key, Path out) {
    Tracker t = s.tracker();
    RunRef r = new RunRef(s.experiment(), key);
    for (String f : new String[] {"summary.json", "results.md", "config.resolved.yaml", "dead_letters.tsv"}) {
      Path p = out.resolve(f);
      if (Files.isRegularFile(p)) {
        t.logArtifact(r, p, f);
      }
    }
    t.endRun(r, RunStatus.FINISHED);
    t.flush();
  }
}
