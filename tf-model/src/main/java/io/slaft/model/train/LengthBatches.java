package io.slaft.model.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The one length-bucketing rule of slaft: items sorted by token length (stable, so equal lengths
 * keep their order) and cut into consecutive batches, so each batch pads to a similar length.
 * Training applies it to each shuffled window of an epoch ({@link BatchIterator}, full batches
 * only); evaluation to a whole split (every item, the last batch may be short).
 */
final class LengthBatches {
  private LengthBatches() {}

  /**
   * {@code items} sorted by {@code length} and cut into batches of {@code batchSize}; with
   * {@code fullOnly} a short last batch is dropped.
   */
  static <T> List<List<T>> of(List<T> items, ToIntFunction<? super T> length, int batchSize, boolean fullOnly) {
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparingInt(length));
    List<List<T>> batches = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i += batchSize) {
      if (fullOnly && i + batchSize > sorted.size()) {
        break;
      }
      batches.add(List.copyOf(sorted.subList(i, Math.min(sorted.size(), i + batchSize))));
    }
    return batches;
  }
}
