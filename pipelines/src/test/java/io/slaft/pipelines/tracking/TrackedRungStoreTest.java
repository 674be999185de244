package io.slaft.pipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.train.StopRule;
import io.slaft.model.train.TrainListener;
import io.slaft.tracking.SiblingTags;
import io.slaft.tracking.TrackingException;
import io.slaft.transforms.stopping.EarlyStopping;
import io.slaft.transforms.stopping.RungStopRule;
import io.slaft.transforms.stopping.RungStore;
import io.slaft.transforms.stopping.StopRuleKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The tracked rung store over in-memory run tags (the MLflow side: {@code SiblingTagsIntegrationTest}). */
class TrackedRungStoreTest {
  /** Run tags of one JVM, shared by every store of a test (as the server is shared by workers). */
  static final Map<String, Map<String, String>> RUNS = new ConcurrentHashMap<>();

  static final class MemoryTags implements SiblingTags {
    @Override
    public void put(String runKey, String tag, String value) {
      RUNS.computeIfAbsent(runKey, k -> new ConcurrentHashMap<>()).put(tag, value);
    }

    @Override
    public Map<String, String> read(String parentRunKey, String tag) {
      Map<String, String> out = new TreeMap<>();
      RUNS.forEach((key, tags) -> {
        if (key.startsWith(parentRunKey + "/") && tags.containsKey(tag)) {
          out.put(key, tags.get(tag));
        }
      });
      return out;
    }
  }

  private static TrackedRungStore store(String parent, List<String> tasks) {
    return new TrackedRungStore("exp", parent, tasks, MemoryTags::new);
  }

  @Test
  void aPointReportsOnEachTaskRunAndIsCountedOnceAmongTheOthers() {
    RUNS.clear();
    TrackedRungStore s = store("sweep-1", List.of("sst2", "mrpc"));
    s.report(10, "p1", 0.75);
    s.report(10, "p2", Double.NaN);
    s.report(30, "p3", 0.9);
    store("sweep-2", List.of("sst2")).report(10, "p9", 0.99); // another sweep's point
    assertEquals("0.75", RUNS.get(TrackingObserver.child("exp", "sweep-1", "p1", "sst2").runKey()).get("slaft.rung.10"));
    assertEquals("0.75", RUNS.get(TrackingObserver.child("exp", "sweep-1", "p1", "mrpc").runKey()).get("slaft.rung.10"));

    List<RungStore.Report> others = s.others(10, "p3");
    assertEquals(2, others.size(), others.toString());
    assertEquals(new RungStore.Report("p1", 0.75), others.get(0));
    assertEquals("p2", others.get(1).pointId());
    assertTrue(Double.isNaN(others.get(1).score()));
    assertEquals(List.of("p2"), s.others(10, "p1").stream().map(RungStore.Report::pointId).toList(), "never itself");
    assertEquals(List.of(new RungStore.Report("p3", 0.9)), s.others(30, "p1"));
  }

  @Test
  void itTravelsToWorkersAndDrivesTheStopRule() throws Exception {
    RUNS.clear();
    TrackedRungStore sent = store("sweep-3", List.of("sst2"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(sent);
    }
    RungStore worker;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      worker = (RungStore) in.readObject();
    }
    EarlyStopping asha = new EarlyStopping(StopRuleKind.ASHA, List.of(), 10, 2, 1);
    sent.report(10, "good", 0.8);
    StopRule bad = RungStopRule.of(asha, worker, "bad");
    Optional<StopRule.Stop> stop = bad.after(eval(10, 0.5));
    assertTrue(stop.isPresent(), "the worker's store sees the good point's report");
    assertEquals(10, stop.get().rung());
  }

  @Test
  void anUnreachableServerIsAnErrorTheStopRuleRidesOut() {
    TrackedRungStore down = new TrackedRungStore("exp", "sweep-4", List.of("sst2"), () -> new SiblingTags() {
      @Override
      public void put(String runKey, String tag, String value) {
        throw new TrackingException("connection refused", true);
      }

      @Override
      public Map<String, String> read(String parentRunKey, String tag) {
        throw new TrackingException("connection refused", true);
      }
    });
    assertThrows(TrackingException.class, () -> down.others(10, "p"));
    StopRule rule = RungStopRule.of(new EarlyStopping(StopRuleKind.ASHA, List.of(), 10, 2, 1), down, "p");
    assertEquals(Optional.empty(), rule.after(eval(10, 0.1)), "the point goes on");
  }

  @Test
  void pointOfIsTheInverseOfChild() {
    String key = TrackingObserver.child("exp", "sweep/x", "p1", "sst2").runKey();
    assertEquals(Optional.of("p1"), TrackingObserver.pointOf("sweep/x", key));
    assertEquals(Optional.empty(), TrackingObserver.pointOf("sweep/y", key));
    assertEquals(Optional.empty(), TrackingObserver.pointOf("sweep/x", "sweep/x"));
  }

  private static TrainListener.EvalInfo eval(int step, double score) {
    return new TrainListener.EvalInfo(step, "validation", Map.of("sst2", Map.of("accuracy", score)), score, false, Map.of(),
        Map.of());
  }
}
