package io.slaft.model.backbone;

import com.google.common.base.Preconditions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * All frozen parameters of a BERT-family encoder. Immutable by contract: callers must not write
 * into the arrays (they are shared by every graph built from this backbone).
 */
public record BackboneWeights(
    BackboneConfig config,
    float[] wordEmbeddings,
    float[] positionEmbeddings,
    float[] typeEmbeddings,
    float[] embNormGamma,
    float[] embNormBeta,
    List<LayerWeights> layers) {

  public BackboneWeights {
    layers = List.copyOf(layers);
    Preconditions.checkArgument(layers.size() == config.layers(),
        "expected %s layers, got %s", config.layers(), layers.size());
    check("word embeddings", wordEmbeddings, (long) config.vocabSize() * config.hidden());
    check("position embeddings", positionEmbeddings, (long) config.maxPositions() * config.hidden());
    check("token-type embeddings", typeEmbeddings, (long) config.typeVocabSize() * config.hidden());
    int h = config.hidden();
    int f = config.intermediate();
    for (int i = 0; i < layers.size(); i++) {
      LayerWeights l = layers.get(i);
      String p = "layer " + i + " ";
      check(p + "query", l.query(), (long) h * h);
      check(p + "key", l.key(), (long) h * h);
      check(p + "value", l.value(), (long) h * h);
      check(p + "attention output", l.attnOut(), (long) h * h);
      check(p + "intermediate", l.ffnIn(), (long) h * f);
      check(p + "output", l.ffnOut(), (long) f * h);
      check(p + "intermediate bias", l.ffnInBias(), f);
    }
  }

  private static void check(String what, float[] a, long expected) {
    Preconditions.checkArgument(a != null && a.length == expected,
        "%s: expected %s values, got %s", what, expected, a == null ? "none" : a.length);
  }

  /** SHA-256 over every weight, in a fixed order; identifies the backbone in provenance. */
  public String digest() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (float[] a : allArrays()) {
        ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a);
        md.update(b);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every array, embeddings first then layer by layer in record order. */
  public List<float[]> allArrays() {
    java.util.ArrayList<float[]> out = new java.util.ArrayList<>(
        List.of(wordEmbeddings, positionEmbeddings, typeEmbeddings, embNormGamma, embNormBeta));
    for (LayerWeights l : layers) {
      out.addAll(List.of(l.query(), l.queryBias(), l.key(), l.keyBias(), l.value(), l.valueBias(),
          l.attnOut(), l.attnOutBias(), l.attnNormGamma(), l.attnNormBeta(), l.ffnIn(), l.ffnInBias(),
          l.ffnOut(), l.ffnOutBias(), l.ffnNormGamma(), l.ffnNormBeta()));
    }
    return out;
  }

  /** Random weights (BERT init: N(0, 0.02), LayerNorm gamma 1, beta 0) for unit tests. */
  public static BackboneWeights random(BackboneConfig c, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int h = c.hidden();
    int f = c.intermediate();
    java.util.ArrayList<LayerWeights> layers = new java.util.ArrayList<>();
    for (int i = 0; i < c.layers(); i++) {
      layers.add(new LayerWeights(
          normal(r, h * h), normal(r, h), normal(r, h * h), normal(r, h), normal(r, h * h), normal(r, h),
          normal(r, h * h), normal(r, h), ones(h), new float[h],
          normal(r, h * f), normal(r, f), normal(r, f * h), normal(r, h), ones(h), new float[h]));
    }
    return new BackboneWeights(c, normal(r, c.vocabSize() * h), normal(r, c.maxPositions() * h),
        normal(r, c.typeVocabSize() * h), ones(h), new float[h], layers);
  }

  private static float[] normal(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      double u1 = r.nextDouble();
      double u2 = r.nextDouble();
      a[i] = (float) (0.02 * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
    }
    return a;
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, 1f);
    return a;
  }
}
