package io.slaft.transforms.perturb;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Word-level perturbations. Units are maximal runs of non-whitespace characters; the whitespace
 * between untouched words is preserved.
 */
final class WordPerturbation implements TextPerturbation {

  private static final long serialVersionUID = 1L;

  enum Kind {

    /**
     * Removes {@code round(r × words)} words, each with the whitespace that follows it (the text's
     * trailing whitespace is kept). Ratio 1 leaves only the leading and trailing whitespace.
     */
    DROPOUT {
      @Override
      String perturb(
          Words words, double ratio, SplittableRandom positions, SplittableRandom content) {
        boolean[] dropped = new boolean[words.size()];
        for (int unit : Units.choose(words.size(), Units.count(ratio, words.size()), positions)) {
          dropped[unit] = true;
        }
        return words.joinKept(dropped);
      }
    },

    /**
     * Swaps disjoint pairs of adjacent, different words, displacing
     * about {@code r × words} words (an even number within 2 of it, exact in expectation), or as
     * many as the text allows.
     */
    SWAP {
      @Override
      String perturb(
          Words words, double ratio, SplittableRandom positions, SplittableRandom content) {
        List<String> out = new ArrayList<>(words.words);
        int pairs = Units.swapPairs(ratio, out.size(), content);
        int[] starts = new int[out.size()];
        int candidates = 0;
        for (int i = 0; i + 1 < out.size(); i++) {
          if (!out.get(i).equals(out.get(i + 1))) {
            starts[candidates++] = i;
          }
        }
        boolean[] used = new boolean[out.size()];
        Units.Permutation order = new Units.Permutation(candidates, positions);
        int swapped = 0;
        while (swapped < pairs && order.hasNext()) {
          int i = starts[order.next()];
          if (!used[i] && !used[i + 1]) {
            String left = out.get(i);
            out.set(i, out.get(i + 1));
            out.set(i + 1, left);
            used[i] = true;
            used[i + 1] = true;
            swapped++;
          }
        }
        return words.join(out);
      }
    },

    /** Repeats {@code round(r × words)} words in place, separated from their copy by one space. */
    DUPLICATE {
      @Override
      String perturb(
          Words words, double ratio, SplittableRandom positions, SplittableRandom content) {
        List<String> out = new ArrayList<>(words.words);
        for (int unit : Units.choose(out.size(), Units.count(ratio, out.size()), positions)) {
          out.set(unit, out.get(unit) + " " + out.get(unit));
        }
        return words.join(out);
      }
    };

    abstract String perturb(
        Words words, double ratio, SplittableRandom positions, SplittableRandom content);
  }

  static final WordPerturbation DROPOUT = new WordPerturbation(Kind.DROPOUT, "word-dropout");
  static final WordPerturbation SWAP = new WordPerturbation(Kind.SWAP, "word-swap");
  static final WordPerturbation DUPLICATE = new WordPerturbation(Kind.DUPLICATE, "word-duplicate");

  /** Every instance, in registry order. */
  static final WordPerturbation[] ALL = {DROPOUT, SWAP, DUPLICATE};

  private final Kind kind;
  private final String registryName;

  private WordPerturbation(Kind kind, String registryName) {
    this.kind = kind;
    this.registryName = registryName;
  }

  @Override
  public String name() {
    return registryName;
  }

  @Override
  public PerturbationLevel level() {
    return PerturbationLevel.WORD;
  }

  @Override
  public String apply(String text, double ratio, SplittableRandom random) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(random, "random");
    Units.checkRatio(ratio);
    SplittableRandom positions = random.split();
    SplittableRandom content = random.split();
    if (ratio == 0.0) {
      return text;
    }
    Words words = Words.split(text);
    return words.size() == 0 ? text : kind.perturb(words, ratio, positions, content);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WordPerturbation other && kind == other.kind;
  }

  @Override
  public int hashCode() {
    return kind.hashCode();
  }

  private Object readResolve() {
    return ALL[kind.ordinal()];
  }

  @Override
  public String toString() {
    return registryName;
  }
}
