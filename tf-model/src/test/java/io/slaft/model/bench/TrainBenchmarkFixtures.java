package io.slaft.model.bench;

import io.slaft.model.adapters.Method;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.train.TrainSpec;
import java.util.SplittableRandom;

/** {@link TrainBenchmark}'s spec and inputs for benchmarks in other packages' tests (the same setup, one place). */
public final class TrainBenchmarkFixtures {
  private TrainBenchmarkFixtures() {}

  /** The training spec {@code ./slaft bench train --method M} uses at batch {@code batch}. */
  public static TrainSpec spec(Method method, int batch) {
    return TrainBenchmark.spec(method, batch);
  }

  /** A random example of {@code length} tokens, as the train benchmark draws them. */
  public static Encoded randomEncoded(Backbone backbone, int length, SplittableRandom rnd) {
    return TrainBenchmark.randomEncoded(backbone, length, rnd);
  }
}
