package io.slaft.transforms.perturb;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Replaces {@code round(r × eligible)} token positions. Eligible positions have attention mask 1,
 * hold no protected id, and (for [UNK]/[MASK] replacement) do not already hold the target id, so
 * every chosen position changes.
 */
final class TokenReplacement implements TokenPerturbation {

  private static final long serialVersionUID = 1L;

  enum Mode {
    RANDOM("token-random"),
    UNK("token-unk"),
    MASK("token-mask");

    final String registryName;

    Mode(String registryName) {
      this.registryName = registryName;
    }
  }

  private final Mode mode;
  private final TokenVocabulary vocabulary;

  TokenReplacement(Mode mode, TokenVocabulary vocabulary) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
  }

  @Override
  public String name() {
    return mode.registryName;
  }

  @Override
  public PerturbationLevel level() {
    return PerturbationLevel.TOKEN;
  }

  @Override
  public TokenVocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public int[] apply(int[] ids, int[] attentionMask, double ratio, SplittableRandom random) {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(attentionMask, "attentionMask");
    Objects.requireNonNull(random, "random");
    Units.checkRatio(ratio);
    if (attentionMask.length != ids.length) {
      throw new IllegalArgumentException("attentionMask length " + attentionMask.length
          + " must equal ids length " + ids.length);
    }
    int target = mode == Mode.UNK ? vocabulary.unkId() : vocabulary.maskId();
    int[] eligible = new int[ids.length];
    int n = 0;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabulary.size()) {
        throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
            + " is outside the vocabulary [0, " + vocabulary.size() + ")");
      }
      if (attentionMask[i] != 0 && attentionMask[i] != 1) {
        throw new IllegalArgumentException(
            "attention mask entries must be 0 or 1, got " + attentionMask[i] + " at position " + i);
      }
      if (attentionMask[i] == 1 && !vocabulary.isProtected(ids[i])
          && (mode == Mode.RANDOM || ids[i] != target)) {
        eligible[n++] = i;
      }
    }
    SplittableRandom positions = random.split();
    SplittableRandom content = random.split();
    int[] out = ids.clone();
    for (int unit : Units.choose(n, Units.count(ratio, n), positions)) {
      int i = eligible[unit];
      out[i] = mode == Mode.RANDOM ? vocabulary.sampleReplacement(ids[i], content) : target;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenReplacement other
        && mode == other.mode && vocabulary.equals(other.vocabulary);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, vocabulary);
  }

  @Override
  public String toString() {
    return mode.registryName;
  }
}
