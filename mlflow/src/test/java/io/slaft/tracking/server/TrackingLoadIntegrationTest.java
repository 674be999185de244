package io.slaft.tracking.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunKeys;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingStatus;
import io.slaft.tracking.Trackers;
import io.slaft.tracking.mlflow.MlflowTracker;
import io.slaft.tracking.spool.ReplayReport;
import io.slaft.tracking.spool.SpoolReplayer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Load against one real MLflow server on 127.0.0.1: {@value #TRACKERS} trackers, each on its own
 * thread with its own run, log {@value #KEYS} × {@value #STEPS} metric points in bursts of
 * {@value #BURST_STEPS} steps, {@value #PARAMS} params and three artifacts; once with the server up
 * throughout, once with the server SIGKILLed when every tracker has logged half and restarted when
 * all have logged the rest (half of the trackers close while it is down and are replayed by
 * {@code slaft mlflow sync}'s {@link Trackers#sync}, the others recover by themselves). Every point
 * must be on the server exactly once, every run FINISHED, and memory bounded. Prints the figures
 * (points/s, spool high-water mark, drain time) for BENCHMARKS.md.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrackingLoadIntegrationTest {

  private static final int TRACKERS = 8;
  private static final int KEYS = 10;
  private static final int STEPS = 1_000;
  private static final int BURST_STEPS = 50;
  private static final int PARAMS = 20;
  private static final int POINTS = KEYS * STEPS;
  /** Records each tracker queues in memory; more spill to its spool on the logging thread. */
  private static final int QUEUE = 256;
  /** Heap in use right after a full GC, at the moment the most records are in flight. */
  private static final long LIVE_HEAP_BOUND = 256L << 20;
  private static final long T0 = 1_700_000_000_000L;
  private static final Path WORK = ItServers.WORK;

  private final ItServers servers = new ItServers();
  private LocalMlflowServer server;
  private URI uri;
  private final Map<String, Path> artifacts = new LinkedHashMap<>();

  @BeforeAll
  void startServer() throws IOException {
    server = servers.fresh("load");
    uri = server.start();
    Path files = Files.createDirectories(WORK.resolve("load-files"));
    byte[] weights = new byte[256 << 10];
    new Random(7).nextBytes(weights);
    artifacts.put("model/weights.bin", Files.write(files.resolve("weights.bin"), weights));
    artifacts.put("config/structure.json", Files.writeString(files.resolve("structure.json"), "{\"sst2\":{\"active_sites\":[\"ffn@2\"]}}"));
    artifacts.put("plots/curve.png", Files.write(files.resolve("curve.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}));
  }

  @AfterAll
  void stopServer() {
    servers.close();
  }

  private TrackingConfig config(String phase) {
    return TrackingConfig.builder("slaft-load-" + phase + "-" + UUID.randomUUID().toString().substring(0, 8),
            WORK.resolve("load-spool").resolve(phase))
        .trackingUri(uri)
        .queueCapacity(QUEUE)
        .probeInterval(Duration.ofMillis(500))
        .linger(Duration.ofMillis(100))
        .build();
  }

  @Test
  void eightConcurrentTrackersDeliverEveryPointExactlyOnce() throws Exception {
    TrackingConfig config = config("steady");
    List<MlflowTracker> trackers = open(config);
    List<String> keys = runKeys(config);
    CountDownLatch logged = new CountDownLatch(TRACKERS);
    CountDownLatch measured = new CountDownLatch(1);
    AtomicLong lastFlush = new AtomicLong();
    Sampler sampler = new Sampler(trackers);
    long start = System.nanoTime();
    List<Callable<TrackingStatus>> work = new ArrayList<>();
    for (int i = 0; i < TRACKERS; i++) {
      int id = i;
      work.add(() -> {
        MlflowTracker t = trackers.get(id);
        RunRef run = begin(t, config, keys.get(id), id);
        logSteps(t, run, id, 0, STEPS);
        logArtifacts(t, run);
        t.endRun(run, RunStatus.FINISHED);
        logged.countDown();
        await(measured);
        TrackingStatus status = t.flush();
        lastFlush.accumulateAndGet(System.nanoTime(), Math::max);
        t.close();
        return status;
      });
    }
    List<Future<TrackingStatus>> done = runAll(work);
    await(logged);
    long loggedAt = System.nanoTime();
    long liveHeap = liveHeap();
    measured.countDown();
    for (Future<TrackingStatus> f : done) {
      TrackingStatus s = f.get(5, TimeUnit.MINUTES);
      assertEquals(0, s.spooled(), s.toString());
      assertEquals(0, s.rejected(), s.toString());
    }
    sampler.stop();
    double seconds = (lastFlush.get() - start) / 1e9;
    assertServerHoldsEverythingOnce(config, keys);
    assertMemoryBounded(trackers, liveHeap);
    System.out.printf(Locale.ROOT, "LOAD steady: %d trackers x %d points (+%d params, %d artifacts each) in %.1f s = %.0f points/s "
            + "sustained (logging calls done after %.1f s); spool high-water %d records; records in memory per tracker max %d "
            + "(bound %d); live heap after GC at end of logging %.1f MiB; heap used max %.1f MiB%n",
        TRACKERS, POINTS, PARAMS, artifacts.size(), seconds, TRACKERS * POINTS / seconds, (loggedAt - start) / 1e9,
        sampler.spoolHighWater(), inMemoryHighWater(trackers), trackers.get(0).recordsInMemoryBound(), liveHeap / 1048576.0,
        sampler.heapHighWater() / 1048576.0);
  }

  @Test
  void serverKilledAndRestartedMidLoadLosesAndDuplicatesNothing() throws Exception {
    TrackingConfig config = config("restart");
    int port = uri.getPort();
    List<MlflowTracker> trackers = open(config);
    List<String> keys = runKeys(config);
    CountDownLatch halfLogged = new CountDownLatch(TRACKERS);
    CountDownLatch killed = new CountDownLatch(1);
    CountDownLatch allLogged = new CountDownLatch(TRACKERS);
    CountDownLatch restarted = new CountDownLatch(1);
    AtomicLong lastLiveFlush = new AtomicLong();
    Sampler sampler = new Sampler(trackers);
    long start = System.nanoTime();
    List<Callable<TrackingStatus>> work = new ArrayList<>();
    for (int i = 0; i < TRACKERS; i++) {
      int id = i;
      boolean closesWhileDown = id < TRACKERS / 2;
      work.add(() -> {
        MlflowTracker t = trackers.get(id);
        RunRef run = begin(t, config, keys.get(id), id);
        logSteps(t, run, id, 0, STEPS / 2);
        halfLogged.countDown();
        await(killed);
        logSteps(t, run, id, STEPS / 2, STEPS);
        logArtifacts(t, run);
        if (closesWhileDown) {
          t.endRun(run, RunStatus.FINISHED);
          TrackingStatus down = t.flush();
          t.close();
          allLogged.countDown();
          return down;
        }
        allLogged.countDown();
        await(restarted);
        TrackingStatus up = t.flush();
        for (long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); up.spooled() > 0 && System.nanoTime() < until; ) {
          Thread.sleep(200);
          up = t.flush();
        }
        t.endRun(run, RunStatus.FINISHED);
        TrackingStatus end = t.flush();
        lastLiveFlush.accumulateAndGet(System.nanoTime(), Math::max);
        t.close();
        return end;
      });
    }
    List<Future<TrackingStatus>> done = runAll(work);
    await(halfLogged);
    server.kill();
    long killedAt = System.nanoTime();
    killed.countDown();
    await(allLogged);
    long spooledAtRestart = SpoolReplayer.pending(config.spoolDir());
    long liveHeap = liveHeap();
    long downFor = System.nanoTime() - killedAt;
    long r0 = System.nanoTime();
    assertEquals(port, server.start(new LocalMlflowServer.StartOptions(port, false)).getPort());
    long restartedAt = System.nanoTime();
    restarted.countDown();
    for (int i = 0; i < TRACKERS; i++) {
      TrackingStatus s = done.get(i).get(5, TimeUnit.MINUTES);
      if (i < TRACKERS / 2) {
        assertEquals(TrackingStatus.Mode.SPOOLING, s.mode(), "closed while the server was down: " + s);
        assertTrue(s.spooled() > 0, s.toString());
      } else {
        assertEquals(TrackingStatus.Mode.REMOTE, s.mode(), s.toString());
        assertEquals(0, s.spooled(), "recovered by itself: " + s);
      }
    }
    long liveDrained = lastLiveFlush.get();
    ReplayReport sync = Trackers.sync(config);
    long syncedAt = System.nanoTime();
    sampler.stop();
    assertTrue(sync.complete(), sync.toString());
    assertTrue(sync.replayed() > 0, "the closed trackers' records came from the spool: " + sync);
    assertEquals(0, Trackers.sync(config).replayed(), "a second sync replays nothing");
    assertEquals(0, SpoolReplayer.pending(config.spoolDir()));
    assertTrue(spooledAtRestart > 0);

    assertServerHoldsEverythingOnce(config, keys);
    assertMemoryBounded(trackers, liveHeap);
    System.out.printf(Locale.ROOT, "LOAD restart: %d trackers x %d points; server down %.1f s (SIGKILL after half), restart took %.1f s; "
            + "spool high-water %d records (%d pending at restart); drain after restart: live trackers %.1f s, then sync of %d records "
            + "of the %d closed trackers %.1f s, total %.1f s; whole phase %.1f s; records in memory per tracker max %d (bound %d); "
            + "live heap after GC at restart %.1f MiB; heap used max %.1f MiB%n",
        TRACKERS, POINTS, downFor / 1e9, (restartedAt - r0) / 1e9, sampler.spoolHighWater(), spooledAtRestart,
        (liveDrained - restartedAt) / 1e9, sync.replayed(), TRACKERS / 2, (syncedAt - liveDrained) / 1e9, (syncedAt - restartedAt) / 1e9,
        (syncedAt - start) / 1e9, inMemoryHighWater(trackers), trackers.get(0).recordsInMemoryBound(), liveHeap / 1048576.0,
        sampler.heapHighWater() / 1048576.0);
  }

  /**
   * MLflow's own de-duplication, which a replay after a timed-out request relies on: an exact repeat
   * of a point (same key, value, timestamp and step: its primary key) is stored once, but a point that
   * differs only in its timestamp is stored again. So exactly-once on {@code (key, step)} is the
   * tracker's job (MlflowSink's ledger), and spooled points keep their original timestamps.
   */
  @Test
  void mlflowStoresAnExactRepeatOfAPointOnceButNotARepeatWithANewTimestamp() {
    MlflowRest rest = new MlflowRest(uri);
    String exp = rest.post("experiments/create", "{\"name\":\"slaft-load-dedup-" + UUID.randomUUID() + "\"}").path("experiment_id").asText();
    String runId = rest.post("runs/create", "{\"experiment_id\":\"" + exp + "\",\"start_time\":1}").path("run").path("info").path("run_id").asText();
    String point = "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":1000,\"step\":3}";
    for (int i = 0; i < 2; i++) {
      rest.post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + point + "]}");
    }
    assertEquals(1, rest.history(runId, "loss").size(), "an exact repeat is dropped by the server");
    rest.post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + point.replace("1000", "1001") + "]}");
    assertEquals(2, rest.history(runId, "loss").size(), "a repeat with another timestamp is a second point");
  }

  private static List<Future<TrackingStatus>> runAll(List<Callable<TrackingStatus>> work) {
    ExecutorService pool = Executors.newFixedThreadPool(work.size());
    List<Future<TrackingStatus>> futures = new ArrayList<>();
    for (Callable<TrackingStatus> c : work) {
      futures.add(pool.submit(c));
    }
    pool.shutdown();
    return futures;
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(5, TimeUnit.MINUTES), "a load thread did not get there (see its failure)");
  }

  private static List<MlflowTracker> open(TrackingConfig config) {
    List<MlflowTracker> trackers = new ArrayList<>();
    for (int i = 0; i < TRACKERS; i++) {
      trackers.add((MlflowTracker) Trackers.create(config));
    }
    return trackers;
  }

  private static List<String> runKeys(TrackingConfig config) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < TRACKERS; i++) {
      keys.add(RunKeys.of(config.experimentName(), Integer.toString(i)));
    }
    return keys;
  }

  private static RunRef begin(MlflowTracker t, TrackingConfig config, String key, int id) {
    RunRef run = t.startRun(RunSpec.root(config.experimentName(), key, "load-" + id));
    Map<String, String> params = new LinkedHashMap<>();
    for (int p = 0; p < PARAMS; p++) {
      params.put("cfg.p" + p, "v" + p);
    }
    t.logParams(run, params);
    return run;
  }

  /** Steps {@code [from, to)}: bursts of {@value #BURST_STEPS} back-to-back logMetrics calls of {@value #KEYS} points, 5 ms apart. */
  private static void logSteps(MlflowTracker t, RunRef run, int tracker, int from, int to) throws InterruptedException {
    for (int burst = from; burst < to; burst += BURST_STEPS) {
      for (int step = burst; step < Math.min(to, burst + BURST_STEPS); step++) {
        List<MetricPoint> points = new ArrayList<>(KEYS);
        for (int k = 0; k < KEYS; k++) {
          points.add(new MetricPoint("m" + k, value(tracker, k, step), step, T0 + step));
        }
        t.logMetrics(run, points);
      }
      Thread.sleep(5);
    }
  }

  private void logArtifacts(MlflowTracker t, RunRef run) {
    artifacts.forEach((path, file) -> t.logArtifact(run, file, path));
  }

  private static double value(int tracker, int key, int step) {
    return tracker * 1e6 + key * 1e4 + step + 0.25;
  }

  private void assertServerHoldsEverythingOnce(TrackingConfig config, List<String> keys) throws IOException {
    MlflowRest rest = new MlflowRest(uri);
    String exp = rest.experimentId(config.experimentName());
    Map<String, JsonNode> byKey = ItServers.runsByKey(rest, exp);
    assertEquals(TRACKERS, byKey.size(), "one run per tracker");
    for (int i = 0; i < TRACKERS; i++) {
      JsonNode run = rest.run(byKey.get(keys.get(i)).path("info").path("run_id").asText());
      String runId = run.path("info").path("run_id").asText();
      assertEquals("FINISHED", run.path("info").path("status").asText(), keys.get(i));
      assertEquals(PARAMS, run.path("data").path("params").size());
      int points = 0;
      for (int k = 0; k < KEYS; k++) {
        List<JsonNode> history = rest.history(runId, "m" + k);
        Set<Long> steps = new HashSet<>();
        for (JsonNode m : history) {
          long step = m.path("step").asLong();
          assertTrue(steps.add(step), "run " + i + " m" + k + " step " + step + " is on the server twice");
          assertEquals(value(i, k, (int) step), m.path("value").asDouble(), "run " + i + " m" + k + " step " + step);
        }
        assertEquals(STEPS, steps.size(), "run " + i + " m" + k + ": every step");
        points += history.size();
      }
      assertEquals(POINTS, points);
      assertEquals(artifacts.keySet().stream().sorted().toList(), rest.artifacts(runId, "").stream().sorted().toList());
      assertArrayEquals(Files.readAllBytes(artifacts.get("model/weights.bin")), rest.download(exp, runId, "model/weights.bin"));
    }
  }

  private static void assertMemoryBounded(List<MlflowTracker> trackers, long liveHeap) {
    for (MlflowTracker t : trackers) {
      assertTrue(t.recordsInMemoryHighWater() <= t.recordsInMemoryBound(),
          "records in memory " + t.recordsInMemoryHighWater() + " > bound " + t.recordsInMemoryBound());
    }
    assertTrue(liveHeap < LIVE_HEAP_BOUND, "live heap " + (liveHeap >> 20) + " MiB");
  }

  private static long inMemoryHighWater(List<MlflowTracker> trackers) {
    return trackers.stream().mapToLong(MlflowTracker::recordsInMemoryHighWater).max().orElse(0);
  }

  /** Heap in use right after a full collection. */
  private static long liveHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Samples, every 50 ms, the records spooled and not yet replayed (all trackers) and the heap in use. */
  private static final class Sampler {
    private final AtomicLong spool = new AtomicLong();
    private final AtomicLong heap = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    Sampler(List<MlflowTracker> trackers) {
      thread = new Thread(() -> {
        while (!stopped) {
          long spooled = trackers.stream().mapToLong(t -> t.status().spooled()).sum();
          spool.accumulateAndGet(spooled, Math::max);
          heap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "load-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      stopped = true;
      thread.join();
    }

    long spoolHighWater() {
      return spool.get();
    }

    long heapHighWater() {
      return heap.get();
    }
  }
}
