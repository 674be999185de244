package io.slaft.transforms.perturb;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Per-example random streams derived from (global seed, scope, example key, segment).
 *
 * <p>The derivation is a fixed 64-bit hash (FNV-1a over the UTF-16 code units of scope and key,
 * finished with SplitMix64 mixing), identical on every JVM and independent of the order in which
 * examples are visited, so a Beam pipeline that perturbs examples in parallel produces the same
 * result as a sequential loop. The scope separates independent uses (for example two perturbation
 * families) under one global seed; the segment separates the texts of one example (for example the
 * two sentences of a pair). Stateless and thread-safe.
 */
public final class ExampleRandom {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private ExampleRandom() {}

  /** The seed for one segment of one example; never depends on anything but the arguments. */
  public static long seed(long globalSeed, String scope, String exampleKey, int segment) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(exampleKey, "exampleKey");
    if (segment < 0) {
      throw new IllegalArgumentException("segment must be >= 0, got " + segment);
    }
    long hash = absorb(FNV_OFFSET, scope);
    hash = absorb(hash, "\u0000");
    hash = absorb(hash, exampleKey);
    long z = mix64(hash ^ mix64(globalSeed));
    return mix64(z + GOLDEN_GAMMA * (segment + 1L));
  }

  /** A fresh stream seeded with {@link #seed(long, String, String, int)}. */
  public static SplittableRandom of(long globalSeed, String scope, String exampleKey, int segment) {
    return new SplittableRandom(seed(globalSeed, scope, exampleKey, segment));
  }

  private static long absorb(long hash, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      hash = (hash ^ (c & 0xff)) * FNV_PRIME;
      hash = (hash ^ (c >>> 8)) * FNV_PRIME;
    }
    return hash;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
