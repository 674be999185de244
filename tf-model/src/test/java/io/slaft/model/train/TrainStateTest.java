package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrainStateTest {
  @Test
  void keepsTheBestEvaluationAndSnapshotsOnlyWhenItImproves() {
    TrainState st = new TrainState();
    AtomicInteger snapshots = new AtomicInteger();
    List<TaskResult> first = List.of();
    assertTrue(st.offer(10, 0.5, first, () -> snap(snapshots, 1f)), "the first evaluation is the best so far");
    assertFalse(st.offer(20, 0.5, List.of(), () -> snap(snapshots, 2f)), "a tie is not an improvement");
    assertFalse(st.offer(30, 0.4, List.of(), () -> snap(snapshots, 3f)));
    assertEquals(1, snapshots.get(), "parameters are copied only for a new best");
    assertEquals(10, st.bestStep);
    assertSame(first, st.bestResults);
    assertTrue(st.offer(40, 0.7, List.of(), () -> snap(snapshots, 4f)));
    assertEquals(40, st.bestStep);
    assertEquals(4f, st.best.get("w")[0]);
    assertEquals(0.7, st.bestScore);
  }

  @Test
  void patienceCountsEvaluationsSinceTheBestAndZeroNeverStops() {
    TrainState st = new TrainState();
    st.offer(1, 0.9, List.of(), Map::of);
    st.offer(2, 0.1, List.of(), Map::of);
    assertFalse(st.patienceExhausted(2));
    assertFalse(st.patienceExhausted(0));
    st.offer(3, 0.1, List.of(), Map::of);
    assertTrue(st.patienceExhausted(2));
    assertFalse(st.patienceExhausted(0), "patience 0 turns early stopping off");
    st.offer(4, 1.0, List.of(), Map::of);
    assertFalse(st.patienceExhausted(2), "a new best resets the count");
  }

  private static Map<String, float[]> snap(AtomicInteger count, float v) {
    count.incrementAndGet();
    return Map.of("w", new float[] {v});
  }
}
