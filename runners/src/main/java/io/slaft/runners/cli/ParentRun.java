package io.slaft.runners.cli;

import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.Provenance;
import io.slaft.pipelines.run.PointObserver;
import io.slaft.pipelines.tracking.Champions;
import io.slaft.pipelines.tracking.RunPages;
import io.slaft.pipelines.tracking.TrackingSettings;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The parent MLflow run of a pipeline invocation: opened before the pipeline, closed with its summary. */
final class ParentRun {
  private ParentRun() {}

  static PointObserver open(TrackingSettings s, String key, ExperimentConfig c, PointObserver children) {
    Tracker t = s.tracker();
    Map<String, String> tags = new java.util.LinkedHashMap<>(RunPages.sourceTags());
    tags.putAll(Map.of("slaft.config_hash", c.hash(), "slaft.git_commit", Provenance.currentCommit(), "slaft.version", Provenance.VERSION));
    RunRef r = t.startRun(RunSpec.root(s.experiment(), key, c.get(ConfigKeys.NAME) + " · " + String.join(", ",
        c.get(ConfigKeys.TASKS).stream().map(RunPages::taskTitle).toList()) + " · " + c.get(ConfigKeys.METHOD)).withTags(tags));
    t.logParams(r, c.resolved());
    return children;
  }

  static void close(TrackingSettings s, String key, ExperimentConfig c, Path out) {
    close(s, key, c, out, true);
  }

  /**
   * Marks each task's champion ({@link Champions}: parent tags, and the registry alias when
   * {@code registry.model} is set), logs the run's result files to the parent run and ends it,
   * FAILED unless {@code ok} (a failed run marks no champion).
   */
  static void close(TrackingSettings s, String key, ExperimentConfig c, Path out, boolean ok) {
    Tracker t = s.tracker();
    RunRef r = new RunRef(s.experiment(), key);
    if (ok && Files.isRegularFile(out.resolve("summary.json"))) {
      Champions.mark(s, key, c, out.resolve("summary.json"));
    }
    for (String f : new String[] {"summary.json", "results.md", "config.resolved.yaml", "dead_letters.tsv", "report.md", "report.html"}) {
      Path p = out.resolve(f);
      if (Files.isRegularFile(p)) {
        t.logArtifact(r, p, f);
      }
    }
    try (java.nio.file.DirectoryStream<Path> fronts = Files.newDirectoryStream(out, "pareto-*.png")) {
      for (Path p : fronts) { // the champion stage's plots, beside the results.md that shows them
        t.logArtifact(r, p, p.getFileName().toString());
      }
    } catch (java.io.IOException e) {
      System.err.println("tracking: cannot list the champion plots in " + out + ": " + e.getMessage());
    }
    t.endRun(r, ok ? RunStatus.FINISHED : RunStatus.FAILED);
    t.flush();
  }

  /**
   * Closes the tracker of {@code s} and says where the records went: the server, or, when it was
   * unreachable or none is configured, the spool directory and how to replay it.
   */
  static String finish(TrackingSettings s) {
    TrackingStatus st = s.close();
    String spool = st != null ? st.spoolDir().toString() : s.spoolDir();
    if (s.uri() == null || s.uri().isBlank()) {
      return "tracking: no MLflow server configured; records spooled in " + spool
          + " (replay with: MLFLOW_TRACKING_URI=http://HOST:PORT ./slaft mlflow sync --spool " + spool + ")";
    }
    if (st != null && (st.spooled() > 0 || st.mode() != TrackingStatus.Mode.REMOTE)) {
      return "tracking: MLflow server " + s.uri() + " was unreachable" + st.error().map(e -> " (" + e + ")").orElse("") + "; "
          + st.spooled() + " record(s) spooled in " + spool + " (when it is back: ./slaft mlflow sync --spool " + spool
          + " --tracking-uri " + s.uri() + ")";
    }
    String rejected = st != null && st.rejected() > 0 ? "; " + st.rejected() + " record(s) rejected by the server (see the log)" : "";
    return "tracking: MLflow " + s.uri() + " experiment '" + s.experiment() + "' (open " + s.uri() + " for the MLflow UI)" + rejected;
  }
}
