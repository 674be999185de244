package io.slaft.transforms.perturb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LabelNoiseTest {

  private static final int N = 873;
  private static final List<String> KEYS =
      IntStream.range(0, N).mapToObj(i -> "sst2-dev-" + i).toList();

  private static int[] labels(int numClasses) {
    return IntStream.range(0, N).map(i -> (i * 7) % numClasses).toArray();
  }

  @Test
  void flipsExactlyRoundedShareToADifferentClass() {
    for (int numClasses : new int[] {2, 3, 5}) {
      int[] labels = labels(numClasses);
      for (double ratio : new double[] {0.0, 0.01, 0.05, 0.1, 0.15, 0.2, 0.5, 1.0}) {
        int[] noisy = LabelNoise.flipClasses(KEYS, labels, numClasses, ratio, 42L);
        int flipped = 0;
        for (int i = 0; i < N; i++) {
          assertTrue(noisy[i] >= 0 && noisy[i] < numClasses);
          if (noisy[i] != labels[i]) {
            flipped++;
          }
        }
        assertEquals(Math.round(ratio * N), flipped, "classes=" + numClasses + " r=" + ratio);
      }
    }
  }

  @Test
  void newClassIsUniformOverTheOthers() {
    int[] labels = new int[N];
    int[] noisy = LabelNoise.flipClasses(KEYS, labels, 4, 1.0, 7L);
    int[] counts = new int[4];
    for (int label : noisy) {
      counts[label]++;
    }
    assertEquals(0, counts[0]);
    for (int c = 1; c < 4; c++) {
      assertEquals(N / 3.0, counts[c], 4 * Math.sqrt(N * (1 / 3.0) * (2 / 3.0)),
          "class " + c + " count " + counts[c]);
    }
  }

  @Test
  void dependsOnKeysNotOnOrderAndNestsAcrossRatios() {
    int[] labels = labels(3);
    int[] noisy = LabelNoise.flipClasses(KEYS, labels, 3, 0.2, 9L);
    List<Integer> order = new ArrayList<>(IntStream.range(0, N).boxed().toList());
    Collections.shuffle(order, new Random(1));
    List<String> shuffledKeys = order.stream().map(KEYS::get).toList();
    int[] shuffledLabels = order.stream().mapToInt(i -> labels[i]).toArray();
    int[] shuffledNoisy = LabelNoise.flipClasses(shuffledKeys, shuffledLabels, 3, 0.2, 9L);
    for (int j = 0; j < N; j++) {
      assertEquals(noisy[order.get(j)], shuffledNoisy[j]);
    }
    int[] fewer = LabelNoise.flipClasses(KEYS, labels, 3, 0.1, 9L);
    for (int i = 0; i < N; i++) {
      if (fewer[i] != labels[i]) {
        assertEquals(fewer[i], noisy[i], "example " + i + " flipped at 10 % but not alike at 20 %");
      }
    }
    assertTrue(!Arrays.equals(noisy, LabelNoise.flipClasses(KEYS, labels, 3, 0.2, 10L)));
  }

  @Test
  void jitterHasTheStatedSigmaAndStaysInRange() {
    double[] scores = new double[N];
    Arrays.fill(scores, 2.5);
    assertArrayEquals(scores, LabelNoise.jitterScores(KEYS, scores, 0, 5, 0.0, 3L));
    double[] noisy = LabelNoise.jitterScores(KEYS, scores, 0, 5, 0.1, 3L);
    double sum = 0;
    double squares = 0;
    for (double v : noisy) {
      assertTrue(v >= 0 && v <= 5);
      sum += v - 2.5;
      squares += (v - 2.5) * (v - 2.5);
    }
    double sd = Math.sqrt(squares / N - (sum / N) * (sum / N));
    assertEquals(0.5, sd, 0.05, "sigma = 0.1 × range 5");
    double[] edge = new double[N];
    Arrays.fill(edge, 5.0);
    double[] clipped = LabelNoise.jitterScores(KEYS, edge, 0, 5, 0.2, 3L);
    long atMax = Arrays.stream(clipped).filter(v -> v == 5.0).count();
    assertTrue(atMax > 0.3 * N && atMax < 0.7 * N, "about half clip at the top, got " + atMax);
    assertTrue(Arrays.stream(clipped).allMatch(v -> v >= 0 && v <= 5));
  }

  @Test
  void jitterIsKeyedPerExample() {
    double[] scores = IntStream.range(0, N).mapToDouble(i -> (i % 6)).toArray();
    double[] noisy = LabelNoise.jitterScores(KEYS, scores, 0, 5, 0.1, 3L);
    Map<String, Double> byKey = new HashMap<>();
    for (int i = 0; i < N; i++) {
      byKey.put(KEYS.get(i), noisy[i]);
    }
    List<String> reversed = new ArrayList<>(KEYS);
    Collections.reverse(reversed);
    double[] reversedScores = reversed.stream()
        .mapToDouble(k -> scores[KEYS.indexOf(k)]).toArray();
    double[] reversedNoisy = LabelNoise.jitterScores(reversed, reversedScores, 0, 5, 0.1, 3L);
    for (int j = 0; j < N; j++) {
      assertEquals(byKey.get(reversed.get(j)), reversedNoisy[j]);
    }
  }

  @Test
  void rejectsInconsistentInput() {
    assertEquals("example keys must be distinct, 'a' repeats", assertThrows(
        IllegalArgumentException.class,
        () -> LabelNoise.flipClasses(List.of("a", "a"), new int[] {0, 1}, 2, 0.5, 1)).getMessage());
    assertEquals("label 2 at index 1 is outside [0, numClasses=2)", assertThrows(
        IllegalArgumentException.class,
        () -> LabelNoise.flipClasses(List.of("a", "b"), new int[] {0, 2}, 2, 0.5, 1)).getMessage());
    assertEquals("need one key per label: 1 keys for 2 labels", assertThrows(
        IllegalArgumentException.class,
        () -> LabelNoise.flipClasses(List.of("a"), new int[] {0, 1}, 2, 0.5, 1)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> LabelNoise.flipClasses(List.of("a"), new int[] {0}, 1, 0.5, 1));
    assertEquals("score 5.5 at index 0 is outside [0.0, 5.0]", assertThrows(
        IllegalArgumentException.class,
        () -> LabelNoise.jitterScores(List.of("a"), new double[] {5.5}, 0, 5, 0.1, 1))
        .getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> LabelNoise.jitterScores(List.of("a"), new double[] {1}, 5, 5, 0.1, 1));
  }
}
