package io.slaft.tracking.mlflow;

import static com.google.common.base.Preconditions.checkState;

import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.Redactor;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.TrackingStatus;
import io.slaft.tracking.record.RecordFactory;
import io.slaft.tracking.record.RecordSink;
import io.slaft.tracking.record.TrackingRecord;
import io.slaft.tracking.spool.ReplayReport;
import io.slaft.tracking.spool.Spool;
import io.slaft.tracking.spool.SpoolReplayer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Tracker} on an MLflow server, logging off the caller's thread.
 *
 * <p>Callers turn their calls into records and put them on a bounded queue; when the queue is
 * full the record is appended to the spool on the caller's thread instead of blocking it, and the
 * worker replays it from there once the queue is half empty again (or on {@link #flush()} and
 * {@link #close()}), so a burst that overflows the queue needs no {@code slaft mlflow sync}. One
 * worker thread drains the queue, merges records into {@code runs/log-batch} requests within
 * MLflow's limits and delivers them, retrying connection errors, timeouts, 5xx and 429 with the
 * configured backoff. Every HTTP call is bounded by {@link TrackingConfig#connectTimeout()} and
 * {@link TrackingConfig#requestTimeout()}: a server that accepts connections but does not answer
 * fails the call like a refused connection, so against such a server one batch holds the worker
 * for at most {@code maxAttempts × (connectTimeout + requestTimeout)} plus backoff. When a batch
 * still fails, the tracker switches to spooling: records go to its spool segment, and every
 * {@code probeInterval} (and on {@link #flush()}) it probes {@code /health}; once the server
 * answers, the spooled records are replayed exactly once and direct delivery resumes. Metric
 * points are never duplicated: the worker tracks what the server acknowledged and reads back a
 * continued run's history (see {@link MlflowSink}). A 401/403 is logged once with the environment
 * variables to set, and the affected records stay in the spool for {@code slaft mlflow sync}.
 *
 * <p>Memory is bounded: at most {@code queueCapacity} records wait in the queue and the worker
 * holds at most {@code min(queueCapacity, 20 000) + 2 000} more while it delivers them
 * ({@link #recordsInMemoryBound()}, {@link #recordsInMemoryHighWater()}); on top of that, a replay
 * reads this tracker's spool segment (the records spooled since it was created).
 *
 * <p>Thread-safe. As a {@link RecordSink} it delivers synchronously (on the worker thread, with
 * retries, without spooling), which is how {@link #replay(Path)} and {@code slaft mlflow sync}
 * replay a spool.
 */
public final class MlflowTracker implements Tracker, RecordSink {

  private static final Logger LOG = LoggerFactory.getLogger(MlflowTracker.class);
  private static final int MAX_DRAIN = 20_000;
  private static final int LINGER_TARGET = 2_000;

  private final TrackingConfig config;
  private final MlflowApi api;
  private final MlflowSink sink;
  private final RetryingSink retrying;
  private final Spool spool;
  private final RecordFactory records;
  private final BlockingQueue<Object> queue;
  private final Thread worker;
  private final Duration waitLimit;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong inMemoryHighWater = new AtomicLong();
  /** Size of the batch the worker has taken off the queue and not finished yet. */
  private volatile int held;
  /** Callers spooled records on a full queue that no replay has read yet. */
  private volatile boolean overflowSpooled;
  private final AtomicBoolean overflowWarned = new AtomicBoolean();
  private final AtomicBoolean authWarned = new AtomicBoolean();
  private volatile TrackingStatus.Mode mode = TrackingStatus.Mode.REMOTE;
  private volatile String lastError;
  private volatile boolean closed;
  private long nextProbeNanos;

  private MlflowTracker(TrackingConfig config, MlflowApi api, RetryingSink.Sleeper sleeper, boolean startSpooling) {
    this.config = config;
    this.api = api;
    this.sink = new MlflowSink(api);
    this.retrying = new RetryingSink(sink, config.retry(), sleeper, () -> ThreadLocalRandom.current().nextDouble());
    this.spool = Spool.open(config.spoolDir());
    this.records = new RecordFactory(Redactor.of(config.credentials()), spool::snapshot, System::currentTimeMillis);
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    Duration retries = Duration.ZERO;
    for (int i = 1; i < config.retry().maxAttempts(); i++) {
      retries = retries.plus(config.retry().backoff(i, 0.0));
    }
    // Longer than the worst case of one batch against a server that does not answer: every attempt
    // times out, plus the backoff between attempts and a health probe.
    Duration call = config.connectTimeout().plus(config.requestTimeout());
    this.waitLimit = Duration.ofSeconds(60)
        .plus(call.multipliedBy(Math.max(4, config.retry().maxAttempts() + 1)))
        .plus(retries.multipliedBy(2));
    if (startSpooling) {
      mode = TrackingStatus.Mode.SPOOLING;
      nextProbeNanos = System.nanoTime() + config.probeInterval().toNanos();
    }
    this.worker = new Thread(this::work, "slaft-mlflow-tracker");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /**
   * Connects to {@code config.trackingUri()} and prepares {@code config.experimentName()}.
   *
   * @throws TrackingAuthException if the server refuses the credentials (fail fast, before
   *     training starts); an unreachable server only makes the tracker start in spooling mode
   */
  public static MlflowTracker create(TrackingConfig config) {
    return create(config, new MlflowRestApi(config), RetryingSink.THREAD_SLEEP);
  }

  static MlflowTracker create(TrackingConfig config, MlflowApi api, RetryingSink.Sleeper sleeper) {
    boolean spooling = false;
    try {
      api.experimentId(config.experimentName());
    } catch (TrackingAuthException e) {
      api.close();
      throw e;
    } catch (TrackingException e) {
      spooling = e.retryable();
      LOG.warn("MLflow server {} is not usable now ({}); tracking records go to the spool {} until it answers",
          api.server(), e.getMessage(), config.spoolDir());
    }
    MlflowTracker tracker = new MlflowTracker(config, api, sleeper, spooling);
    if (spooling) {
      tracker.lastError = "server unreachable at start";
    }
    return tracker;
  }

  @Override
  public RunRef startRun(RunSpec spec) {
    submit(records.startRun(spec));
    return spec.run();
  }

  @Override
  public void logParams(RunRef run, Map<String, String> params) {
    submit(records.params(run, params));
  }

  @Override
  public void logMetrics(RunRef run, List<MetricPoint> points) {
    submit(records.metrics(run, points));
  }

  @Override
  public void setTags(RunRef run, Map<String, String> tags) {
    submit(records.tags(run, tags));
  }

  @Override
  public void logInput(RunRef run, DatasetInput input) {
    submit(records.input(run, input));
  }

  @Override
  public void logArtifact(RunRef run, Path localFile, String artifactPath) {
    checkOpen();
    submit(records.artifact(run, localFile, artifactPath));
  }

  @Override
  public void registerModel(RunRef run, io.slaft.tracking.ModelVersionSpec spec) {
    checkOpen();
    submit(records.registerModel(run, spec));
  }

  @Override
  public void setModelAlias(RunRef run, String name, String alias) {
    submit(records.modelAlias(run, name, alias));
  }

  @Override
  public void endRun(RunRef run, RunStatus status) {
    submit(records.endRun(run, status));
  }

  @Override
  public TrackingStatus flush() {
    CompletableFuture<TrackingStatus> done = new CompletableFuture<>();
    if (!enqueueTask(new Barrier(done))) {
      return status();
    }
    return await(done, "flush").orElseGet(this::status);
  }

  @Override
  public TrackingStatus status() {
    return new TrackingStatus(mode, delivered.get(), spooled.get(), rejected.get(), spool.directory(), lastError);
  }

  @Override
  public Optional<String> remoteRunId(RunRef run) {
    return sink.remoteRunId(run);
  }

  /**
   * The most records this tracker has held in memory at once since it was created: queued, plus
   * taken off the queue by the delivery thread and not yet delivered or spooled (sampled whenever a
   * record is queued and whenever the thread has taken a batch). At most {@link
   * #recordsInMemoryBound()}.
   */
  public long recordsInMemoryHighWater() {
    return inMemoryHighWater.get();
  }

  /**
   * The most records this tracker can hold in memory: {@code queueCapacity} queued, plus one batch
   * of the delivery thread (a drain of at most {@code min(queueCapacity, 20 000)} records, topped up
   * while it lingers below 2 000). Records beyond that go to the spool on the caller's thread.
   */
  public long recordsInMemoryBound() {
    return (long) config.queueCapacity() + Math.min(MAX_DRAIN, config.queueCapacity()) + LINGER_TARGET;
  }

  /**
   * Replays the spool directory {@code spoolDir} (e.g. records of earlier runs) through this
   * tracker's server connection, exactly once per record, after everything queued so far.
   */
  public ReplayReport replay(Path spoolDir) {
    CompletableFuture<ReplayReport> done = new CompletableFuture<>();
    checkState(enqueueTask(new Replay(spoolDir.toAbsolutePath().normalize(), done)), "tracker is closed");
    return await(done, "replay").orElseThrow(() -> new TrackingException("replay of " + spoolDir + " timed out", true));
  }

  /** Delivers {@code batch} now, on the worker thread, with retries and without spooling. */
  @Override
  public void deliver(List<TrackingRecord> batch) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    checkState(enqueueTask(new Deliver(List.copyOf(batch), done)), "tracker is closed");
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while delivering", true, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TrackingException te) {
        throw te;
      }
      throw new TrackingException("delivery failed: " + e.getCause(), false, e.getCause());
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lifecycle.writeLock().unlock();
    }
    putUninterruptibly(new Stop());
    try {
      worker.join(waitLimit.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      List<Object> left = new ArrayList<>();
      queue.drainTo(left);
      List<TrackingRecord> orphans = left.stream().filter(TrackingRecord.class::isInstance).map(TrackingRecord.class::cast).toList();
      spoolAll(orphans);
      LOG.error("MLflow server {} did not answer within {}; {} queued records were spooled to {}",
          api.server(), waitLimit, orphans.size(), spool.directory());
    } else {
      api.close();
    }
    spool.close();
    long pending = spooled.get();
    if (pending > 0) {
      LOG.warn("{} tracking records could not be delivered to {} and are in the spool {}; replay them with `slaft mlflow sync`",
          pending, api.server(), spool.directory());
    }
  }

  private void submit(TrackingRecord record) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      if (queue.offer(record)) {
        noteInMemory(queue.size() + held);
        return;
      }
    } finally {
      lifecycle.readLock().unlock();
    }
    if (overflowWarned.compareAndSet(false, true)) {
      LOG.warn("Tracking queue is full ({} records): further records are spooled to {} on the caller's thread",
          config.queueCapacity(), spool.directory());
    }
    spoolAll(List.of(record));
    overflowSpooled = true;
  }

  private boolean enqueueTask(Object task) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        return false;
      }
      putUninterruptibly(task);
      return true;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void putUninterruptibly(Object task) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(task);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> Optional<T> await(CompletableFuture<T> future, String what) {
    try {
      return Optional.of(future.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (TimeoutException e) {
      lastError = what + " did not finish within " + waitLimit + " (server " + api.server() + " not answering)";
      LOG.warn(lastError);
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed", e.getCause());
    }
  }

  private void noteInMemory(long records) {
    inMemoryHighWater.accumulateAndGet(records, Math::max);
  }

  private void checkOpen() {
    checkState(!closed, "tracker is closed");
  }

  private void work() {
    List<Object> batch = new ArrayList<>();
    List<TrackingRecord> pending = new ArrayList<>();
    while (true) {
      Object head;
      try {
        head = queue.poll(Math.max(100, Math.min(1000, config.probeInterval().toMillis())), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        continue;
      }
      if (head == null) {
        recoverIfDue(false);
        continue;
      }
      batch.add(head);
      queue.drainTo(batch, MAX_DRAIN);
      linger(batch);
      held = batch.size();
      noteInMemory(batch.size() + queue.size());
      boolean stop = false;
      for (Object item : batch) {
        if (item instanceof TrackingRecord r) {
          pending.add(r);
          continue;
        }
        process(pending);
        pending.clear();
        if (item instanceof Stop) {
          stop = true;
        } else {
          runTask(item);
        }
      }
      process(pending);
      pending.clear();
      batch.clear();
      held = 0;
      replayOverflow(false);
      if (stop) {
        List<Object> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.stream().filter(TrackingRecord.class::isInstance).map(TrackingRecord.class::cast).forEach(pending::add);
        process(pending);
        recoverIfDue(true);
        return;
      }
    }
  }

  private void linger(List<Object> batch) {
    long deadline = System.nanoTime() + config.linger().toNanos();
    int checked = 0;
    while (batch.size() < LINGER_TARGET) {
      for (; checked < batch.size(); checked++) {
        if (!(batch.get(checked) instanceof TrackingRecord)) {
          return;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Object next;
      try {
        next = queue.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (next == null) {
        return;
      }
      batch.add(next);
      queue.drainTo(batch, MAX_DRAIN);
    }
  }

  private void runTask(Object task) {
    if (task instanceof Barrier barrier) {
      recoverIfDue(true);
      barrier.done.complete(status());
    } else if (task instanceof Replay replay) {
      try {
        ReplayReport report = SpoolReplayer.replay(replay.dir, retrying);
        if (replay.dir.equals(spool.directory()) && report.complete()) {
          delivered.addAndGet(report.replayed());
          spooled.set(0);
          mode = TrackingStatus.Mode.REMOTE;
        }
        replay.done.complete(report);
      } catch (RuntimeException e) {
        replay.done.completeExceptionally(e);
      }
    } else if (task instanceof Deliver deliver) {
      try {
        retrying.deliver(deliver.records);
        deliver.done.complete(null);
      } catch (RuntimeException e) {
        deliver.done.completeExceptionally(e);
      }
    }
  }

  private void process(List<TrackingRecord> batch) {
    if (batch.isEmpty()) {
      return;
    }
    if (mode == TrackingStatus.Mode.SPOOLING) {
      recoverIfDue(false);
      if (mode == TrackingStatus.Mode.SPOOLING) {
        spoolAll(batch);
        return;
      }
    }
    deliverOrSpool(batch);
  }

  private void deliverOrSpool(List<TrackingRecord> batch) {
    try {
      retrying.deliver(batch);
      acknowledged(batch);
    } catch (TrackingAuthException e) {
      lastError = e.getMessage();
      if (authWarned.compareAndSet(false, true)) {
        LOG.error("{} Records are kept in the spool {} for `slaft mlflow sync`.", e.getMessage(), spool.directory());
      }
      spoolAll(batch);
    } catch (TrackingException e) {
      if (e.retryable()) {
        startSpooling(e);
        spoolAll(batch);
      } else if (batch.size() == 1) {
        rejected.incrementAndGet();
        lastError = e.getMessage();
        LOG.warn("MLflow rejected a {} record for run {}; it is dropped: {}",
            batch.get(0).getClass().getSimpleName(), batch.get(0).run().runKey(), e.getMessage(), e.getCause());
      } else {
        int half = batch.size() / 2;
        deliverOrSpool(batch.subList(0, half));
        List<TrackingRecord> rest = batch.subList(half, batch.size());
        if (mode == TrackingStatus.Mode.SPOOLING) {
          spoolAll(rest);
        } else {
          deliverOrSpool(rest);
        }
      }
    }
  }

  private void startSpooling(TrackingException cause) {
    lastError = cause.getMessage();
    mode = TrackingStatus.Mode.SPOOLING;
    nextProbeNanos = System.nanoTime() + config.probeInterval().toNanos();
    LOG.warn("MLflow server {} is unreachable after {} attempts ({}); tracking records go to the spool {} until it answers again",
        api.server(), config.retry().maxAttempts(), cause.getMessage(), spool.directory());
  }

  private void recoverIfDue(boolean force) {
    if (mode != TrackingStatus.Mode.SPOOLING) {
      replayOverflow(force);
      return;
    }
    long now = System.nanoTime();
    if (!force && now < nextProbeNanos) {
      return;
    }
    nextProbeNanos = now + config.probeInterval().toNanos();
    if (!api.healthy()) {
      return;
    }
    ReplayReport report = replaySegment();
    if (report != null && report.complete()) {
      mode = TrackingStatus.Mode.REMOTE;
      LOG.info("MLflow server {} answers again: {} spooled records delivered", api.server(), report.replayed());
    }
  }

  /**
   * While delivering directly: replays records that callers spooled on a full queue, once the
   * queue is at most half full (the worker has caught up) or when {@code force}d.
   */
  private void replayOverflow(boolean force) {
    if (!overflowSpooled || mode != TrackingStatus.Mode.REMOTE
        || (!force && queue.remainingCapacity() < config.queueCapacity() / 2)) {
      return;
    }
    ReplayReport report = replaySegment();
    if (report != null && report.replayed() > 0) {
      LOG.info("{} records spooled while the tracking queue was full were delivered to {}", report.replayed(), api.server());
    }
  }

  /**
   * Replays this tracker's spool segment and updates the counters; {@code null} if the replay
   * itself failed. What an incomplete replay leaves pending waits for the next recovery from
   * spooling, the next overflow, or {@code slaft mlflow sync}.
   */
  private ReplayReport replaySegment() {
    overflowSpooled = false;
    try {
      ReplayReport report = SpoolReplayer.replaySegment(spool.segment(), retrying);
      delivered.addAndGet(report.replayed());
      rejected.addAndGet(report.rejected());
      spooled.addAndGet(-(report.replayed() + report.rejected()));
      if (!report.complete()) {
        lastError = report.error();
      }
      return report;
    } catch (RuntimeException e) {
      lastError = "replay of " + spool.segment() + " failed: " + e;
      LOG.warn(lastError);
      return null;
    }
  }

  private void acknowledged(List<TrackingRecord> batch) {
    delivered.addAndGet(batch.size());
    for (TrackingRecord r : batch) {
      r.localFiles().forEach(f -> Spool.deleteBlob(Path.of(f)));
    }
  }

  private void spoolAll(List<TrackingRecord> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      spool.append(batch);
      spooled.addAndGet(batch.size());
    } catch (UncheckedIOException e) {
      rejected.addAndGet(batch.size());
      lastError = "spool write failed: " + e.getMessage();
      LOG.error("Cannot write {} tracking records to the spool {}; they are lost", batch.size(), spool.directory(), e);
    }
  }

  private record Barrier(CompletableFuture<TrackingStatus> done) {}

  private record Replay(Path dir, CompletableFuture<ReplayReport> done) {}

  private record Deliver(List<TrackingRecord> records, CompletableFuture<Void> done) {}

  private record Stop() {}
}
