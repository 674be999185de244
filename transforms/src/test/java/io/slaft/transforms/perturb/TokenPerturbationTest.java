package io.slaft.transforms.perturb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TokenPerturbationTest {

  private static final TokenVocabulary BERT = TokenVocabulary.bertUncased();
  private static final int CLS = 101;
  private static final int SEP = 102;
  private static final int PAD = 0;
  private static final int UNK = 100;
  private static final int MASK = 103;
  private static final double[] RATIOS = {0.05, 0.10, 0.15, 0.20, 0.50, 1.0};

  /** Sentence-pair sequences: [CLS] a [SEP] b [SEP] [PAD]..., with a few [UNK]s in the content. */
  private static final List<int[][]> SEQUENCES = sequences(200, 64);

  static List<String> tokenNames() {
    return Perturbations.tokenNames();
  }

  @ParameterizedTest
  @MethodSource("tokenNames")
  void ratioZeroIsTheIdentity(String name) {
    TokenPerturber perturber = TokenPerturber.of(name, BERT, 0.0, 5L);
    for (int i = 0; i < SEQUENCES.size(); i++) {
      int[][] s = SEQUENCES.get(i);
      int[] ids = s[0].clone();
      assertArrayEquals(s[0], perturber.apply("ex" + i, ids, s[1]));
      assertArrayEquals(s[0], ids, "input must not be modified");
    }
  }

  @ParameterizedTest
  @MethodSource("tokenNames")
  void changesExactlyTheRequestedShareOfEligiblePositions(String name) {
    for (double ratio : RATIOS) {
      TokenPerturber perturber = TokenPerturber.of(name, BERT, ratio, 8L);
      for (int i = 0; i < SEQUENCES.size(); i++) {
        int[] ids = SEQUENCES.get(i)[0];
        int[] mask = SEQUENCES.get(i)[1];
        int[] out = perturber.apply("ex" + i, ids, mask);
        int eligible = 0;
        int changed = 0;
        for (int j = 0; j < ids.length; j++) {
          boolean special = ids[j] == CLS || ids[j] == SEP || ids[j] == PAD || mask[j] == 0;
          boolean alreadyTarget = (name.equals("token-unk") && ids[j] == UNK)
              || (name.equals("token-mask") && ids[j] == MASK);
          if (special) {
            assertEquals(ids[j], out[j], name + " touched special position " + j);
          } else if (!alreadyTarget) {
            eligible++;
          }
          if (out[j] != ids[j]) {
            changed++;
            switch (name) {
              case "token-unk" -> assertEquals(UNK, out[j]);
              case "token-mask" -> assertEquals(MASK, out[j]);
              default -> assertTrue(BERT.isOrdinary(out[j]), "sampled non-ordinary id " + out[j]);
            }
          }
        }
        assertEquals(Math.round(ratio * eligible), changed, name + " r=" + ratio + " seq " + i);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("tokenNames")
  void deterministicPerSeedAndDifferentAcrossSeeds(String name) {
    int differing = 0;
    for (int i = 0; i < SEQUENCES.size(); i++) {
      int[][] s = SEQUENCES.get(i);
      int[] a = TokenPerturber.of(name, BERT, 0.2, 1L).apply("ex" + i, s[0], s[1]);
      int[] again = TokenPerturber.of(name, BERT, 0.2, 1L).apply("ex" + i, s[0], s[1]);
      int[] b = TokenPerturber.of(name, BERT, 0.2, 2L).apply("ex" + i, s[0], s[1]);
      assertArrayEquals(a, again);
      if (!Arrays.equals(a, b)) {
        differing++;
      }
    }
    assertTrue(differing >= 0.95 * SEQUENCES.size(), "seeds differ on " + differing);
  }

  @Test
  void lowerRatiosMaskASubsetOfHigherRatios() {
    for (int i = 0; i < SEQUENCES.size(); i++) {
      int[][] s = SEQUENCES.get(i);
      int[] low = TokenPerturber.of("token-mask", BERT, 0.1, 3L).apply("ex" + i, s[0], s[1]);
      int[] high = TokenPerturber.of("token-mask", BERT, 0.2, 3L).apply("ex" + i, s[0], s[1]);
      for (int j = 0; j < low.length; j++) {
        if (low[j] == MASK) {
          assertEquals(MASK, high[j]);
        }
      }
    }
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    TokenPerturber perturber = TokenPerturber.of("token-random", BERT, 0.3, 6L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(perturber);
    }
    TokenPerturber copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (TokenPerturber) in.readObject();
    }
    assertEquals(perturber, copy);
    int[][] s = SEQUENCES.get(0);
    assertArrayEquals(perturber.apply("k", s[0], s[1]), copy.apply("k", s[0], s[1]));
  }

  @Test
  void lengthFormEqualsMaskForm() {
    int[] ids = {CLS, 2000, 2001, 2002, 2003, SEP, 2010, 2011};
    int[] mask = {1, 1, 1, 1, 1, 1, 0, 0};
    TokenPerturbation p = Perturbations.token("token-random", BERT);
    assertArrayEquals(p.apply(ids, mask, 0.5, new SplittableRandom(4)),
        p.apply(ids, 6, 0.5, new SplittableRandom(4)));
    int[] out = p.apply(ids, 6, 1.0, new SplittableRandom(4));
    assertEquals(2010, out[6]);
    assertEquals(2011, out[7]);
    for (int j = 1; j <= 4; j++) {
      assertNotEquals(ids[j], out[j]);
    }
  }

  @Test
  void rejectsMalformedInput() {
    TokenPerturbation p = Perturbations.token("token-unk", BERT);
    SplittableRandom r = new SplittableRandom(1);
    assertEquals("attentionMask length 2 must equal ids length 3", assertThrows(
        IllegalArgumentException.class,
        () -> p.apply(new int[] {CLS, 5000, SEP}, new int[] {1, 1}, 0.1, r)).getMessage());
    assertEquals("token id 30522 at position 1 is outside the vocabulary [0, 30522)", assertThrows(
        IllegalArgumentException.class,
        () -> p.apply(new int[] {CLS, 30522, SEP}, 3, 0.1, r)).getMessage());
    assertEquals("attention mask entries must be 0 or 1, got 2 at position 0", assertThrows(
        IllegalArgumentException.class,
        () -> p.apply(new int[] {CLS, 5000, SEP}, new int[] {2, 1, 1}, 0.1, r)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.apply(new int[] {CLS}, 2, 0.1, r));
    assertThrows(IllegalArgumentException.class, () -> TokenPerturber.of("token-unk", BERT, 2, 1));
  }

  @Test
  void vocabularyValidatesItsIds() {
    assertEquals("special ids must be distinct, sepId=101 repeats another", assertThrows(
        IllegalArgumentException.class,
        () -> new TokenVocabulary(200, 0, 100, 101, 101, 103, Set.of())).getMessage());
    assertEquals("unkId must be in [0, size=10), got 10", assertThrows(
        IllegalArgumentException.class,
        () -> new TokenVocabulary(10, 0, 10, 1, 2, 3, Set.of())).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new TokenVocabulary(6, 0, 1, 2, 3, 4, Set.of()));
    TokenVocabulary small = new TokenVocabulary(7, 0, 1, 2, 3, 4, Set.of());
    assertTrue(small.isOrdinary(5) && small.isOrdinary(6) && !small.isOrdinary(4));
    assertTrue(BERT.isProtected(1) && BERT.isProtected(998) && !BERT.isProtected(999));
    assertTrue(!BERT.isProtected(UNK) && !BERT.isOrdinary(UNK));
  }

  private static List<int[][]> sequences(int count, int maxLength) {
    SplittableRandom random = new SplittableRandom(2024);
    List<int[][]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int first = 3 + random.nextInt(20);
      int second = 1 + random.nextInt(20);
      int[] ids = new int[maxLength];
      int[] mask = new int[maxLength];
      int p = 0;
      ids[p++] = CLS;
      for (int k = 0; k < first; k++) {
        ids[p++] = content(random);
      }
      ids[p++] = SEP;
      for (int k = 0; k < second; k++) {
        ids[p++] = content(random);
      }
      ids[p++] = SEP;
      for (int k = 0; k < p; k++) {
        mask[k] = 1;
      }
      out.add(new int[][] {ids, mask});
    }
    return List.copyOf(out);
  }

  private static int content(SplittableRandom random) {
    int roll = random.nextInt(30);
    if (roll == 0) {
      return UNK;
    }
    return roll == 1 ? MASK : 999 + random.nextInt(TokenVocabulary.BERT_UNCASED_SIZE - 999);
  }
}
