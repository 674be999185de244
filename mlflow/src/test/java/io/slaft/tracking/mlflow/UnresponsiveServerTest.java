package io.slaft.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RetryPolicy;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.TrackingStatus;
import io.slaft.tracking.Trackers;
import io.slaft.tracking.mlflow.LoopbackHttpServer.Reply;
import io.slaft.tracking.mlflow.LoopbackHttpServer.Silence;
import io.slaft.tracking.mlflow.LoopbackHttpServer.Stall;
import io.slaft.tracking.record.LogArtifact;
import io.slaft.tracking.record.LogMetrics;
import io.slaft.tracking.record.TrackingRecord;
import io.slaft.tracking.spool.ReplayReport;
import io.slaft.tracking.spool.SpoolReplayer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tracking server that accepts TCP connections and then never answers (or stops answering
 * mid-run, or stalls in the middle of a response body) must not block anything for longer than the
 * configured timeouts, and every record must end up in the spool.
 */
class UnresponsiveServerTest {

  private static final Duration CONNECT = Duration.ofSeconds(1);
  private static final Duration REQUEST = Duration.ofMillis(800);
  /** Longest one call may take: connect + request timeout, plus scheduling slack on a loaded 2-core machine. */
  private static final Duration CALL_BOUND = CONNECT.plus(REQUEST).plus(Duration.ofSeconds(2));
  private static final RetryPolicy RETRY = new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(50), 1.0, 0.0);
  private static final String EXPERIMENT_JSON =
      "{\"experiment\":{\"experiment_id\":\"1\",\"name\":\"exp\",\"lifecycle_stage\":\"active\"}}";

  @TempDir Path tmp;

  private TrackingConfig config(URI uri) {
    return TrackingConfig.builder("exp", tmp.resolve("spool"))
        .trackingUri(uri)
        .connectTimeout(CONNECT)
        .requestTimeout(REQUEST)
        .retry(RETRY)
        .probeInterval(Duration.ofMillis(200))
        .linger(Duration.ofMillis(20))
        .build();
  }

  @Test
  void everyCallToAServerThatNeverAnswersFailsRetryablyWithinItsTimeouts() throws Exception {
    Path file = Files.write(tmp.resolve("weights.bin"), new byte[4 << 20]);
    var run = new MlflowApi.RemoteRun("r1", "1", "mlflow-artifacts:/1/r1/artifacts", false, 0);
    try (LoopbackHttpServer silent = LoopbackHttpServer.silent()) {
      MlflowRestApi api = new MlflowRestApi(config(silent.uri()));
      Map<String, Runnable> calls = new LinkedHashMap<>();
      calls.put("experimentId", () -> api.experimentId("exp"));
      calls.put("findRun", () -> api.findRun("1", "key"));
      calls.put("createRun", () -> api.createRun("1", "name", 1, Map.of("k", "v")));
      calls.put("reopenRun", () -> api.reopenRun("r1"));
      calls.put("runContents", () -> api.runContents("r1"));
      calls.put("logBatch", () -> api.logBatch("r1", List.of(new MetricPoint("loss", 1, 0, 1)), Map.of("p", "1"), Map.of()));
      calls.put("metricSteps", () -> api.metricSteps("r1", "loss"));
      calls.put("logInputs", () -> api.logInputs("r1", List.of(new DatasetInput("d", "abc", "local", "{}", "", "", "train"))));
      calls.put("uploadArtifact (4 MiB, never read by the server)", () -> api.uploadArtifact(run, file, "model/weights.bin"));
      calls.put("endRun", () -> api.endRun("r1", RunStatus.FINISHED, 2));
      for (Map.Entry<String, Runnable> call : calls.entrySet()) {
        long t0 = System.nanoTime();
        TrackingException e = assertTimeoutPreemptively(CALL_BOUND.plusSeconds(5),
            () -> assertThrows(TrackingException.class, call.getValue()::run), call.getKey());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(e.retryable(), call.getKey() + ": " + e.getMessage());
        assertTrue(took.compareTo(CALL_BOUND) < 0, call.getKey() + " took " + took);
        assertTrue(took.compareTo(REQUEST.minusMillis(100)) >= 0,
            call.getKey() + " failed after " + took + ", before its timeout: not the timeout that fired? " + e.getMessage());
      }
      long t0 = System.nanoTime();
      assertFalse(api.healthy());
      assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(CALL_BOUND) < 0);
      assertTrue(silent.accepted() >= calls.size(), "the server accepted the connections: " + silent.accepted());
    }
  }

  @Test
  void aResponseWhoseBodyNeverCompletesTimesOutLikeOneThatNeverStarts() throws Exception {
    try (LoopbackHttpServer stalling = LoopbackHttpServer.answering(r -> new Stall(200, "{\"experiment\":{\"experi", 5000))) {
      MlflowRestApi api = new MlflowRestApi(config(stalling.uri()));
      long t0 = System.nanoTime();
      TrackingException e = assertTimeoutPreemptively(CALL_BOUND.plusSeconds(5),
          () -> assertThrows(TrackingException.class, () -> api.experimentId("exp")));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertTrue(e.retryable(), e.getMessage());
      assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
      assertTrue(took.compareTo(CALL_BOUND) < 0, "took " + took);
      assertEquals(1, stalling.requests().size());
    }
  }

  @Test
  void trackerAgainstAServerThatNeverAnswersBlocksNoCallerAndSpoolsEveryRecord() throws Exception {
    try (LoopbackHttpServer silent = LoopbackHttpServer.silent()) {
      Logged logged = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        long t0 = System.nanoTime();
        Tracker tracker = Trackers.create(config(silent.uri()));
        assertShorterThan(CALL_BOUND, t0, "creating the tracker (one experiment lookup)");
        assertEquals(TrackingStatus.Mode.SPOOLING, tracker.status().mode());
        return logAndClose(tracker, () -> silent.accepted() > 0);
      });
      assertEverythingSpooled(logged);
    }
  }

  @Test
  void trackerWhoseServerStopsAnsweringMidRunSpoolsInsteadOfBlockingItsDeliveryThread() throws Exception {
    AtomicInteger answered = new AtomicInteger();
    try (LoopbackHttpServer server = LoopbackHttpServer.answering(
        r -> answered.getAndIncrement() == 0 ? new Reply(200, EXPERIMENT_JSON) : new Silence())) {
      Logged logged = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        Tracker tracker = Trackers.create(config(server.uri()));
        assertEquals(TrackingStatus.Mode.REMOTE, tracker.status().mode(), "the first request was answered");
        return logAndClose(tracker, () -> server.requests().size() > 1);
      });
      assertEverythingSpooled(logged);
      assertTrue(server.requests().size() >= 1 + RETRY.maxAttempts(),
          "the delivery thread tried (and timed out): " + server.requests().size() + " requests");
    }
  }

  /** What {@link #logAndClose} logged: records and metric points. */
  private record Logged(int records, int points) {}

  /**
   * Logs a run (start, params, 60 metric records of 25 points, an artifact, end), flushes and
   * closes, asserting that no call blocks for long; {@code triedServer} must hold after the flush.
   */
  private Logged logAndClose(Tracker tracker, Supplier<Boolean> triedServer) throws Exception {
    Path png = Files.write(tmp.resolve("curve.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 7});
    long t0 = System.nanoTime();
    RunRef run = tracker.startRun(RunSpec.root("exp", "silent-run", "r"));
    tracker.logParams(run, Map.of("lr", "0.001", "seed", "1"));
    int points = 0;
    for (int step = 0; step < 60; step++) {
      List<MetricPoint> burst = new ArrayList<>();
      for (int m = 0; m < 25; m++) {
        burst.add(new MetricPoint("m" + m, step + m * 0.01, step, 1_000L + step));
      }
      tracker.logMetrics(run, burst);
      points += burst.size();
    }
    tracker.logArtifact(run, png, "plots/curve.png");
    tracker.endRun(run, RunStatus.FINISHED);
    assertShorterThan(Duration.ofSeconds(2), t0, "64 logging calls");
    int records = 1 + 1 + 60 + 1 + 1;

    long f0 = System.nanoTime();
    TrackingStatus status = tracker.flush();
    Duration flushBound = CALL_BOUND.multipliedBy(RETRY.maxAttempts() + 1).plus(Duration.ofSeconds(2));
    assertShorterThan(flushBound, f0, "flush (at most " + RETRY.maxAttempts() + " attempts and a probe)");
    assertEquals(TrackingStatus.Mode.SPOOLING, status.mode(), status.toString());
    assertEquals(records, status.spooled(), status.toString());
    assertEquals(0, status.delivered());
    assertEquals(0, status.rejected());
    assertTrue(triedServer.get(), "the tracker did try the server");

    long c0 = System.nanoTime();
    tracker.close();
    assertShorterThan(CALL_BOUND.plusSeconds(1), c0, "close (one health probe)");
    return new Logged(records, points);
  }

  private void assertEverythingSpooled(Logged logged) {
    Path spool = tmp.resolve("spool");
    assertEquals(logged.records(), SpoolReplayer.pending(spool));
    List<TrackingRecord> replayed = new ArrayList<>();
    ReplayReport report = SpoolReplayer.replay(spool, replayed::addAll);
    assertTrue(report.complete(), report.toString());
    assertEquals(logged.records(), replayed.size());
    Set<String> points = new HashSet<>();
    int total = 0;
    for (TrackingRecord r : replayed) {
      if (r instanceof LogMetrics m) {
        for (MetricPoint p : m.points()) {
          points.add(p.key() + "@" + p.step());
          total++;
        }
      }
    }
    assertEquals(logged.points(), total, "every point is in the spool");
    assertEquals(logged.points(), points.size(), "once");
    assertEquals(1, replayed.stream().filter(LogArtifact.class::isInstance).count());
  }

  private static void assertShorterThan(Duration bound, long startNanos, String what) {
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    assertTrue(took.compareTo(bound) < 0, what + " took " + took + ", bound " + bound);
  }
}
