package io.slaft.transforms.cache;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A step result and whether it came from the cache, so a run can say what it reused. Immutable.
 *
 * @param <T> the result type, e.g. a result directory or a JSON string
 */
public final class Cached<T> {
  /** Where a result came from. */
  public enum Status {
    /** Reused from the cache; the step did not run. */
    HIT,
    /** Not in the cache; the step ran and its result was stored. */
    MISS,
    /** Caching was bypassed ({@code --no-cache}); the step ran and its result replaced any entry. */
    FORCED
  }

  private final T value;
  private final Status status;
  private final CacheKey key;

  Cached(T value, Status status, CacheKey key) {
    this.value = checkNotNull(value);
    this.status = checkNotNull(status);
    this.key = checkNotNull(key);
  }

  public T value() {
    return value;
  }

  public Status status() {
    return status;
  }

  public boolean hit() {
    return status == Status.HIT;
  }

  public CacheKey key() {
    return key;
  }

  /** E.g. {@code prepare/SST-2@0123456789ab HIT}. */
  @Override
  public String toString() {
    return key + " " + status;
  }
}
