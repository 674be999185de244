package io.slaft.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Endless, deterministic batches over one task's training examples with length bucketing: each
 * epoch is a seeded permutation, cut into windows of {@code window} batches that are batched by
 * length ({@link LengthBatches}, full batches only), whose order is shuffled again. The position (epoch, batch) is
 * the whole state, so a resumed run continues with exactly the batches it would have seen.
 */
final class BatchIterator {
  private final List<LabeledExample> examples;
  private final int batchSize;
  private final int window;
  private final long seed;
  private int epoch;
  private int position;
  private List<List<LabeledExample>> current;

  BatchIterator(List<LabeledExample> examples, int batchSize, int window, long seed) {
    this.examples = examples;
    this.batchSize = Math.min(batchSize, examples.size());
    this.window = window;
    this.seed = seed;
  }

  List<LabeledExample> next() {
    if (current == null) {
      current = epochBatches(epoch);
    }
    if (position >= current.size()) {
      epoch++;
      position = 0;
      current = epochBatches(epoch);
    }
    return current.get(position++);
  }

  int epoch() {
    return epoch;
  }

  int position() {
    return position;
  }

  void seek(int epoch, int position) {
    this.epoch = epoch;
    this.position = position;
    this.current = epochBatches(epoch);
  }

  private List<List<LabeledExample>> epochBatches(int e) {
    Random r = new Random(seed * 31 + e);
    List<LabeledExample> perm = new ArrayList<>(examples);
    Collections.shuffle(perm, r);
    List<List<LabeledExample>> batches = new ArrayList<>();
    int span = batchSize * window;
    for (int start = 0; start < perm.size(); start += span) {
      batches.addAll(LengthBatches.of(perm.subList(start, Math.min(perm.size(), start + span)),
          x -> x.tokens().length(), batchSize, true));
    }
    if (batches.isEmpty()) {
      batches.add(List.copyOf(perm));
    }
    Collections.shuffle(batches, r);
    return batches;
  }
}
