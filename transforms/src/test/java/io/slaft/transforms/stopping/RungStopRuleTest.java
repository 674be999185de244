package io.slaft.transforms.stopping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.train.StopRule;
import io.slaft.model.train.TrainListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RungStopRuleTest {
  @TempDir Path dir;

  private static final EarlyStopping ASHA = new EarlyStopping(StopRuleKind.ASHA, List.of(), 10, 3, 1);

  private static TrainListener.EvalInfo eval(int step, double score) {
    return new TrainListener.EvalInfo(step, "validation", Map.of("t", Map.of("accuracy", score)), score, false, Map.of(),
        Map.of());
  }

  @Test
  void theFirstPointAtARungGoesOnAndALaterWorseOneStopsThere() {
    RungStore store = FileRungStore.at(dir);
    StopRule good = RungStopRule.of(ASHA, store, "good");
    StopRule bad = RungStopRule.of(ASHA, store, "bad");
    assertEquals(Optional.empty(), good.after(eval(10, 0.80)));
    Optional<StopRule.Stop> stop = bad.after(eval(10, 0.51));
    assertTrue(stop.isPresent());
    assertEquals(10, stop.get().step());
    assertEquals(10, stop.get().rung());
    assertEquals("asha rung 10: 0.5100 < cutoff 0.8000 of 1 other point", stop.get().reason());
    // a point at or above the cutoff goes on, and evaluations between rungs are not compared again
    StopRule better = RungStopRule.of(ASHA, store, "better");
    assertEquals(Optional.empty(), better.after(eval(10, 0.85)));
    assertEquals(Optional.empty(), better.after(eval(20, 0.10)));
    assertEquals(List.of(new RungStore.Report("bad", 0.51), new RungStore.Report("better", 0.85)), store.others(10, "good"));
  }

  @Test
  void aPointAheadOfTheOthersIsCheckedAgainAtItsLaterEvaluations() {
    RungStore store = FileRungStore.at(dir);
    StopRule early = RungStopRule.of(ASHA, store, "early");
    assertEquals(Optional.empty(), early.after(eval(10, 0.40)), "alone at rung 10: goes on");
    assertEquals(Optional.empty(), early.after(eval(20, 0.45)), "still alone");
    assertEquals(Optional.empty(), RungStopRule.of(ASHA, store, "late").after(eval(10, 0.70)));
    Optional<StopRule.Stop> late = early.after(eval(30, 0.99));
    assertTrue(late.isPresent(), "cut at its next rung on its rung-10 score, though it improved since");
    assertEquals(30, late.get().step());
    assertEquals(10, late.get().rung());
    assertEquals(List.of(), store.others(30, "x"), "a point cut on an earlier rung does not report the new one");

    // decided once: a point that went on at a rung is not compared there again
    RungStore store2 = FileRungStore.at(dir.resolve("2"));
    StopRule first = RungStopRule.of(ASHA, store2, "first");
    assertEquals(Optional.empty(), first.after(eval(10, 0.90)));
    assertTrue(RungStopRule.of(ASHA, store2, "second").after(eval(10, 0.80)).isPresent(), "below first's 0.90");
    assertEquals(Optional.empty(), first.after(eval(20, 0.10)), "0.90 is above the cutoff 0.80: decided, goes on");
    assertEquals(Optional.empty(), RungStopRule.of(ASHA, store2, "third").after(eval(10, 0.95)));
    assertEquals(Optional.empty(), first.after(eval(30, 0.10)), "rung 10 is not compared again (third is above it now)");
  }

  @Test
  void minPointsWaitsForThatManyOthers() {
    EarlyStopping two = new EarlyStopping(StopRuleKind.MEDIAN, List.of(), 10, 3, 2);
    RungStore store = FileRungStore.at(dir);
    assertEquals(Optional.empty(), RungStopRule.of(two, store, "a").after(eval(10, 0.8)));
    assertEquals(Optional.empty(), RungStopRule.of(two, store, "b").after(eval(10, 0.7)), "one other point: not enough");
    assertTrue(RungStopRule.of(two, store, "c").after(eval(10, 0.6)).isPresent(), "below the median of 0.8 and 0.7");
  }

  @Test
  void aFailingStoreLetsThePointGoOn() {
    RungStore broken = new RungStore() {
      @Override
      public void report(int rung, String pointId, double score) {
        throw new IllegalStateException("disk full");
      }

      @Override
      public List<Report> others(int rung, String pointId) {
        throw new IllegalStateException("unreachable");
      }
    };
    assertEquals(Optional.empty(), RungStopRule.of(ASHA, broken, "a").after(eval(10, 0.1)));
  }

  @Test
  void offIsNever() {
    assertSame(StopRule.NEVER, RungStopRule.of(EarlyStopping.OFF, FileRungStore.at(dir), "a"));
  }
}
