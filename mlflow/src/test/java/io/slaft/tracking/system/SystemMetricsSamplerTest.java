package io.slaft.tracking.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SystemMetricsSamplerTest {

  private static final Duration FAST = Duration.ofMillis(50);
  private static final long AWAIT_S = 60;
  private static final RunRef A = new RunRef("exp", "parent/p0/sst2");
  private static final RunRef B = new RunRef("exp", "parent/p0/mrpc");

  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @BeforeEach
  void capture() {
    events.start();
    logger().addAppender(events);
  }

  @AfterEach
  void release() {
    logger().detachAppender(events);
    events.stop();
  }

  private static Logger logger() {
    return (Logger) LoggerFactory.getLogger(SystemMetricsSampler.class);
  }

  @Test
  void samplesImmediatelyThenEveryIntervalWithConsecutiveStepsIntoEveryRun() throws Exception {
    RecordingTracker tracker = new RecordingTracker(calls -> calls >= 2 * 5);
    Counter counter = new Counter("system/test_count");
    long before = System.nanoTime();
    long wallBefore = System.currentTimeMillis();
    try (SystemMetricsSampler sampler = SystemMetricsSampler.start(tracker, List.of(A, B), FAST, List.of(counter))) {
      assertTrue(tracker.await(), "5 samples into both runs");
    }
    long wallAfter = System.currentTimeMillis();
    List<Call> a = tracker.calls(A);
    List<Call> b = tracker.calls(B);
    assertTrue(a.size() >= 6, "5 periodic samples and the last one, got " + a.size());
    assertEquals(steps(a.size()), stepsOf(a), "one call per sample, steps 0, 1, 2, …");
    assertEquals(a.stream().map(Call::points).toList(), b.stream().map(Call::points).toList(), "every run gets every point");
    for (int i = 0; i < a.size(); i++) {
      Call c = a.get(i);
      assertEquals(1, c.points().size());
      MetricPoint p = c.points().get(0);
      assertEquals("system/test_count", p.key());
      assertEquals(i + 1, p.value(), "source read once per sample");
      assertTrue(p.timestampMillis() >= wallBefore && p.timestampMillis() <= wallAfter, "wall clock: " + p.timestampMillis());
      if (i > 0) {
        assertTrue(p.timestampMillis() >= a.get(i - 1).points().get(0).timestampMillis(), "time goes forward");
      }
      if (i < a.size() - 1) {
        assertTrue(c.nanos() - before >= i * FAST.toNanos(),
            "sample " + i + " not before start + i x interval: " + (c.nanos() - before) / 1e6 + " ms");
      }
    }
    assertEquals(a.size(), counter.reads.get());
    assertNoSamplerThread();
  }

  @Test
  void closeTakesALastSampleStopsTheThreadAndIsIdempotent() throws Exception {
    RecordingTracker tracker = new RecordingTracker(calls -> calls >= 2);
    Counter counter = new Counter("system/test_count");
    SystemMetricsSampler sampler = SystemMetricsSampler.start(tracker, List.of(A, B), Duration.ofHours(1), List.of(counter));
    assertTrue(tracker.await(), "the first sample is taken at once");
    assertTrue(samplerThreadAlive(), "sampling on its own thread until closed");
    sampler.close();
    assertNoSamplerThread();
    assertEquals(2, sampler.samplesTaken());
    assertEquals(List.of(0L, 1L), stepsOf(tracker.calls(A)), "the first sample and the last one, taken by close");
    assertEquals(List.of(0L, 1L), stepsOf(tracker.calls(B)));
    assertEquals(2.0, tracker.calls(A).get(1).points().get(0).value());
    sampler.close();
    assertEquals(2, tracker.calls(A).size(), "a second close adds nothing");
    assertEquals(2, sampler.samplesTaken());
    assertEquals(2, counter.reads.get());
  }

  @Test
  void aFailingSourceIsLeftOutWithOneWarningAndTheOthersAreStillLogged() throws Exception {
    RecordingTracker tracker = new RecordingTracker(calls -> calls >= 6);
    SystemReadings broken = source("broken source", () -> {
      throw new IOException("no such file: /proc/broken");
    });
    SystemReadings notFinite = source("nan source", () -> Map.of("system/test_nan", Double.NaN));
    AtomicInteger flakyReads = new AtomicInteger();
    SystemReadings flaky = source("flaky source", () -> {
      if (flakyReads.getAndIncrement() % 2 == 1) {
        throw new IllegalStateException("unparsable");
      }
      return Map.of("system/test_flaky", 1.0);
    });
    Counter counter = new Counter("system/test_count");
    try (SystemMetricsSampler sampler =
        SystemMetricsSampler.start(tracker, List.of(A), FAST, List.of(broken, notFinite, counter, flaky))) {
      assertTrue(tracker.await());
    }
    List<Call> calls = tracker.calls(A);
    assertEquals(steps(calls.size()), stepsOf(calls), "no sample lost to the failing sources");
    for (Call c : calls) {
      Set<String> keys = c.points().stream().map(MetricPoint::key).collect(Collectors.toSet());
      Set<String> expected = c.step() % 2 == 0 ? Set.of("system/test_count", "system/test_flaky") : Set.of("system/test_count");
      assertEquals(expected, keys, "step " + c.step() + ": the failing sources' metrics left out, the others logged");
    }
    assertEquals(1, warnings("broken source"), "one warning per source, not per sample: " + events.list);
    assertEquals(1, warnings("nan source"));
    assertEquals(1, warnings("flaky source"));
    assertTrue(events.list.stream().anyMatch(e -> e.getFormattedMessage().contains("no such file: /proc/broken")),
        "the warning says why");
  }

  @Test
  void aTrackerThatThrowsDoesNotStopSamplingForTheOtherRuns() throws Exception {
    RecordingTracker tracker = new RecordingTracker(calls -> calls >= 4);
    tracker.refuse = A;
    try (SystemMetricsSampler sampler = SystemMetricsSampler.start(tracker, List.of(A, B), FAST, List.of(new Counter("system/x")))) {
      assertTrue(tracker.await());
    }
    assertTrue(tracker.calls(A).isEmpty());
    List<Call> b = tracker.calls(B);
    assertTrue(b.size() >= 5);
    assertEquals(steps(b.size()), stepsOf(b));
    assertEquals(1, warnings("could not be logged"), "one warning for the tracker: " + events.list);
    assertNoSamplerThread();
  }

  @Test
  void startRefusesEmptyRunsAndNonPositiveIntervalsNamingTheRule() {
    RecordingTracker tracker = new RecordingTracker(calls -> false);
    List<SystemReadings> sources = List.of(new Counter("system/x"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SystemMetricsSampler.start(tracker, List.of(), FAST, sources)).getMessage().contains("runs must not be empty"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SystemMetricsSampler.start(tracker, List.of(A), Duration.ZERO, sources)).getMessage().contains("interval must be positive"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SystemMetricsSampler.start(tracker, List.of(A), Duration.ofSeconds(-1), sources)).getMessage().contains("PT-1S"));
    assertThrows(NullPointerException.class, () -> SystemMetricsSampler.start(null, List.of(A), FAST, sources));
    assertThrows(NullPointerException.class, () -> SystemMetricsSampler.start(tracker, List.of(A), FAST, (Path) null));
    assertNoSamplerThread();
    assertTrue(tracker.all().isEmpty());
  }

  @Test
  void realReadingsLogEveryMetricWithPlausibleValues(@TempDir Path out) throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "Linux /proc");
    Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    RecordingTracker tracker = new RecordingTracker(calls -> false);
    CountDownLatch everyKey = new CountDownLatch(1);
    tracker.onCall = c -> {
      c.points().forEach(p -> seen.add(p.key()));
      if (seen.containsAll(SystemMetricNames.ALL)) {
        everyKey.countDown();
      }
    };
    try (SystemMetricsSampler sampler = SystemMetricsSampler.start(tracker, List.of(A), FAST, out.resolve("not-yet-created"))) {
      assertTrue(everyKey.await(AWAIT_S, TimeUnit.SECONDS), "every system metric logged, seen " + seen);
    }
    assertEquals(0, events.list.stream().filter(e -> e.getLevel() == Level.WARN).count(), "no source failed: " + events.list);
    int cores = Runtime.getRuntime().availableProcessors();
    double lastReceived = 0;
    double lastSent = 0;
    for (Call c : tracker.calls(A)) {
      Map<String, Double> v = new TreeMap<>();
      c.points().forEach(p -> v.put(p.key(), p.value()));
      assertTrue(SystemMetricNames.ALL.containsAll(v.keySet()), "only known keys: " + v.keySet());
      within(v, SystemMetricNames.CPU_UTILIZATION_PERCENTAGE, 0, 100);
      within(v, SystemMetricNames.PROCESS_CPU_PERCENTAGE, 0, 100.0 * cores);
      within(v, SystemMetricNames.SYSTEM_MEMORY_USAGE_PERCENTAGE, 0, 100);
      within(v, SystemMetricNames.DISK_USAGE_PERCENTAGE, 0, 100);
      assertTrue(v.get(SystemMetricNames.SYSTEM_MEMORY_USAGE_MEGABYTES) > 0, v.toString());
      assertTrue(v.get(SystemMetricNames.PROCESS_MEMORY_RSS_MEGABYTES) > 0, v.toString());
      assertTrue(v.get(SystemMetricNames.DISK_AVAILABLE_MEGABYTES) > 0, v.toString());
      assertTrue(v.get(SystemMetricNames.DISK_USAGE_MEGABYTES) >= 0, v.toString());
      double heap = v.get(SystemMetricNames.JVM_HEAP_USED_MEGABYTES);
      assertTrue(heap > 0 && heap <= v.get(SystemMetricNames.JVM_HEAP_MAX_MEGABYTES), v.toString());
      double received = v.get(SystemMetricNames.NETWORK_RECEIVE_MEGABYTES);
      double sent = v.get(SystemMetricNames.NETWORK_TRANSMIT_MEGABYTES);
      assertTrue(received >= lastReceived && sent >= lastSent, "traffic counted from the start, never down: " + v);
      lastReceived = received;
      lastSent = sent;
      if (c.step() == 0) {
        assertFalse(v.containsKey(SystemMetricNames.CPU_UTILIZATION_PERCENTAGE) || v.containsKey(SystemMetricNames.PROCESS_CPU_PERCENTAGE),
            "the first sample only sets the CPU baselines: " + v);
      }
    }
    assertEquals(0.0, tracker.calls(A).get(0).points().stream()
        .filter(p -> p.key().equals(SystemMetricNames.NETWORK_RECEIVE_MEGABYTES)).findFirst().orElseThrow().value());
  }

  // ---- helpers ----

  private static void within(Map<String, Double> values, String key, double lo, double hi) {
    Double v = values.get(key);
    if (v != null) {
      assertTrue(v >= lo && v <= hi, key + " = " + v + " not in [" + lo + ", " + hi + "]");
    }
  }

  private long warnings(String text) {
    return events.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(text)).count();
  }

  private static List<Long> steps(int n) {
    return LongStream.range(0, n).boxed().toList();
  }

  private static List<Long> stepsOf(List<Call> calls) {
    List<Long> steps = new ArrayList<>();
    for (Call c : calls) {
      Set<Long> s = c.points().stream().map(MetricPoint::step).collect(Collectors.toSet());
      assertEquals(1, s.size(), "one step per call");
      steps.add(c.step());
    }
    return steps;
  }

  private static boolean samplerThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(SystemMetricsSampler.THREAD_NAME) && t.isAlive());
  }

  private static void assertNoSamplerThread() {
    assertFalse(samplerThreadAlive(), "no " + SystemMetricsSampler.THREAD_NAME + " thread left");
  }

  interface Read {
    Map<String, Double> read() throws IOException;
  }

  private static SystemReadings source(String name, Read read) {
    return new SystemReadings() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Map<String, Double> read() throws IOException {
        return read.read();
      }
    };
  }

  /** Reports how many times it was read. */
  private static final class Counter implements SystemReadings {
    final AtomicInteger reads = new AtomicInteger();
    private final String key;

    Counter(String key) {
      this.key = key;
    }

    @Override
    public String name() {
      return "counter";
    }

    @Override
    public Map<String, Double> read() {
      return Map.of(key, (double) reads.incrementAndGet());
    }
  }

  record Call(RunRef run, List<MetricPoint> points, long nanos) {
    long step() {
      return points.get(0).step();
    }
  }

  /** Records logMetrics calls; {@link #await} returns once {@code done} holds for the number of calls. */
  private static final class RecordingTracker implements Tracker {
    private final List<Call> calls = new ArrayList<>();
    private final CountDownLatch latch = new CountDownLatch(1);
    private final Predicate<Integer> done;
    volatile RunRef refuse;
    volatile java.util.function.Consumer<Call> onCall = c -> {};

    RecordingTracker(Predicate<Integer> done) {
      this.done = done;
    }

    boolean await() throws InterruptedException {
      return latch.await(AWAIT_S, TimeUnit.SECONDS);
    }

    synchronized List<Call> all() {
      return List.copyOf(calls);
    }

    synchronized List<Call> calls(RunRef run) {
      return calls.stream().filter(c -> c.run().equals(run)).toList();
    }

    @Override
    public void logMetrics(RunRef run, List<MetricPoint> points) {
      if (run.equals(refuse)) {
        throw new IllegalStateException("tracker is closed");
      }
      Call c = new Call(run, List.copyOf(points), System.nanoTime());
      int n;
      synchronized (this) {
        calls.add(c);
        n = calls.size();
      }
      onCall.accept(c);
      if (done.test(n)) {
        latch.countDown();
      }
    }

    @Override
    public RunRef startRun(RunSpec spec) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void logParams(RunRef run, Map<String, String> params) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setTags(RunRef run, Map<String, String> tags) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void logInput(RunRef run, DatasetInput input) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void logArtifact(RunRef run, Path localFile, String artifactPath) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void endRun(RunRef run, RunStatus status) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void registerModel(RunRef run, io.slaft.tracking.ModelVersionSpec spec) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setModelAlias(RunRef run, String name, String alias) {
      throw new UnsupportedOperationException();
    }

    @Override
    public TrackingStatus flush() {
      throw new UnsupportedOperationException();
    }

    @Override
    public TrackingStatus status() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<String> remoteRunId(RunRef run) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
