package io.slaft.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.Redactor;
import io.slaft.tracking.RetryPolicy;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingCredentials;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.TrackingStatus;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowTrackerTest {

  @TempDir Path tmp;

  private final FakeMlflowApi api = new FakeMlflowApi();
  private final List<Duration> sleeps = new ArrayList<>();

  private TrackingConfig config(TrackingCredentials creds) {
    return TrackingConfig.builder("exp", tmp.resolve("spool"))
        .trackingUri(URI.create("http://127.0.0.1:1"))
        .retry(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0))
        .probeInterval(Duration.ofHours(1))
        .linger(Duration.ofSeconds(30))
        .credentials(creds)
        .build();
  }

  private MlflowTracker tracker() {
    return MlflowTracker.create(config(TrackingCredentials.none()), api, sleeps::add);
  }

  private static Map<String, String> params(int n) {
    Map<String, String> p = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      p.put("p" + i, "v" + i);
    }
    return p;
  }

  @Test
  void batchesParamsAndMetricsWithinLimitsAndDeliversEverythingOnce() {
    try (MlflowTracker t = tracker()) {
      RunRef run = t.startRun(RunSpec.root("exp", "k1", "run one").withTags(Map.of("git", "abc")));
      t.logParams(run, params(250));
      for (int step = 0; step < 600; step++) {
        for (int m = 0; m < 5; m++) {
          t.logMetric(run, "m" + m, step * 0.5, step, 1000L + step);
        }
      }
      t.endRun(run, RunStatus.FINISHED);
      TrackingStatus status = t.flush();
      assertEquals(TrackingStatus.Mode.REMOTE, status.mode());
      assertEquals(0, status.spooled());
      assertEquals(1 + 1 + 3000 + 1, status.delivered());
    }
    FakeMlflowApi.Run run = api.runByKey("k1");
    assertEquals(250, run.params.size());
    assertEquals(3000, run.metrics.size());
    assertEquals(3000, new HashSet<>(run.metrics.stream().map(p -> p.key() + "@" + p.step()).toList()).size());
    assertEquals("abc", run.tags.get("git"));
    assertEquals("run one", run.name);
    assertEquals(RunStatus.FINISHED, run.status);
    assertEquals(1, api.runs.size());
    assertTrue(api.batchSizes.stream().allMatch(n -> n <= 1000), api.batchSizes.toString());
    assertEquals(List.of(100, 100, 50), api.batchSizes.subList(0, 3), "params first, at most 100 per request");
    assertTrue(api.batchSizes.size() <= 3 + 5 + 1, "metrics merged into few requests: " + api.batchSizes);
  }

  @Test
  void childRunCarriesParentRunIdTag() {
    try (MlflowTracker t = tracker()) {
      RunRef parent = t.startRun(RunSpec.root("exp", "parent", "sweep"));
      RunRef child = t.startRun(RunSpec.child(parent, "child", "trial 1"));
      t.logMetric(child, "acc", 0.9, 0, 1);
      t.flush();
      assertEquals(t.remoteRunId(parent).orElseThrow(), api.runByKey("child").tags.get(RunSpec.PARENT_RUN_ID_TAG));
    }
  }

  @Test
  void continuingARunByKeyAddsNoDuplicateRunOrPoint() {
    try (MlflowTracker t = tracker()) {
      RunRef run = t.startRun(RunSpec.root("exp", "resume", "r"));
      for (int s = 0; s < 10; s++) {
        t.logMetric(run, "loss", 1.0 / (s + 1), s, s);
      }
      t.logParams(run, Map.of("lr", "0.1"));
      t.endRun(run, RunStatus.FAILED);
      t.flush();
    }
    try (MlflowTracker t = tracker()) {
      RunRef run = t.startRun(RunSpec.root("exp", "resume", "r"));
      for (int s = 0; s < 20; s++) {
        t.logMetric(run, "loss", 1.0 / (s + 1), s, s);
      }
      t.logParams(run, Map.of("lr", "0.1", "epochs", "3"));
      t.endRun(run, RunStatus.FINISHED);
      TrackingStatus status = t.flush();
      assertEquals(0, status.rejected());
    }
    assertEquals(1, api.runs.size());
    List<MetricPoint> loss = api.points("resume", "loss");
    assertEquals(20, loss.size());
    assertEquals(20, loss.stream().map(MetricPoint::step).distinct().count());
    assertEquals(Map.of("lr", "0.1", "epochs", "3"), api.runByKey("resume").params);
    assertEquals(RunStatus.FINISHED, api.runByKey("resume").status);
    assertTrue(api.calls.contains("metricSteps"), "history of a continued run must be read back");
  }

  @Test
  void ambiguousFailureAfterTheServerAppliedABatchDoesNotDuplicatePoints() {
    AtomicInteger failures = new AtomicInteger(1);
    api.faults = new FakeMlflowApi.Faults() {
      @Override
      public TrackingException before(String op) {
        return null;
      }

      @Override
      public TrackingException after(String op) {
        return op.equals("logBatch") && failures.getAndDecrement() > 0 ? new TrackingException("connection reset", true) : null;
      }
    };
    try (MlflowTracker t = tracker()) {
      RunRef run = t.startRun(RunSpec.root("exp", "amb", "r"));
      for (int s = 0; s < 50; s++) {
        t.logMetric(run, "loss", s, s, s);
      }
      TrackingStatus status = t.flush();
      assertEquals(TrackingStatus.Mode.REMOTE, status.mode());
    }
    assertEquals(50, api.points("amb", "loss").size());
    assertEquals(1, sleeps.size());
  }

  @Test
  void ambiguousFailureOfCreateRunDoesNotCreateASecondRun() {
    AtomicInteger failures = new AtomicInteger(1);
    api.faults = new FakeMlflowApi.Faults() {
      @Override
      public TrackingException before(String op) {
        return null;
      }

      @Override
      public TrackingException after(String op) {
        return op.equals("createRun") && failures.getAndDecrement() > 0 ? new TrackingException("timeout", true) : null;
      }
    };
    try (MlflowTracker t = tracker()) {
      RunRef run = t.startRun(RunSpec.root("exp", "once", "r"));
      t.logMetric(run, "x", 1, 0, 0);
      t.flush();
    }
    assertEquals(1, api.runs.size());
    assertEquals(1, api.points("once", "x").size());
  }

  @Test
  void serverDownSpoolsAndRecoversExactlyOnceOnFlush() throws Exception {
    try (MlflowTracker t = tracker()) {
      RunRef run = t.startRun(RunSpec.root("exp", "down", "r"));
      for (int s = 0; s < 100; s++) {
        t.logMetric(run, "loss", s, s, s);
      }
      assertEquals(TrackingStatus.Mode.REMOTE, t.flush().mode());

      api.healthy = false;
      api.faults = op -> new TrackingException("connection refused", true);
      Path png = Files.write(tmp.resolve("plot.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
      for (int s = 100; s < 300; s++) {
        t.logMetric(run, "loss", s, s, s);
      }
      t.logArtifact(run, png, "plots/curve.png");
      Files.delete(png);
      TrackingStatus down = t.flush();
      assertEquals(TrackingStatus.Mode.SPOOLING, down.mode());
      assertTrue(down.spooled() > 0);
      assertTrue(SpoolReplayer.pending(tmp.resolve("spool")) > 0);
      assertTrue(down.error().orElseThrow().contains("connection refused"));

      for (int s = 300; s < 400; s++) {
        t.logMetric(run, "loss", s, s, s);
      }
      api.faults = op -> null;
      api.healthy = true;
      TrackingStatus up = t.flush();
      assertEquals(TrackingStatus.Mode.REMOTE, up.mode());
      assertEquals(0, up.spooled());
      t.endRun(run, RunStatus.FINISHED);
      t.flush();
    }
    List<MetricPoint> loss = api.points("down", "loss");
    assertEquals(400, loss.size());
    assertEquals(400, loss.stream().map(MetricPoint::step).distinct().count());
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}, api.runByKey("down").artifacts.get("plots/curve.png"));
    assertEquals(0, SpoolReplayer.pending(tmp.resolve("spool")));
    assertEquals(1, api.runs.size());
  }

  @Test
  void unreachableServerAtStartDoesNotFailAndSyncDeliversLater() {
    api.faults = op -> new TrackingException("connection refused", true);
    api.healthy = false;
    try (MlflowTracker t = tracker()) {
      assertEquals(TrackingStatus.Mode.SPOOLING, t.status().mode());
      RunRef run = t.startRun(RunSpec.root("exp", "late", "r"));
      t.logParams(run, params(120));
      t.logMetric(run, "acc", 0.5, 1, 1);
      t.endRun(run, RunStatus.FINISHED);
      TrackingStatus s = t.flush();
      assertEquals(4, s.spooled());
    }
    assertTrue(api.runs.isEmpty());
    api.faults = op -> null;
    api.healthy = true;
    try (MlflowTracker sync = tracker()) {
      var report = sync.replay(tmp.resolve("spool"));
      assertEquals(4, report.replayed());
      assertTrue(report.complete());
      var again = sync.replay(tmp.resolve("spool"));
      assertEquals(0, again.replayed());
      assertEquals(4, again.alreadyReplayed());
    }
    assertEquals(120, api.runByKey("late").params.size());
    assertEquals(1, api.points("late", "acc").size());
    assertEquals(RunStatus.FINISHED, api.runByKey("late").status);
  }

  @Test
  void authFailureAtStartFailsFastNamingTheEnvironmentVariables() {
    api.faults = op -> new TrackingAuthException("fake://mlflow", 401, "get experiment");
    TrackingAuthException e = assertThrows(TrackingAuthException.class, this::tracker);
    assertTrue(e.getMessage().contains("MLFLOW_TRACKING_USERNAME"), e.getMessage());
    assertTrue(e.getMessage().contains("MLFLOW_TRACKING_PASSWORD"), e.getMessage());
    assertTrue(e.getMessage().contains("MLFLOW_TRACKING_TOKEN"), e.getMessage());
    assertTrue(api.closed);
  }

  @Test
  void authFailureDuringARunKeepsRecordsInTheSpool() {
    try (MlflowTracker t = tracker()) {
      RunRef run = t.startRun(RunSpec.root("exp", "auth", "r"));
      t.flush();
      api.faults = op -> new TrackingAuthException("fake://mlflow", 403, op);
      t.logMetric(run, "x", 1, 0, 0);
      TrackingStatus s = t.flush();
      assertEquals(1, s.spooled());
      assertTrue(s.error().orElseThrow().contains("403"));
    }
  }

  @Test
  void invalidRecordIsRejectedWithoutLosingItsNeighbours() {
    try (MlflowTracker t = tracker()) {
      RunRef run = t.startRun(RunSpec.root("exp", "bad", "r"));
      t.flush();
      api.faults = op -> op.equals("logInputs") ? new TrackingException("INVALID_PARAMETER_VALUE", false) : null;
      t.logMetric(run, "a", 1, 0, 0);
      t.logInput(run, new DatasetInput("d", "abc", "local", "{}", "", "", "train"));
      t.logMetric(run, "b", 2, 0, 0);
      TrackingStatus s = t.flush();
      assertEquals(1, s.rejected());
      assertEquals(TrackingStatus.Mode.REMOTE, s.mode());
    }
    assertEquals(1, api.points("bad", "a").size());
    assertEquals(1, api.points("bad", "b").size());
  }

  @Test
  void secretsAreNeverStoredInParamsOrTags() {
    TrackingCredentials creds = TrackingCredentials.basic("alice", "s3cr3t-pass");
    try (MlflowTracker t = MlflowTracker.create(config(creds), api, sleeps::add)) {
      RunRef run = t.startRun(RunSpec.root("exp", "sec", "r"));
      t.logParams(run, Map.of("hub.token", "hf_abcdef123456", "db.url", "postgres://alice:s3cr3t-pass@db/x", "lr", "0.1"));
      t.setTags(run, Map.of("API_KEY", "xyz12345"));
      t.flush();
    }
    FakeMlflowApi.Run run = api.runByKey("sec");
    assertEquals(Redactor.REDACTED, run.params.get("hub.token"));
    assertFalse(run.params.get("db.url").contains("s3cr3t-pass"));
    assertEquals("0.1", run.params.get("lr"));
    assertEquals(Redactor.REDACTED, run.tags.get("API_KEY"));
    String everything = run.params.toString() + run.tags;
    assertFalse(everything.contains("hf_abcdef123456"));
    assertFalse(everything.contains("xyz12345"));
  }

  @Test
  void longParamValuesAreTruncatedToMlflowsLimit() {
    try (MlflowTracker t = tracker()) {
      RunRef run = t.startRun(RunSpec.root("exp", "long", "r"));
      t.logParams(run, Map.of("config", "x".repeat(10_000)));
      t.flush();
    }
    assertEquals(6000, api.runByKey("long").params.get("config").length());
  }

  @Test
  void loggingFromManyThreadsLosesNothing() throws Exception {
    try (MlflowTracker t = tracker()) {
      RunRef run = t.startRun(RunSpec.root("exp", "mt", "r"));
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int th = 0; th < 4; th++) {
        int id = th;
        Thread thread = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int s = 0; s < 500; s++) {
            t.logMetric(run, "t" + id, s, s, s);
          }
        });
        threads.add(thread);
        thread.start();
      }
      go.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      t.flush();
    }
    for (int th = 0; th < 4; th++) {
      assertEquals(500, api.points("mt", "t" + th).size());
    }
  }

  @Test
  void recordsThatOverflowAFullQueueReachTheServerWithoutASync() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean blocked = new AtomicBoolean();
    api.faults = op -> {
      if (op.equals("logBatch") && blocked.compareAndSet(false, true)) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return null;
    };
    TrackingConfig small = TrackingConfig.builder("exp", tmp.resolve("spool"))
        .trackingUri(URI.create("http://127.0.0.1:1"))
        .retry(RetryPolicy.noRetries())
        .probeInterval(Duration.ofHours(1))
        .linger(Duration.ZERO)
        .queueCapacity(16)
        .build();
    long highWater;
    long bound;
    try (MlflowTracker t = MlflowTracker.create(small, api, sleeps::add)) {
      RunRef run = t.startRun(RunSpec.root("exp", "overflow", "r"));
      t.logMetric(run, "loss", 0, 0, 0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!blocked.get() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(blocked.get(), "the delivery thread is inside a slow log-batch");
      for (int s = 1; s < 100; s++) {
        t.logMetric(run, "loss", s, s, s);
      }
      t.endRun(run, RunStatus.FINISHED);
      assertTrue(t.status().spooled() > 0, "the full queue spilled to the spool: " + t.status());
      release.countDown();
      TrackingStatus status = t.flush();
      assertEquals(TrackingStatus.Mode.REMOTE, status.mode());
      assertEquals(0, status.spooled(), status.toString());
      assertEquals(102, status.delivered(), status.toString());
      highWater = t.recordsInMemoryHighWater();
      bound = t.recordsInMemoryBound();
    }
    List<MetricPoint> loss = api.points("overflow", "loss");
    assertEquals(100, loss.size());
    assertEquals(100, loss.stream().map(MetricPoint::step).distinct().count());
    assertEquals(RunStatus.FINISHED, api.runByKey("overflow").status);
    assertEquals(0, SpoolReplayer.pending(tmp.resolve("spool")));
    assertEquals(16 + 16 + 2_000, bound);
    assertTrue(highWater >= 16 && highWater <= bound, "records in memory at most: " + highWater);
  }

  @Test
  void closedTrackerRefusesRecords() {
    MlflowTracker t = tracker();
    RunRef run = t.startRun(RunSpec.root("exp", "c", "r"));
    t.close();
    t.close();
    assertThrows(IllegalStateException.class, () -> t.logMetric(run, "x", 1, 0, 0));
    assertEquals(Set.of("c"), Set.copyOf(api.runs.values().stream().map(r -> r.tags.get(RunRef.RUN_KEY_TAG)).toList()));
  }
}
