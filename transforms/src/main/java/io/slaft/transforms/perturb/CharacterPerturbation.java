package io.slaft.transforms.perturb;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Character-level perturbations. Units are letters ({@link Character#isLetter(char)}), except for
 * keyboard substitution whose units are the ASCII letters (the keys of a QWERTY keyboard).
 * Non-letters (spaces, digits, punctuation) are never changed.
 */
final class CharacterPerturbation implements TextPerturbation {

  private static final long serialVersionUID = 1L;

  enum Kind {

    /**
     * Swaps disjoint pairs of adjacent, different letters inside a word, displacing
     * about {@code r × letters} letters (an even number within 2 of it, exact in expectation), or
     * as many as the text allows when it has fewer disjoint swappable pairs.
     */
    SWAP {
      @Override
      String perturb(
          String text, double ratio, SplittableRandom positions, SplittableRandom content) {
        char[] chars = text.toCharArray();
        int pairs = Units.swapPairs(ratio, letters(chars), content);
        int[] starts = new int[chars.length];
        int candidates = 0;
        for (int i = 0; i + 1 < chars.length; i++) {
          if (Character.isLetter(chars[i]) && Character.isLetter(chars[i + 1])
              && chars[i] != chars[i + 1]) {
            starts[candidates++] = i;
          }
        }
        boolean[] used = new boolean[chars.length];
        Units.Permutation order = new Units.Permutation(candidates, positions);
        int swapped = 0;
        while (swapped < pairs && order.hasNext()) {
          int i = starts[order.next()];
          if (!used[i] && !used[i + 1]) {
            char left = chars[i];
            chars[i] = chars[i + 1];
            chars[i + 1] = left;
            used[i] = true;
            used[i + 1] = true;
            swapped++;
          }
        }
        return new String(chars);
      }
    },

    /** Deletes {@code round(r × letters)} letters. */
    DELETE {
      @Override
      String perturb(
          String text, double ratio, SplittableRandom positions, SplittableRandom content) {
        int[] letters = letterIndexes(text);
        boolean[] deleted = new boolean[text.length()];
        int k = Units.count(ratio, letters.length);
        for (int unit : Units.choose(letters.length, k, positions)) {
          deleted[letters[unit]] = true;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
          if (!deleted[i]) {
            out.append(text.charAt(i));
          }
        }
        return out.toString();
      }
    },

    /**
     * Inserts a uniformly random lower-case ASCII letter after each of {@code round(r × letters)}
     * letters.
     */
    INSERT {
      @Override
      String perturb(
          String text, double ratio, SplittableRandom positions, SplittableRandom content) {
        int[] letters = letterIndexes(text);
        char[] inserted = new char[text.length()];
        int k = Units.count(ratio, letters.length);
        for (int unit : Units.choose(letters.length, k, positions)) {
          inserted[letters[unit]] = (char) ('a' + content.nextInt(26));
        }
        StringBuilder out = new StringBuilder(text.length() + letters.length);
        for (int i = 0; i < text.length(); i++) {
          out.append(text.charAt(i));
          if (inserted[i] != 0) {
            out.append(inserted[i]);
          }
        }
        return out.toString();
      }
    },

    /**
     * Replaces {@code round(r × ASCII letters)} ASCII letters by a uniformly chosen QWERTY
     * neighbour of the same case.
     */
    KEYBOARD {
      @Override
      String perturb(
          String text, double ratio, SplittableRandom positions, SplittableRandom content) {
        char[] chars = text.toCharArray();
        int[] keys = new int[chars.length];
        int n = 0;
        for (int i = 0; i < chars.length; i++) {
          if (Keyboard.hasKey(chars[i])) {
            keys[n++] = i;
          }
        }
        for (int unit : Units.choose(n, Units.count(ratio, n), positions)) {
          int i = keys[unit];
          char[] near = Keyboard.neighbours(chars[i]);
          char replacement = near[content.nextInt(near.length)];
          chars[i] =
              Character.isUpperCase(chars[i]) ? Character.toUpperCase(replacement) : replacement;
        }
        return new String(chars);
      }
    };

    abstract String perturb(
      String text, double ratio, SplittableRandom positions, SplittableRandom content);
  }

  static final CharacterPerturbation SWAP = new CharacterPerturbation(Kind.SWAP, "char-swap");
  static final CharacterPerturbation DELETE = new CharacterPerturbation(Kind.DELETE, "char-delete");
  static final CharacterPerturbation INSERT = new CharacterPerturbation(Kind.INSERT, "char-insert");
  static final CharacterPerturbation KEYBOARD =
      new CharacterPerturbation(Kind.KEYBOARD, "char-keyboard");

  /** Every instance, in registry order. */
  static final CharacterPerturbation[] ALL = {SWAP, DELETE, INSERT, KEYBOARD};

  private final Kind kind;
  private final String registryName;

  private CharacterPerturbation(Kind kind, String registryName) {
    this.kind = kind;
    this.registryName = registryName;
  }

  @Override
  public String name() {
    return registryName;
  }

  @Override
  public PerturbationLevel level() {
    return PerturbationLevel.CHARACTER;
  }

  @Override
  public String apply(String text, double ratio, SplittableRandom random) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(random, "random");
    Units.checkRatio(ratio);
    SplittableRandom positions = random.split();
    SplittableRandom content = random.split();
    if (ratio == 0.0 || text.isEmpty()) {
      return text;
    }
    return kind.perturb(text, ratio, positions, content);
  }

  static int letters(char[] chars) {
    int n = 0;
    for (char c : chars) {
      if (Character.isLetter(c)) {
        n++;
      }
    }
    return n;
  }

  static int[] letterIndexes(String text) {
    int[] indexes = new int[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (Character.isLetter(text.charAt(i))) {
        indexes[n++] = i;
      }
    }
    return Arrays.copyOf(indexes, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CharacterPerturbation other && kind == other.kind;
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
