package io.slaft.transforms.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeldOutTest {
  /** {@code counts[k]} rows of label k, interleaved as a shuffled file would be (lines 2.., after a header). */
  private static List<Example> classification(int... counts) {
    List<Integer> labels = new ArrayList<>();
    for (int k = 0; k < counts.length; k++) {
      for (int i = 0; i < counts[k]; i++) {
        labels.add(k);
      }
    }
    Collections.shuffle(labels, new Random(3));
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      rows.add(Example.classification("t", Split.TRAIN, "t-" + i, "text " + i, null, labels.get(i), "train.tsv", i + 2));
    }
    return rows;
  }

  private static long count(List<Example> rows, int label) {
    return rows.stream().filter(e -> e.label() == label).count();
  }

  private static Set<Long> lines(List<Example> rows) {
    Set<Long> s = new HashSet<>();
    rows.forEach(e -> s.add(e.line()));
    return s;
  }

  @Test
  void holdsOutTheFractionStratifiedByLabelAndLosesNoRow() {
    List<Example> rows = classification(700, 300);
    HeldOut.Parts p = HeldOut.split(rows, 0.1, 1000, 7);
    assertEquals(100, p.validation().size());
    assertEquals(900, p.train().size());
    assertEquals(70, count(p.validation(), 0));
    assertEquals(30, count(p.validation(), 1));
    Set<Long> all = lines(p.train());
    all.addAll(lines(p.validation()));
    assertEquals(lines(rows), all, "every row is in exactly one part");
    assertTrue(Collections.disjoint(lines(p.train()), lines(p.validation())));
    // both parts keep input order
    assertEquals(rows.stream().filter(p.train()::contains).toList(), p.train());
  }

  @Test
  void theCapBoundsTheSizeAndLargestRemaindersFillIt() {
    HeldOut.Parts p = HeldOut.split(classification(5000, 4000, 1000), 0.5, 1000, 1);
    assertEquals(1000, p.validation().size());
    assertEquals(500, count(p.validation(), 0));
    assertEquals(400, count(p.validation(), 1));
    assertEquals(100, count(p.validation(), 2));
    // 3 rows from 7+2+1 = 10 at 0.3: quotas 2.1, 0.6, 0.3 → 2 + 1 (largest remainder) + 0
    HeldOut.Parts small = HeldOut.split(classification(7, 2, 1), 0.3, 1000, 1);
    assertEquals(List.of(2L, 1L, 0L), List.of(count(small.validation(), 0), count(small.validation(), 1),
        count(small.validation(), 2)));
  }

  @Test
  void theSplitDependsOnSeedAndLinesNotOnReadOrder() {
    List<Example> rows = classification(60, 40);
    HeldOut.Parts a = HeldOut.split(rows, 0.2, 1000, 11);
    List<Example> reversed = new ArrayList<>(rows);
    Collections.reverse(reversed);
    HeldOut.Parts b = HeldOut.split(reversed, 0.2, 1000, 11);
    assertEquals(lines(a.validation()), lines(b.validation()));
    assertEquals(lines(a.validation()), lines(HeldOut.split(rows, 0.2, 1000, 11).validation()), "deterministic");
    assertNotEquals(lines(a.validation()), lines(HeldOut.split(rows, 0.2, 1000, 12).validation()), "seeded");
  }

  @Test
  void regressionIsStratifiedByScoreBins() {
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      // scores 0..5 with most rows low: a random 10 % could miss the top bin's range, the bins cannot
      float score = i < 400 ? (i % 100) / 100f : 4f + (i % 100) / 100f;
      rows.add(Example.regression("s", Split.TRAIN, "s-" + i, "a " + i, "b", score, "train.tsv", i + 2));
    }
    HeldOut.Parts p = HeldOut.split(rows, 0.1, 1000, 5);
    assertEquals(50, p.validation().size());
    assertEquals(10, p.validation().stream().filter(e -> e.score() >= 4f).count(), "the top fifth gives a fifth");
  }

  @Test
  void sizeKeepsAtLeastOneRowOnEachSide() {
    assertEquals(1, HeldOut.size(3, 0.01, 1000));
    assertEquals(1, HeldOut.size(2, 0.9, 1000));
    assertEquals(9, HeldOut.size(10, 0.99, 1000));
    assertEquals(250, HeldOut.size(100_000, 0.1, 250));
  }

  @Test
  void refusesWhatCannotBeSplit() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HeldOut.split(classification(1), 0.1, 10, 1))
        .getMessage().contains("at least 2"));
    assertThrows(IllegalArgumentException.class, () -> HeldOut.split(classification(5, 5), 0, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> HeldOut.split(classification(5, 5), 1, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> HeldOut.split(classification(5, 5), 0.5, 0, 1));
  }

  @Test
  void aSampleIsSeededIndependentOfReadOrderAndKeepsInputOrder() {
    List<Example> rows = classification(600, 400);
    List<Example> s = HeldOut.sample(rows, 100, 3);
    assertEquals(100, s.size());
    assertEquals(rows.stream().filter(s::contains).toList(), s, "input order");
    List<Example> reversed = new ArrayList<>(rows);
    Collections.reverse(reversed);
    assertEquals(lines(s), lines(HeldOut.sample(reversed, 100, 3)));
    assertNotEquals(lines(s), lines(HeldOut.sample(rows, 100, 4)));
    assertEquals(rows, HeldOut.sample(rows, 5000, 3), "fewer rows than asked for: all of them");
    assertThrows(IllegalArgumentException.class, () -> HeldOut.sample(rows, 0, 3));
  }
}
