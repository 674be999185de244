package io.slaft.pipelines.robustness;

import io.slaft.model.testing.TinyTasks;
import io.slaft.transforms.perturb.TokenVocabulary;
import java.util.Set;

/** The token vocabulary of tf-model's {@link TinyTasks} backbone, for token perturbations in tests. */
final class TinyVocabulary {
  private TinyVocabulary() {}

  /** [PAD]=0, [CLS]=1, [UNK]=2, [SEP]=3, [MASK]=4; content ids are 10..39. */
  static TokenVocabulary of() {
    return new TokenVocabulary(TinyTasks.VOCAB, 0, 2, TinyTasks.CLS, TinyTasks.SEP, 4, Set.of(5, 6, 8, 9));
  }
}
