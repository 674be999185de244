package io.slaft.transforms.batch;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A batch of items of similar length: its bucket, the bucket's upper bound, its index within the
 * bucket, the longest item's length (what to pad to) and the items, shortest first. Immutable when
 * {@code T} is.
 */
public final class Batch<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int bucket;
  private final int bucketUpperBound;
  private final int index;
  private final int maxLength;
  private final ImmutableList<T> items;

  Batch(int bucket, int bucketUpperBound, int index, int maxLength, List<T> items) {
    checkArgument(!items.isEmpty(), "a batch is never empty");
    this.bucket = bucket;
    this.bucketUpperBound = bucketUpperBound;
    this.index = index;
    this.maxLength = maxLength;
    this.items = ImmutableList.copyOf(items);
  }

  public int bucket() {
    return bucket;
  }

  public int bucketUpperBound() {
    return bucketUpperBound;
  }

  /** The 0-based position of this batch within its bucket. */
  public int index() {
    return index;
  }

  public int maxLength() {
    return maxLength;
  }

  public List<T> items() {
    return items;
  }

  public int size() {
    return items.size();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Batch)) {
      return false;
    }
    Batch<?> b = (Batch<?>) o;
    return bucket == b.bucket
        && bucketUpperBound == b.bucketUpperBound
        && index == b.index
        && maxLength == b.maxLength
        && items.equals(b.items);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, bucketUpperBound, index, maxLength, items);
  }

  @Override
  public String toString() {
    return "Batch{bucket=" + bucket + " (<=" + bucketUpperBound + ") #" + index + " maxLength=" + maxLength
        + " size=" + items.size() + "}";
  }
}
