package io.slaft.tracking.system;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.Tracker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs system metrics ({@link SystemMetricNames}) to a set of runs while they train, the way
 * MLflow's {@code SystemMetricsMonitor} does for Python runs: one sample immediately, then one
 * every interval, and a last one on {@link #close()}. Sample {@code i} is logged to every run with
 * step {@code i} (0, 1, 2, …) and the wall-clock time it was taken, one
 * {@link Tracker#logMetrics} call per run and sample (none when a sample has no figures). With the
 * real readings ({@link ProcReadings}) rates such as CPU utilization have no value in the first
 * sample, which only sets their baseline.
 *
 * <p><b>Threading.</b> Sampling and logging happen on one daemon thread named
 * {@value #THREAD_NAME}, started by {@code start}, which runs until {@link #close()}; it does not
 * keep the JVM alive. Samples are due at fixed times (start + k × interval); when sampling falls
 * behind (a slow source, a busy machine), the times it overran are skipped rather than caught up in
 * a burst, so sample {@code i} (but the last, taken on close) is never taken before
 * start + i × interval. {@link #close()} may be called from any thread.
 *
 * <p><b>Errors.</b> Sampling never throws into the caller and never stops the thread: a source
 * that throws (or returns a value that is not finite, or a key MLflow refuses) has its metrics left
 * out of that sample, the other sources' metrics are still logged, and the source is named in one
 * warning for the sampler's life, not one per sample; likewise a tracker call that throws (a
 * closed tracker) is warned about once and sampling goes on.
 *
 * <p><b>Idempotency.</b> {@link #close()} is idempotent. Because the tracker keeps one point per
 * {@code (run, key, step)}, a second sampler for a run that already has system metrics (a
 * continued run) adds only the steps beyond the ones already logged.
 */
public final class SystemMetricsSampler implements AutoCloseable {

  /** Name of the sampling thread. */
  public static final String THREAD_NAME = "slaft-system-metrics";

  private static final Logger LOG = LoggerFactory.getLogger(SystemMetricsSampler.class);

  private final Tracker tracker;
  private final List<RunRef> runs;
  private final long intervalNanos;
  private final List<SystemReadings> sources;
  private final Thread thread;
  private final Object lock = new Object();
  /** Sources and the tracker already warned about; used by the sampling thread only. */
  private final Set<Object> warned = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Guarded by {@code lock}. */
  private boolean closing;
  /** Samples taken; written by the sampling thread only. */
  private volatile long step;

  private SystemMetricsSampler(Tracker tracker, List<RunRef> runs, Duration interval, List<SystemReadings> sources) {
    this.tracker = tracker;
    this.runs = runs;
    this.intervalNanos = interval.toNanos();
    this.sources = sources;
    this.thread = new Thread(this::loop, THREAD_NAME);
    this.thread.setDaemon(true);
  }

  /**
   * Starts sampling the host, this JVM and the file system holding {@code disk} (the run's output
   * directory; see {@link ProcReadings}) every {@code interval} into each of {@code runs}.
   *
   * @throws IllegalArgumentException if {@code runs} is empty or {@code interval} is not positive
   * @throws NullPointerException if an argument or a run is null
   */
  public static SystemMetricsSampler start(Tracker tracker, List<RunRef> runs, Duration interval, Path disk) {
    checkNotNull(disk, "disk must not be null");
    return start(tracker, runs, interval, ProcReadings.of(disk));
  }

  /**
   * Starts sampling {@code sources} every {@code interval} into each of {@code runs}. The sources
   * belong to this sampler from now on (see {@link SystemReadings} on threading).
   *
   * @throws IllegalArgumentException if {@code runs} is empty or {@code interval} is not positive
   * @throws NullPointerException if an argument, a run or a source is null
   */
  public static SystemMetricsSampler start(Tracker tracker, List<RunRef> runs, Duration interval,
      List<? extends SystemReadings> sources) {
    checkNotNull(tracker, "tracker must not be null");
    checkNotNull(interval, "interval must not be null");
    List<RunRef> r = List.copyOf(checkNotNull(runs, "runs must not be null"));
    List<SystemReadings> s = List.copyOf(checkNotNull(sources, "sources must not be null"));
    checkArgument(!r.isEmpty(), "runs must not be empty: a sampler logs to at least one run");
    checkArgument(!interval.isNegative() && !interval.isZero(), "interval must be positive, got %s", interval);
    SystemMetricsSampler sampler = new SystemMetricsSampler(tracker, r, interval, s);
    sampler.thread.start();
    return sampler;
  }

  /** How many samples have been taken so far (the step the next sample will have). */
  public long samplesTaken() {
    return step;
  }

  /**
   * Takes one last sample, stops the sampling thread and waits for it to end; afterwards nothing
   * more is logged. Calls after the first return at once (once the thread has ended). Never throws;
   * if the calling thread is interrupted while waiting, it keeps waiting and its interrupt flag is
   * set again on return. Called on the sampling thread itself (from a source or the tracker), it
   * requests the stop and returns without waiting.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    if (Thread.currentThread() == thread) {
      return;
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    long due = System.nanoTime();
    while (true) {
      boolean last = awaitDue(due);
      sample();
      if (last) {
        return;
      }
      due += intervalNanos;
      long now = System.nanoTime();
      if (due - now < 0) {
        due += ((now - due) / intervalNanos + 1) * intervalNanos;
      }
    }
  }

  /** Waits until {@code due} or close; true when closing (the sample about to be taken is the last). */
  private boolean awaitDue(long due) {
    synchronized (lock) {
      long wait;
      while (!closing && (wait = due - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, wait);
        } catch (InterruptedException e) {
          closing = true;
        }
      }
      return closing;
    }
  }

  private void sample() {
    long now = System.currentTimeMillis();
    List<MetricPoint> points = new ArrayList<>();
    for (SystemReadings source : sources) {
      try {
        Map<String, Double> values = source.read();
        List<MetricPoint> own = new ArrayList<>(values.size());
        for (Map.Entry<String, Double> e : values.entrySet()) {
          double v = e.getValue();
          if (!Double.isFinite(v)) {
            throw new IllegalStateException(e.getKey() + " is " + v);
          }
          own.add(new MetricPoint(e.getKey(), v, step, now));
        }
        points.addAll(own);
      } catch (Exception e) {
        warnOnce(source, "system metrics from {} are left out: {}", name(source), e.toString());
      }
    }
    if (!points.isEmpty()) {
      List<MetricPoint> batch = List.copyOf(points);
      for (RunRef run : runs) {
        try {
          tracker.logMetrics(run, batch);
        } catch (RuntimeException e) {
          warnOnce(tracker, "system metrics could not be logged (run {}, step {}): {}", run.runKey(), step, e.toString());
        }
      }
    }
    step++;
  }

  private static String name(SystemReadings source) {
    try {
      return source.name();
    } catch (RuntimeException e) {
      return source.getClass().getName();
    }
  }

  private void warnOnce(Object what, String format, Object... args) {
    if (warned.add(what)) {
      LOG.warn(format + " (further failures of this kind are logged at debug level)", args);
    } else {
      LOG.debug(format, args);
    }
  }
}
