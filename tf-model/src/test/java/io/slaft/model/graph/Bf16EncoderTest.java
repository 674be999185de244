package io.slaft.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneConfig;
import io.slaft.model.backbone.BackboneWeights;
import io.slaft.model.backbone.Pooling;
import io.slaft.model.backbone.Precision;
import io.slaft.model.inference.FrozenEncoder;
import io.slaft.model.tokenize.TokenBatch;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** bf16 frozen matmuls: what {@code auto} resolves to, and an encoder that stays within bf16 rounding of fp32. */
class Bf16EncoderTest {
  @Test
  void autoIsBf16ExactlyWhereTheCpuHasNativeBf16() {
    assertEquals(Precision.BF16, Precision.resolve("auto", Set.of("avx2", "avx512f", "avx512_bf16")));
    assertEquals(Precision.BF16, Precision.resolve("auto", Set.of("avx2", "amx_bf16", "amx_tile")));
    assertEquals(Precision.FP32, Precision.resolve("auto", Set.of("avx2", "avx512f")), "AVX-512 without BF16 is fp32");
    assertEquals(Precision.FP32, Precision.resolve("auto", Set.of()), "no /proc/cpuinfo: fp32");
    assertEquals(Precision.BF16, Precision.resolve("bf16", Set.of()), "an explicit bf16 is honoured on any CPU");
    assertEquals(Precision.FP32, Precision.resolve("fp32", Set.of("avx512_bf16")));
    assertEquals(Precision.FP32, Precision.byId(null), "exports written before precisions existed are fp32");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.byId("fp16"));
    assertTrue(e.getMessage().contains("fp16") && e.getMessage().contains("auto, fp32, bf16"), e.getMessage());
  }

  @Test
  void aBf16EncoderIsWithinBf16RoundingOfFp32() {
    BackboneWeights w = BackboneWeights.random(BackboneConfig.tiny(3, 32, 4, 60), 5);
    TokenBatch b = randomBatch(8, 12, 60, new SplittableRandom(3));
    float[] fp32;
    float[] bf16;
    try (FrozenEncoder f = FrozenEncoder.withoutXla(w, Pooling.CLS, Precision.FP32);
         FrozenEncoder h = FrozenEncoder.withoutXla(w, Pooling.CLS, Precision.BF16)) {
      fp32 = f.hidden(b);
      bf16 = h.hidden(b);
    }
    assertFalse(java.util.Arrays.equals(fp32, bf16), "bf16 must actually round something");
    int hidden = 32;
    double worst = 1;
    for (int row = 0; row < fp32.length / hidden; row++) {
      worst = Math.min(worst, cosine(fp32, bf16, row * hidden, hidden));
    }
    assertTrue(worst >= 0.999, "worst token cosine " + worst);
  }

  @Test
  void aBackboneViewSharesItsWeightsAndOnlyChangesThePrecision() {
    Backbone b = Backbone.of("tiny", BackboneWeights.random(BackboneConfig.tiny(2, 16, 2, 40), 1), null);
    assertEquals(Precision.FP32, b.precision());
    Backbone h = b.withPrecision(Precision.BF16);
    assertEquals(Precision.BF16, h.precision());
    assertTrue(h.weights() == b.weights() && h.name().equals(b.name()));
    assertTrue(b.withPrecision(Precision.FP32) == b);
  }

  static double cosine(float[] a, float[] b, int from, int n) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = from; i < from + n; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  static TokenBatch randomBatch(int batch, int len, int vocab, SplittableRandom rnd) {
    int[] ids = new int[batch * len];
    int[] types = new int[batch * len];
    int[] mask = new int[batch * len];
    for (int r = 0; r < batch; r++) {
      int real = 3 + rnd.nextInt(len - 2);
      for (int t = 0; t < len; t++) {
        ids[r * len + t] = t < real ? 5 + rnd.nextInt(vocab - 5) : 0;
        mask[r * len + t] = t < real ? 1 : 0;
      }
    }
    return new TokenBatch(batch, len, ids, types, mask);
  }
}
