package io.slaft.tracking.bench;

import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunKeys;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingStatus;
import io.slaft.tracking.Trackers;
import io.slaft.tracking.server.LocalMlflowServer;
import io.slaft.tracking.system.ProcReadings;
import io.slaft.tracking.system.SystemMetricsSampler;
import io.slaft.tracking.system.SystemReadings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Measures how much logging to a real MLflow server slows a training loop.
 *
 * <p>The loop runs {@code steps} steps of fixed busy work (dense matrix products, calibrated once
 * to about {@code step-ms}); the tracked variant also logs {@code metrics} metric points per step
 * to its own run and includes the final {@link Tracker#flush()} in its time. Baseline and tracked
 * runs alternate (ABBA order), {@code runs} times each, and the medians are compared; the time the
 * training thread itself spends inside tracker calls (including the final flush) is reported too,
 * since it is insensitive to other load on the machine.
 *
 * <p>With {@code --system-metrics-s S > 0} every tracked run also runs a
 * {@link SystemMetricsSampler} into its run every {@code S} seconds (10 is
 * {@code tracking.system_metrics_interval_s}'s default), started after the run and closed before it
 * ends, as the pipeline does, so the tracked times include sampling; the bench also reports the CPU
 * time one sample of every real source takes on the bench thread and what that is per second at
 * that interval, which is the sampler's cost independent of the machine's other load.
 *
 * <p>With {@code --compare-system-metrics true} each repetition runs three arms in the same process,
 * untracked, tracked and tracked with the sampler (order reversed every other repetition), so the
 * sampler's own cost is the ratio of the last two, measured side by side.
 *
 * <p>Usage: {@code TrackingOverheadBench [--uri http://127.0.0.1:PORT] [--steps 200] [--step-ms 50]
 * [--metrics 10] [--runs 5] [--system-metrics-s 0] [--compare-system-metrics false]}; without {@code --uri} it starts a server with
 * {@code mlflow/bin/mlflow-server} in {@code target/bench-mlflow} and stops it afterwards.
 */
public final class TrackingOverheadBench {

  private static final int N = 96;
  private static double sink;
  private static long loggingNanos;

  private TrackingOverheadBench() {}

  public static void main(String[] args) throws Exception {
    URI uri = null;
    int steps = 200;
    int stepMs = 50;
    int metrics = 10;
    int runs = 5;
    int systemMetricsS = 0;
    boolean compare = false;
    for (int i = 0; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--uri" -> uri = URI.create(value);
        case "--steps" -> steps = Integer.parseInt(value);
        case "--step-ms" -> stepMs = Integer.parseInt(value);
        case "--metrics" -> metrics = Integer.parseInt(value);
        case "--runs" -> runs = Integer.parseInt(value);
        case "--system-metrics-s" -> systemMetricsS = Integer.parseInt(value);
        case "--compare-system-metrics" -> compare = Boolean.parseBoolean(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (compare && systemMetricsS <= 0) {
      throw new IllegalArgumentException("--compare-system-metrics true needs --system-metrics-s S > 0");
    }
    LocalMlflowServer server = null;
    long serverGroup = -1;
    if (uri == null) {
      server = LocalMlflowServer.inRepository(Path.of(""), Path.of("target", "bench-mlflow"));
      uri = server.start();
      serverGroup = server.pid().orElse(-1);
    }
    try {
      run(uri, serverGroup, steps, stepMs, metrics, runs, systemMetricsS, compare);
    } finally {
      if (server != null) {
        server.stop();
      }
    }
  }

  /** What one arm of one repetition measured (milliseconds; CPU of the training thread, the tracker worker, the server). */
  private record Measure(double wallMs, double cpuMs, double callerMs, double callsMs, double workerMs, double serverMs,
      double samples, long delivered) {}

  /** The arms of one repetition: untracked, tracked, tracked with the system-metrics sampler. */
  private enum Arm { BASELINE, TRACKED, SAMPLED }

  private static void run(URI uri, long serverGroup, int steps, int stepMs, int metrics, int runs, int systemMetricsS,
      boolean compare) throws Exception {
    int reps = calibrate(stepMs);
    Path spool = Files.createTempDirectory("slaft-bench-spool");
    TrackingConfig config = TrackingConfig.builder("slaft-bench", spool).trackingUri(uri).build();
    String session = UUID.randomUUID().toString();
    trainingLoop(null, null, steps / 4, reps, metrics);
    List<Arm> arms = compare ? List.of(Arm.BASELINE, Arm.TRACKED, Arm.SAMPLED)
        : List.of(Arm.BASELINE, systemMetricsS > 0 ? Arm.SAMPLED : Arm.TRACKED);
    java.util.Map<Arm, List<Measure>> measured = new java.util.EnumMap<>(Arm.class);
    arms.forEach(a -> measured.put(a, new ArrayList<>()));
    try (Tracker tracker = Trackers.create(config)) {
      for (int r = 0; r < runs; r++) {
        // ABBA (ABCCBA with three arms): each arm goes first as often as last
        List<Arm> order = new ArrayList<>(arms);
        if (r % 2 == 1) {
          java.util.Collections.reverse(order);
        }
        for (Arm arm : order) {
          measured.get(arm).add(measure(arm == Arm.BASELINE ? null : tracker, config, session + "-" + arm, r, steps, reps,
              metrics, arm == Arm.SAMPLED ? systemMetricsS : 0, spool, serverGroup));
        }
      }
    }
    Arm main = arms.get(1);
    double[] base = values(measured.get(Arm.BASELINE), Measure::wallMs);
    double[] tracked = values(measured.get(main), Measure::wallMs);
    double[] callerMs = values(measured.get(main), Measure::callerMs);
    double[] callsMs = values(measured.get(main), Measure::callsMs);
    double mb = median(base);
    double mt = median(tracked);
    System.out.printf(Locale.ROOT, "server %s, %d steps x %d reps of %dx%d matmul (~%d ms/step), %d metrics/step, %d runs%n",
        uri, steps, reps, N, N, stepMs, metrics, runs);
    System.out.printf(Locale.ROOT, "baseline ms: %s%n", Arrays.toString(round(base)));
    System.out.printf(Locale.ROOT, "tracked  ms: %s%n", Arrays.toString(round(tracked)));
    System.out.printf(Locale.ROOT, "caller-thread ms in tracker calls incl. final flush: %s%n", Arrays.toString(round(callerMs)));
    System.out.printf(Locale.ROOT, "caller-thread ms in logMetrics calls only: %s (median %.3f ms per call)%n",
        Arrays.toString(round(callsMs)), median(callsMs) / steps);
    System.out.printf(Locale.ROOT, "median baseline %.1f ms, median tracked %.1f ms, ratio %.4f (overhead %.2f %%), %d records delivered%n",
        mb, mt, mt / mb, (mt / mb - 1) * 100, measured.get(main).get(runs - 1).delivered());
    System.out.printf(Locale.ROOT, "median caller-thread time in tracker calls %.1f ms = %.2f %% of the median baseline%n",
        median(callerMs), median(callerMs) / mb * 100);
    double bc = median(values(measured.get(Arm.BASELINE), Measure::cpuMs));
    double[] workerCpuMs = values(measured.get(main), Measure::workerMs);
    double[] serverCpuMs = values(measured.get(main), Measure::serverMs);
    System.out.printf(Locale.ROOT, "CPU ms, medians: training thread baseline %.1f, tracked %.1f (+%.2f %%); tracker worker thread %.1f (%.2f %%); "
            + "MLflow server processes %s%n",
        bc, median(values(measured.get(main), Measure::cpuMs)), (median(values(measured.get(main), Measure::cpuMs)) / bc - 1) * 100,
        median(workerCpuMs), median(workerCpuMs) / bc * 100,
        serverGroup < 0 ? "not measured (external server)"
            : String.format(Locale.ROOT, "%.1f (%.2f %%, %.3f ms per metric point)", median(serverCpuMs),
                median(serverCpuMs) / bc * 100, median(serverCpuMs) / ((double) steps * metrics)));
    if (compare) {
      double[] sampled = values(measured.get(Arm.SAMPLED), Measure::wallMs);
      double[] tr = values(measured.get(Arm.TRACKED), Measure::wallMs);
      System.out.printf(Locale.ROOT, "sampled  ms: %s (tracked with system metrics every %d s)%n", Arrays.toString(round(sampled)),
          systemMetricsS);
      double[] pairs = new double[runs];
      for (int r = 0; r < runs; r++) {
        pairs[r] = sampled[r] / tr[r];
      }
      System.out.printf(Locale.ROOT, "same process: median sampled / baseline %.4f (overhead %.2f %%), sampled / tracked %.4f, "
              + "median of paired sampled / tracked %.4f; training-thread CPU ms medians: tracked %.1f, sampled %.1f%n",
          median(sampled) / mb, (median(sampled) / mb - 1) * 100, median(sampled) / median(tr), median(pairs),
          median(values(measured.get(Arm.TRACKED), Measure::cpuMs)), median(values(measured.get(Arm.SAMPLED), Measure::cpuMs)));
    }
    if (systemMetricsS > 0) {
      double perSample = sampleCpuMs(spool, 200);
      System.out.printf(Locale.ROOT, "system metrics every %d s in the tracked runs: median %.0f samples per run; one sample of every "
              + "source %.3f ms CPU (bench thread, mean of 200) = %.4f %% of one core at that interval%n",
          systemMetricsS, median(values(measured.get(Arm.SAMPLED), Measure::samples)), perSample,
          perSample / (systemMetricsS * 1000.0) * 100);
    }
  }

  private static double[] values(List<Measure> measures, java.util.function.ToDoubleFunction<Measure> f) {
    return measures.stream().mapToDouble(f).toArray();
  }

  /**
   * One run of the training loop: untracked when {@code tracker} is null; else into a run of its
   * own, with a sampler every {@code samplerS} seconds when &gt; 0, the final flush included.
   */
  private static Measure measure(Tracker tracker, TrackingConfig config, String session, int r, int steps, int reps,
      int metrics, int samplerS, Path spool, long serverGroup) throws IOException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (tracker == null) {
      long c0 = threads.getCurrentThreadCpuTime();
      double wall = trainingLoop(null, null, steps, reps, metrics);
      return new Measure(wall, (threads.getCurrentThreadCpuTime() - c0) / 1e6, 0, 0, 0, 0, 0, 0);
    }
    long worker0 = workerCpuNanos(threads);
    long server0 = groupCpuNanos(serverGroup);
    long cpu0 = threads.getCurrentThreadCpuTime();
    RunRef run = tracker.startRun(RunSpec.root(config.experimentName(), RunKeys.of(session, Integer.toString(r)), "bench-" + r));
    long t0 = System.nanoTime();
    loggingNanos = 0;
    SystemMetricsSampler sampler = samplerS > 0
        ? SystemMetricsSampler.start(tracker, List.of(run), Duration.ofSeconds(samplerS), spool) : null;
    trainingLoop(tracker, run, steps, reps, metrics);
    long f0 = System.nanoTime();
    double samples = 0;
    if (sampler != null) {
      sampler.close();
      samples = sampler.samplesTaken();
    }
    tracker.endRun(run, RunStatus.FINISHED);
    TrackingStatus status = tracker.flush();
    long end = System.nanoTime();
    if (status.spooled() > 0 || status.rejected() > 0) {
      throw new IllegalStateException("benchmark records were not all delivered: " + status);
    }
    return new Measure((end - t0) / 1e6, (threads.getCurrentThreadCpuTime() - cpu0) / 1e6, (loggingNanos + end - f0) / 1e6,
        loggingNanos / 1e6, (workerCpuNanos(threads) - worker0) / 1e6, (groupCpuNanos(serverGroup) - server0) / 1e6, samples,
        status.delivered());
  }

  /** Mean CPU ms of reading every real system-metrics source once, over {@code n} reads after a warm-up. */
  private static double sampleCpuMs(Path disk, int n) throws IOException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<SystemReadings> sources = ProcReadings.of(disk);
    for (int i = 0; i < n / 4; i++) {
      for (SystemReadings s : sources) {
        s.read();
      }
    }
    long c0 = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      for (SystemReadings s : sources) {
        s.read();
      }
    }
    return (threads.getCurrentThreadCpuTime() - c0) / 1e6 / n;
  }

  private static long workerCpuNanos(ThreadMXBean threads) {
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("slaft-mlflow-tracker")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  /** utime + stime of every process in process group {@code group}, from /proc (Linux, 100 Hz ticks). */
  private static long groupCpuNanos(long group) throws IOException {
    if (group < 0) {
      return 0;
    }
    long ticks = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        String stat;
        try {
          stat = Files.readString(proc.resolve("stat"));
        } catch (IOException e) {
          continue;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (Long.parseLong(f[2]) == group) {
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
    }
    return ticks * 10_000_000L;
  }

  private static double trainingLoop(Tracker tracker, RunRef run, int steps, int reps, int metrics) {
    double[] a = new double[N * N];
    double[] b = new double[N * N];
    double[] c = new double[N * N];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i % 17) * 0.01;
      b[i] = (i % 13) * 0.02;
    }
    long t0 = System.nanoTime();
    List<MetricPoint> points = new ArrayList<>(metrics);
    for (int step = 0; step < steps; step++) {
      for (int r = 0; r < reps; r++) {
        matmul(a, b, c);
        a[r % a.length] += c[(r * 7) % c.length] * 1e-9;
      }
      if (tracker != null) {
        long now = System.currentTimeMillis();
        points.clear();
        for (int m = 0; m < metrics; m++) {
          points.add(new MetricPoint("m" + m, c[m] + step, step, now));
        }
        long l0 = System.nanoTime();
        tracker.logMetrics(run, points);
        loggingNanos += System.nanoTime() - l0;
      }
    }
    sink += c[0];
    return (System.nanoTime() - t0) / 1e6;
  }

  private static void matmul(double[] a, double[] b, double[] c) {
    Arrays.fill(c, 0);
    for (int i = 0; i < N; i++) {
      for (int k = 0; k < N; k++) {
        double aik = a[i * N + k];
        for (int j = 0; j < N; j++) {
          c[i * N + j] += aik * b[k * N + j];
        }
      }
    }
  }

  private static int calibrate(int stepMs) {
    double[] a = new double[N * N];
    double[] b = new double[N * N];
    double[] c = new double[N * N];
    for (int warm = 0; warm < 200; warm++) {
      matmul(a, b, c);
    }
    long t0 = System.nanoTime();
    int n = 200;
    for (int i = 0; i < n; i++) {
      matmul(a, b, c);
    }
    double msPerMatmul = (System.nanoTime() - t0) / 1e6 / n;
    return Math.max(1, (int) Math.round(stepMs / msPerMatmul));
  }

  private static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static long[] round(double[] values) {
    return Arrays.stream(values).mapToLong(Math::round).toArray();
  }
}
