package io.slaft.runners.bench;

import io.slaft.cli.GlobalOptions;
import io.slaft.model.bench.BenchStats;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.config.SweepPoints;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.run.ExperimentPipeline;
import io.slaft.runners.RunnerChoice;
import io.slaft.runners.Runners;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Wall time of one experiment config (default {@code examples/sweep-small.yaml}) on the DirectRunner vs
 * Beam's FlinkRunner on the embedded MiniCluster ({@code [local]}), in the same JVM, runner options exactly as
 * {@code slaft run --runner direct|flink-local} sets them. Runs alternate (D F, F D, D F, ...) so drift on a
 * shared machine hits both; each run writes a fresh output directory with the step cache bypassed, so every
 * point is trained. One untimed warm-up per runner on a tiny version of the config loads TensorFlow, the
 * backbone and Flink's classes first. Prints the command, the machine, every time, the medians and the ratio
 * flink-local / direct (target at most 1.3); checks that both runners give the same metrics per point.
 *
 * <p>Usage: {@code RunnerOverheadBench [--config FILE] [--runs N] [--threads N] [--out DIR] [--set KEY=VALUE]...}.
 * Exit code 0 when the target is met, 1 when not, 2 on bad arguments or a failed run.
 */
public final class RunnerOverheadBench {
  /** The ratio the issue asks for. */
  public static final double TARGET = 1.3;

  private static final List<String> WARMUP = List.of("train.steps=2", "data.train_limit=64", "data.dev_limit=32");

  private RunnerOverheadBench() {}

  /** What one timed run gave. */
  record Run(RunnerChoice runner, double seconds, Map<String, Object> metrics) {}

  public static void main(String[] args) throws Exception {
    String original = String.join(" ", args);
    Path config = Path.of("examples/sweep-small.yaml");
    int runs = 3;
    int threads = 0;
    Path outRoot = null;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--config" -> config = Path.of(require(a, v));
        case "--runs" -> runs = Integer.parseInt(require(a, v));
        case "--threads" -> threads = Integer.parseInt(require(a, v));
        case "--out" -> outRoot = Path.of(require(a, v));
        case "--set" -> overrides.add(require(a, v));
        default -> {
          System.err.println("unknown argument " + a + "; usage: RunnerOverheadBench [--config FILE] [--runs N] "
              + "[--threads N] [--out DIR] [--set KEY=VALUE]...");
          System.exit(2);
        }
      }
      i++;
    }
    if (runs < 1) {
      System.err.println("--runs must be >= 1, got " + runs);
      System.exit(2);
    }
    List<String> all = new ArrayList<>(overrides);
    all.add("tracking.uri=none");
    ExperimentConfig c = ExperimentConfig.load(config).withOverrides(all);
    if (threads == 0) {
      threads = c.get(ConfigKeys.TRAIN_THREADS);
    }
    GlobalOptions quiet = new GlobalOptions();
    quiet.defaultThreads(threads);
    quiet.apply();
    Path root = outRoot != null ? outRoot : Files.createTempDirectory("slaft-runner-bench");
    int points = SweepPoints.of(c).size();
    System.err.printf(Locale.ROOT, "bench: %s, %d point(s), %d run(s) per runner, TF intra-op threads %d, output %s%n",
        config, points, runs, TfRuntime.intraOpThreads(), root);

    ExperimentConfig tiny = c.withOverrides(WARMUP);
    for (RunnerChoice r : List.of(RunnerChoice.DIRECT, RunnerChoice.FLINK_LOCAL)) {
      Run w = run(r, tiny, root.resolve("warmup-" + r.cliName()));
      System.err.printf(Locale.ROOT, "bench: warm-up %s %.1f s%n", r.cliName(), w.seconds());
    }

    List<Run> timed = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      List<RunnerChoice> order = i % 2 == 0 ? List.of(RunnerChoice.DIRECT, RunnerChoice.FLINK_LOCAL)
          : List.of(RunnerChoice.FLINK_LOCAL, RunnerChoice.DIRECT);
      for (RunnerChoice r : order) {
        Run t = run(r, c, root.resolve("run" + (i + 1) + "-" + r.cliName()));
        timed.add(t);
        System.err.printf(Locale.ROOT, "bench: run %d %s %.1f s%n", i + 1, r.cliName(), t.seconds());
      }
    }

    double[] direct = seconds(timed, RunnerChoice.DIRECT);
    double[] flink = seconds(timed, RunnerChoice.FLINK_LOCAL);
    double md = BenchStats.median(direct);
    double mf = BenchStats.median(flink);
    double ratio = mf / md;
    Map<String, Object> reference = timed.get(0).metrics();
    boolean same = timed.stream().allMatch(t -> t.metrics().equals(reference));

    System.out.println("command: java -cp <runners classes + runtime class path> " + RunnerOverheadBench.class.getName()
        + (original.isEmpty() ? "" : " " + original));
    System.out.println("config: " + config + " (" + points + " points" + (overrides.isEmpty() ? "" : ", " + overrides)
        + "), step cache bypassed, fresh output per run, tracking off");
    System.out.println("machine: " + BenchStats.machine() + ", TF intra-op threads " + TfRuntime.intraOpThreads()
        + ", load average at end " + loadAverage());
    System.out.println();
    System.out.println("| runner | runs (s, in order) | median s |");
    System.out.println("|---|---|---:|");
    System.out.printf(Locale.ROOT, "| direct | %s | %.1f |%n", list(direct), md);
    System.out.printf(Locale.ROOT, "| flink-local | %s | %.1f |%n", list(flink), mf);
    System.out.println();
    System.out.printf(Locale.ROOT, "ratio flink-local / direct (medians): %.3f; target <= %.1f: %s%n", ratio, TARGET,
        ratio <= TARGET ? "met" : "NOT met");
    System.out.println("same metrics per point in every run: " + (same ? "yes" : "NO"));
    System.exit(ratio <= TARGET && same ? 0 : 1);
  }

  private static Run run(RunnerChoice r, ExperimentConfig c, Path out) throws IOException {
    PipelineOptions o = Runners.configure(PipelineOptionsFactory.create(), r, null, null);
    long t0 = System.nanoTime();
    Pipeline p = Pipeline.create(o);
    p.apply("Experiment", ExperimentPipeline.of(c, out).withNoCache(true));
    PipelineResult.State state = p.run().waitUntilFinish();
    double s = (System.nanoTime() - t0) / 1e9;
    if (state != PipelineResult.State.DONE) {
      System.err.println("bench: " + r.cliName() + " ended " + state + " (output " + out + ")");
      System.exit(2);
    }
    return new Run(r, s, metrics(out));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metrics(Path out) throws IOException {
    Map<String, Object> s = ExperimentRunner.json().readValue(out.resolve("summary.json").toFile(), Map.class);
    Map<String, Object> m = new TreeMap<>();
    for (Map<String, Object> r : (List<Map<String, Object>>) s.get("runs")) {
      m.put(r.get("point_id") + "/" + r.get("task"), r.get("metrics"));
    }
    return m;
  }

  private static double[] seconds(List<Run> runs, RunnerChoice r) {
    return runs.stream().filter(t -> t.runner() == r).mapToDouble(Run::seconds).toArray();
  }

  private static String list(double[] a) {
    List<String> s = new ArrayList<>();
    for (double v : a) {
      s.add(String.format(Locale.ROOT, "%.1f", v));
    }
    return String.join(", ", s);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String require(String option, String value) {
    if (value == null) {
      System.err.println(option + " needs a value");
      System.exit(2);
    }
    return value;
  }
}
