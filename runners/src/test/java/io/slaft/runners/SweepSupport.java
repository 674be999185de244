package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.runtime.TfRuntime;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.config.SweepPoints;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.SummarySchema;
import io.slaft.pipelines.run.ExperimentPipeline;
import io.slaft.runners.flink.LocalFlinkCluster;
import io.slaft.transforms.data.DataRoot;
import io.slaft.transforms.sweep.SweepPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Runs {@code examples/sweep-small.yaml}, shrunk for test time but still 4 points, through
 * {@link ExperimentPipeline} and reads back what {@code summary.json} says per sweep point.
 *
 * <p>Determinism across JVMs needs one TensorFlow intra-op thread count everywhere: {@link #threads()} is
 * {@code SLAFT_THREADS} if set, else the core count, which is what {@link TfRuntime} picks in a JVM that has no
 * setting. The test JVM is fixed to it here; a TaskManager launched by {@code LocalFlinkCluster} inherits this
 * process's environment, which {@link #assertTaskManagerThreads} checks.
 */
final class SweepSupport {
  /** Overrides that keep every point small (seconds of training) while keeping the 2 x 2 grid. */
  static final List<String> SMALL = List.of("train.steps=10", "data.train_limit=200", "data.dev_limit=100",
      "backbone.max_length=48", "tracking.uri=none");

  private SweepSupport() {}

  /** The slaft checkout (the directory holding {@code examples/sweep-small.yaml}). */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("examples").resolve("sweep-small.yaml"))) {
        return d;
      }
    }
    throw new IllegalStateException("no examples/sweep-small.yaml above " + dir);
  }

  /** The TensorFlow intra-op thread count every JVM of these tests uses. */
  static int threads() {
    String env = System.getenv("SLAFT_THREADS");
    return env == null || env.isBlank() ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(env.trim());
  }

  /** Fixes this JVM's TensorFlow threads to {@link #threads()} (before any session; a no-op if already so). */
  static void fixThreads() {
    TfRuntime.configure(threads(), 1);
    assertEquals(threads(), TfRuntime.intraOpThreads());
  }

  /**
   * The TaskManager's TensorFlow thread count is decided by its {@code SLAFT_THREADS} (else its core count, the
   * same machine's): it must have inherited ours.
   */
  static void assertTaskManagerThreads(long taskManagerPid) throws IOException {
    String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(taskManagerPid), "environ")),
        StandardCharsets.UTF_8);
    String tm = null;
    for (String kv : environ.split("\0")) {
      if (kv.startsWith("SLAFT_THREADS=")) {
        tm = kv.substring("SLAFT_THREADS=".length());
      }
    }
    assertEquals(System.getenv("SLAFT_THREADS"), tm, "the TaskManager inherits SLAFT_THREADS from the launcher");
  }

  /** {@code examples/sweep-small.yaml} with {@link #SMALL}, an absolute data root and the given extra overrides. */
  static ExperimentConfig config(String... extra) {
    List<String> o = new ArrayList<>(SMALL);
    o.add("data.dir=" + DataRoot.resolve(null).path().toAbsolutePath());
    o.add("train.threads=" + threads());
    o.addAll(List.of(extra));
    ExperimentConfig c = ExperimentConfig.load(repoRoot().resolve("examples").resolve("sweep-small.yaml"))
        .withOverrides(o);
    assertTrue(SweepPoints.of(c).size() >= 4, "the sweep keeps at least 4 points");
    return c;
  }

  /** The sweep's point ids, sorted. */
  static List<String> pointIds(ExperimentConfig c) {
    return SweepPoints.of(c).stream().map(SweepPoint::id).sorted().toList();
  }

  /** Builds the experiment pipeline on {@code options} (fresh cache: {@code noCache}) and runs it to the end. */
  static PipelineResult.State run(PipelineOptions options, ExperimentConfig c, Path out) {
    Pipeline p = Pipeline.create(options);
    p.apply("Experiment", ExperimentPipeline.of(c, out).withNoCache(true));
    return p.run().waitUntilFinish();
  }

  /** {@code runs[]} of {@code out/summary.json}, after checking the file against the summary schema. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> runs(Path out) throws IOException {
    SummarySchema.assertValid(out.resolve(RunSummary.SUMMARY_FILE));
    Map<String, Object> s = RunSummary.json().readValue(out.resolve(RunSummary.SUMMARY_FILE).toFile(), Map.class);
    return (List<Map<String, Object>>) s.get("runs");
  }

  /** The point ids of {@code out/summary.json}'s runs, sorted, duplicates kept. */
  static List<String> summaryPointIds(Path out) throws IOException {
    return runs(out).stream().map(r -> (String) r.get("point_id")).sorted().toList();
  }

  /**
   * Per point id and task, what must be identical across runners: the dev metrics and the learned gate values
   * (bit-level evidence; the metrics alone are coarse on 100 dev rows).
   */
  static Map<String, Object> outcomes(Path out) throws IOException {
    Map<String, Object> m = new TreeMap<>();
    for (Map<String, Object> r : runs(out)) {
      String key = r.get("point_id") + "/" + r.get("task");
      Object previous = m.put(key, Map.of("metrics", r.get("metrics"), "gates", r.get("gates"),
          "overrides", r.get("overrides")));
      assertEquals(null, previous, "point " + key + " appears once in " + out.resolve("summary.json"));
    }
    return m;
  }
}
