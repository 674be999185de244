package io.slaft.tracking;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One point of a metric's history. A point is identified by {@code (key, step)}: logging the same
 * key and step again for the same run is a no-op, never a duplicate.
 */
public record MetricPoint(String key, double value, long step, long timestampMillis) {

  /** MLflow's limit on metric key length. */
  public static final int MAX_KEY_LENGTH = 250;

  public MetricPoint {
    checkNotNull(key, "metric key must not be null");
    checkArgument(!key.isBlank(), "metric key must not be blank");
    checkArgument(key.length() <= MAX_KEY_LENGTH, "metric key must be at most %s characters: %s", MAX_KEY_LENGTH, key);
    checkArgument(step >= 0, "metric step must be >= 0, got %s for %s", step, key);
    checkArgument(timestampMillis >= 0, "metric timestamp must be >= 0, got %s for %s", timestampMillis, key);
  }

  public static MetricPoint of(String key, double value, long step) {
    return new MetricPoint(key, value, step, System.currentTimeMillis());
  }
}
