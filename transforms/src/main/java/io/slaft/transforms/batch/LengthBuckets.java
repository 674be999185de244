package io.slaft.transforms.batch;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.primitives.Ints;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Length buckets and a batch size: bucket {@code i} holds lengths up to {@code upperBounds[i]}
 * (above the previous bound); lengths above the last bound fall into a final overflow bucket whose
 * upper bound is {@link Integer#MAX_VALUE}. Immutable and thread-safe.
 */
public final class LengthBuckets implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int batchSize;
  private final int[] upperBounds;

  private LengthBuckets(int batchSize, int[] upperBounds) {
    this.batchSize = batchSize;
    this.upperBounds = upperBounds;
  }

  /**
   * @throws IllegalArgumentException unless {@code batchSize >= 1} and the bounds are positive and
   *     strictly increasing
   */
  public static LengthBuckets of(int batchSize, int... upperBounds) {
    checkArgument(batchSize >= 1, "batch size must be >= 1, got %s", batchSize);
    checkArgument(upperBounds.length >= 1, "give at least one bucket upper bound, e.g. 16, 32, 64, 128");
    for (int i = 0; i < upperBounds.length; i++) {
      checkArgument(upperBounds[i] >= 1, "bucket bounds must be >= 1, got %s", upperBounds[i]);
      checkArgument(
          i == 0 || upperBounds[i] > upperBounds[i - 1],
          "bucket bounds must be strictly increasing, got %s",
          Arrays.toString(upperBounds));
    }
    return new LengthBuckets(batchSize, upperBounds.clone());
  }

  /** Powers of two from {@code min} to {@code max} (both powers of two), e.g. 8, 16, ..., 128. */
  public static LengthBuckets powersOfTwo(int batchSize, int min, int max) {
    checkArgument(
        Integer.bitCount(min) == 1 && Integer.bitCount(max) == 1 && min <= max,
        "powersOfTwo needs powers of two min <= max, got %s, %s",
        min,
        max);
    List<Integer> bounds = new ArrayList<>();
    for (int b = min; b <= max && b > 0; b *= 2) {
      bounds.add(b);
    }
    return of(batchSize, Ints.toArray(bounds));
  }

  public int batchSize() {
    return batchSize;
  }

  /** The configured upper bounds (without the overflow bucket). */
  public int[] upperBounds() {
    return upperBounds.clone();
  }

  /** The bucket of {@code length} ({@code length >= 0}); {@code upperBounds.length} is overflow. */
  public int bucketOf(int length) {
    checkArgument(length >= 0, "lengths must be >= 0, got %s", length);
    int i = Arrays.binarySearch(upperBounds, length);
    return i >= 0 ? i : -i - 1;
  }

  /** The largest length bucket {@code bucket} holds. */
  public int upperBound(int bucket) {
    return bucket < upperBounds.length ? upperBounds[bucket] : Integer.MAX_VALUE;
  }

  /**
   * Batches {@code items} in memory, without Beam: per bucket, items sorted by length then by
   * {@code tieBreak}, cut into batches of at most {@link #batchSize()}; batches ordered by bucket
   * then index. Deterministic for a total {@code tieBreak}.
   */
  public <T> List<Batch<T>> batch(
      Iterable<T> items, ToIntFunction<? super T> length, Comparator<? super T> tieBreak) {
    TreeMap<Integer, List<T>> byBucket = new TreeMap<>();
    for (T item : items) {
      byBucket.computeIfAbsent(bucketOf(length.applyAsInt(item)), b -> new ArrayList<>()).add(item);
    }
    List<Batch<T>> out = new ArrayList<>();
    byBucket.forEach(
        (bucket, list) -> {
          list.sort(Comparator.<T>comparingInt(length::applyAsInt).thenComparing(tieBreak));
          cut(bucket, list, length, out::add);
        });
    return out;
  }

  <T> void cut(int bucket, List<T> sorted, ToIntFunction<? super T> length, java.util.function.Consumer<Batch<T>> out) {
    for (int start = 0, index = 0; start < sorted.size(); start += batchSize, index++) {
      List<T> items = sorted.subList(start, Math.min(sorted.size(), start + batchSize));
      int maxLength = 0;
      for (T t : items) {
        maxLength = Math.max(maxLength, length.applyAsInt(t));
      }
      out.accept(new Batch<>(bucket, upperBound(bucket), index, maxLength, new ArrayList<>(items)));
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LengthBuckets
        && batchSize == ((LengthBuckets) o).batchSize
        && Arrays.equals(upperBounds, ((LengthBuckets) o).upperBounds);
  }

  @Override
  public int hashCode() {
    return 31 * batchSize + Arrays.hashCode(upperBounds);
  }

  @Override
  public String toString() {
    return "LengthBuckets{batch=" + batchSize + ", bounds=" + Arrays.toString(upperBounds) + "}";
  }
}
