package io.slaft.transforms.perturb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TextPerturbationTest {

  private static final List<String> CORPUS = Corpus.sentences();
  private static final double[] RATIOS = {0.05, 0.10, 0.15, 0.20, 0.50};
  /**
   * Corpus-level tolerance on the fraction of units the swaps displace (stochastic rounding to an
   * even count). The other perturbations change exactly round(r × n) units per sentence, so their
   * corpus fraction is within the rounding bound 0.5 × sentences / units of r.
   */
  private static final double SWAP_TOLERANCE = 0.01;

  static List<String> textNames() {
    return Perturbations.textNames();
  }

  @Test
  void registryHasTheDocumentedNames() {
    assertEquals(List.of("char-swap", "char-delete", "char-insert", "char-keyboard",
        "word-dropout", "word-swap", "word-duplicate"), Perturbations.textNames());
    assertEquals(List.of("token-random", "token-unk", "token-mask"), Perturbations.tokenNames());
    for (String name : Perturbations.textNames()) {
      assertEquals(name, Perturbations.text(name).name());
    }
    assertTrue(CORPUS.size() >= 20, "corpus has " + CORPUS.size() + " sentences");
  }

  @Test
  void unknownNameListsAllowedNames() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Perturbations.text("char-swp"));
    assertEquals("unknown perturbation 'char-swp'; allowed: char-swap, char-delete, char-insert,"
        + " char-keyboard, word-dropout, word-swap, word-duplicate, token-random, token-unk,"
        + " token-mask", e.getMessage());
    IllegalArgumentException wrongLevel =
        assertThrows(IllegalArgumentException.class, () -> Perturbations.text("token-unk"));
    assertTrue(wrongLevel.getMessage().contains("works on token ids"), wrongLevel.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Perturbations.token("word-swap", TokenVocabulary.bertUncased()));
  }

  @ParameterizedTest
  @MethodSource("textNames")
  void ratioZeroIsTheIdentity(String name) {
    TextPerturber perturber = TextPerturber.of(name, 0.0, 7L);
    for (int i = 0; i < CORPUS.size(); i++) {
      String text = CORPUS.get(i);
      assertSame(text, perturber.apply("ex" + i, text));
    }
    assertEquals("", perturber.apply("empty", ""));
  }

  @ParameterizedTest
  @MethodSource("textNames")
  void rejectsRatiosOutsideTheUnitInterval(String name) {
    TextPerturbation p = Perturbations.text(name);
    for (double bad : new double[] {-0.01, 1.01, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> p.apply("some text", bad, new SplittableRandom(1)));
      assertTrue(e.getMessage().startsWith("ratio must be in [0, 1]"), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("textNames")
  void changesTheRequestedFractionOfUnits(String name) {
    for (double ratio : RATIOS) {
      TextPerturber perturber = TextPerturber.of(name, ratio, 11L);
      long changed = 0;
      long units = 0;
      for (int i = 0; i < CORPUS.size(); i++) {
        String in = CORPUS.get(i);
        String out = perturber.apply("ex" + i, in);
        int n = units(name, in);
        int c = changedUnits(name, in, out);
        if (name.endsWith("-swap")) {
          assertTrue(c % 2 == 0 && Math.abs(c - ratio * n) < 2.0 + 1e-9,
              name + " r=" + ratio + " displaced " + c + " of " + n + ": " + in + " -> " + out);
        } else {
          assertEquals(Math.round(ratio * n), c, name + " r=" + ratio + ": " + in + " -> " + out);
        }
        changed += c;
        units += n;
      }
      double fraction = (double) changed / units;
      double tolerance = name.endsWith("-swap") ? SWAP_TOLERANCE : 0.5 * CORPUS.size() / units;
      assertEquals(ratio, fraction, tolerance, name + " changed fraction at r=" + ratio);
    }
  }

  @ParameterizedTest
  @MethodSource("textNames")
  void deterministicPerSeedAndDifferentAcrossSeeds(String name) {
    TextPerturber a = TextPerturber.of(name, 0.2, 1L);
    TextPerturber again = TextPerturber.of(name, 0.2, 1L);
    TextPerturber b = TextPerturber.of(name, 0.2, 2L);
    int differing = 0;
    for (int i = 0; i < CORPUS.size(); i++) {
      String text = CORPUS.get(i);
      assertEquals(a.apply("ex" + i, text), again.apply("ex" + i, text));
      if (!a.apply("ex" + i, text).equals(b.apply("ex" + i, text))) {
        differing++;
      }
    }
    assertTrue(differing >= 0.8 * CORPUS.size(),
        name + ": seeds 1 and 2 differ on only " + differing + " of " + CORPUS.size());
  }

  @ParameterizedTest
  @MethodSource("textNames")
  void outputDoesNotDependOnProcessingOrder(String name) {
    TextPerturber perturber = TextPerturber.of(name, 0.15, 3L);
    Map<String, String> sequential = new HashMap<>();
    for (int i = 0; i < CORPUS.size(); i++) {
      sequential.put("ex" + i, perturber.apply("ex" + i, CORPUS.get(i)));
    }
    List<Integer> shuffled = new ArrayList<>(IntStream.range(0, CORPUS.size()).boxed().toList());
    Collections.shuffle(shuffled, new Random(5));
    Map<String, String> parallel = new java.util.concurrent.ConcurrentHashMap<>();
    shuffled.parallelStream()
        .forEach(i -> parallel.put("ex" + i, perturber.apply("ex" + i, CORPUS.get(i))));
    assertEquals(sequential, parallel);
  }

  @ParameterizedTest
  @MethodSource("textNames")
  void pairsPerturbBothSidesIndependently(String name) {
    TextPerturber perturber = TextPerturber.of(name, 0.3, 9L);
    String first = CORPUS.get(2);
    String second = CORPUS.get(3);
    List<String> pair = perturber.applyAll("pair-1", List.of(first, second));
    assertEquals(perturber.apply("pair-1", 0, first), pair.get(0));
    assertEquals(perturber.apply("pair-1", 1, second), pair.get(1));
    assertEquals(perturber.apply("pair-1", first), pair.get(0));
    assertNotEquals(first, pair.get(0));
    assertNotEquals(second, pair.get(1));
    List<String> same = perturber.applyAll("pair-1", List.of(first, first));
    assertNotEquals(same.get(0), same.get(1), "segments must use independent streams");
  }

  @ParameterizedTest
  @MethodSource("textNames")
  void survivesJavaSerialization(String name) throws Exception {
    TextPerturber perturber = TextPerturber.of(name, 0.2, 4L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(perturber);
    }
    TextPerturber copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (TextPerturber) in.readObject();
    }
    assertEquals(perturber, copy);
    assertSame(perturber.perturbation(), copy.perturbation());
    assertEquals(perturber.apply("k", CORPUS.get(0)), copy.apply("k", CORPUS.get(0)));
  }

  @Test
  void lowerRatiosChangeASubsetOfHigherRatios() {
    TextPerturber low = TextPerturber.of("char-keyboard", 0.05, 21L);
    TextPerturber high = TextPerturber.of("char-keyboard", 0.20, 21L);
    for (int i = 0; i < CORPUS.size(); i++) {
      String in = CORPUS.get(i);
      String a = low.apply("ex" + i, in);
      String b = high.apply("ex" + i, in);
      for (int j = 0; j < in.length(); j++) {
        if (a.charAt(j) != in.charAt(j)) {
          assertEquals(a.charAt(j), b.charAt(j), "position " + j + " of " + in);
        }
      }
    }
    TextPerturber lowDrop = TextPerturber.of("word-dropout", 0.1, 21L);
    TextPerturber highDrop = TextPerturber.of("word-dropout", 0.3, 21L);
    for (int i = 0; i < CORPUS.size(); i++) {
      List<String> keptHigh = words(highDrop.apply("ex" + i, CORPUS.get(i)));
      List<String> keptLow = words(lowDrop.apply("ex" + i, CORPUS.get(i)));
      assertTrue(isSubsequence(keptHigh, keptLow), keptHigh + " vs " + keptLow);
    }
  }

  @Test
  void characterEditsHaveTheirStatedShape() {
    String text = "The quick brown fox, 42 jumps!";
    for (int seed = 0; seed < 50; seed++) {
      String deleted =
          Perturbations.text("char-delete").apply(text, 0.5, new SplittableRandom(seed));
      assertTrue(isSubsequence(chars(deleted), chars(text)), deleted);
      assertTrue(deleted.contains(", 42 ") && deleted.endsWith("!"), deleted);

      String inserted =
          Perturbations.text("char-insert").apply(text, 0.5, new SplittableRandom(seed));
      assertTrue(isSubsequence(chars(text), chars(inserted)), inserted);
      assertEquals(text.length() + 11, inserted.length());

      String typo =
          Perturbations.text("char-keyboard").apply(text, 1.0, new SplittableRandom(seed));
      for (int j = 0; j < text.length(); j++) {
        char c = text.charAt(j);
        if (Keyboard.hasKey(c)) {
          String near = new String(Keyboard.neighbours(c));
          assertTrue(near.indexOf(Character.toLowerCase(typo.charAt(j))) >= 0,
              c + " -> " + typo.charAt(j));
          assertEquals(Character.isUpperCase(c), Character.isUpperCase(typo.charAt(j)));
        } else {
          assertEquals(c, typo.charAt(j));
        }
      }

      String swapped = Perturbations.text("char-swap").apply(text, 0.4, new SplittableRandom(seed));
      assertEquals(text.length(), swapped.length());
      for (int j = 0; j < text.length(); j++) {
        if (swapped.charAt(j) != text.charAt(j)) {
          boolean withNext = j + 1 < text.length() && swapped.charAt(j) == text.charAt(j + 1)
              && swapped.charAt(j + 1) == text.charAt(j);
          assertTrue(withNext, "not an adjacent transposition at " + j + ": " + swapped);
          j++;
        }
      }
    }
  }

  @Test
  void keyboardNeighboursFollowTheQwertyLayout() {
    assertEquals("wa", new String(Keyboard.neighbours('q')));
    assertEquals("adwezx".chars().sorted().boxed().toList(),
        new String(Keyboard.neighbours('s')).chars().sorted().boxed().toList());
    assertEquals("fhtyvb".chars().sorted().boxed().toList(),
        new String(Keyboard.neighbours('G')).chars().sorted().boxed().toList());
    assertEquals("njk".chars().sorted().boxed().toList(),
        new String(Keyboard.neighbours('m')).chars().sorted().boxed().toList());
  }

  @Test
  void wordEditsKeepTheSpacingOfUntouchedWords() {
    String text = "  alpha\tbeta  gamma delta\n";
    SplittableRandom random = new SplittableRandom(1);
    String swapped = Perturbations.text("word-swap").apply(text, 0.5, random);
    assertTrue(swapped.equals("  beta\talpha  gamma delta\n")
        || swapped.equals("  alpha\tgamma  beta delta\n")
        || swapped.equals("  alpha\tbeta  delta gamma\n"), swapped);
    assertEquals("  \n", Perturbations.text("word-dropout").apply(text, 1.0, random));
    assertEquals("  alpha alpha\tbeta beta  gamma gamma delta delta\n",
        Perturbations.text("word-duplicate").apply(text, 1.0, random));
    String dropped = Perturbations.text("word-dropout").apply("one two three four", 0.5, random);
    assertEquals(2, words(dropped).size());
    assertTrue(dropped.matches("\\S+ \\S+"), dropped);
  }

  static int units(String name, String text) {
    if (name.startsWith("word-")) {
      return words(text).size();
    }
    int n = 0;
    for (char c : text.toCharArray()) {
      if (name.equals("char-keyboard") ? Keyboard.hasKey(c) : Character.isLetter(c)) {
        n++;
      }
    }
    return n;
  }

  static int changedUnits(String name, String in, String out) {
    switch (name) {
      case "char-delete":
      case "char-insert":
        return Math.abs(units(name, in) - units(name, out));
      case "char-keyboard":
      case "char-swap":
        assertEquals(in.length(), out.length());
        return (int) IntStream.range(0, in.length()).filter(i -> in.charAt(i) != out.charAt(i))
            .count();
      case "word-dropout":
      case "word-duplicate":
        return Math.abs(words(in).size() - words(out).size());
      case "word-swap":
        List<String> a = words(in);
        List<String> b = words(out);
        assertEquals(a.size(), b.size());
        return (int) IntStream.range(0, a.size()).filter(i -> !a.get(i).equals(b.get(i))).count();
      default:
        throw new AssertionError(name);
    }
  }

  static List<String> words(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
  }

  static List<Character> chars(String s) {
    return s.chars().mapToObj(c -> (char) c).toList();
  }

  static <T> boolean isSubsequence(List<T> sub, List<T> of) {
    int j = 0;
    for (T t : of) {
      if (j < sub.size() && sub.get(j).equals(t)) {
        j++;
      }
    }
    return j == sub.size();
  }
}
