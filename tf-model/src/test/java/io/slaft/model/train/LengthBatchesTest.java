package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LengthBatchesTest {
  private static final int[] LENGTHS = {5, 3, 5, 1, 3};
  private static final List<Integer> ITEMS = List.of(0, 1, 2, 3, 4);

  @Test
  void sortsByLengthKeepingTheOrderOfEqualLengthsAndCutsConsecutiveBatches() {
    List<List<Integer>> batches = LengthBatches.of(ITEMS, i -> LENGTHS[i], 2, false);
    assertEquals(List.of(List.of(3, 1), List.of(4, 0), List.of(2)), batches);
  }

  @Test
  void fullOnlyDropsTheShortLastBatch() {
    assertEquals(List.of(List.of(3, 1), List.of(4, 0)), LengthBatches.of(ITEMS, i -> LENGTHS[i], 2, true));
    assertEquals(List.of(), LengthBatches.of(ITEMS, i -> LENGTHS[i], 6, true));
    assertEquals(List.of(List.of(3, 1, 4, 0, 2)), LengthBatches.of(ITEMS, i -> LENGTHS[i], 6, false));
  }
}
