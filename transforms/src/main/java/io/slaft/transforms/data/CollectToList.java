package io.slaft.transforms.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Collects every element of a (bounded) collection into one list, in no particular order, with an
 * explicit element coder; for the writers that need a whole split or all dead letters on one
 * worker ({@link WriteDeadLetters}, {@link MaterializeSplit}, the experiment's summary writer).
 */
public final class CollectToList<T> extends Combine.CombineFn<T, List<T>, List<T>> {
  private static final long serialVersionUID = 1L;
  private final Coder<T> elementCoder;

  CollectToList(Coder<T> elementCoder) {
    this.elementCoder = elementCoder;
  }

  /** Collects elements encoded with {@code elementCoder}. */
  public static <T> CollectToList<T> of(Coder<T> elementCoder) {
    return new CollectToList<>(elementCoder);
  }

  @Override
  public List<T> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<T> addInput(List<T> acc, T input) {
    acc.add(input);
    return acc;
  }

  @Override
  public List<T> mergeAccumulators(Iterable<List<T>> accs) {
    List<T> all = new ArrayList<>();
    for (List<T> a : accs) {
      all.addAll(a);
    }
    return all;
  }

  @Override
  public List<T> extractOutput(List<T> acc) {
    return acc;
  }

  @Override
  public Coder<List<T>> getAccumulatorCoder(CoderRegistry registry, Coder<T> in) {
    return ListCoder.of(elementCoder);
  }

  @Override
  public Coder<List<T>> getDefaultOutputCoder(CoderRegistry registry, Coder<T> in) {
    return ListCoder.of(elementCoder);
  }
}
