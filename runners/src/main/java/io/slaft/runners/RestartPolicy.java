package io.slaft.runners;

import java.time.Duration;

/**
 * How often Flink restarts a failed job, and after which delay (Flink's fixed-delay strategy).
 * {@code attempts == 0} means no restart.
 */
public record RestartPolicy(int attempts, Duration delay) {

  /** Ten attempts, two seconds apart: what the session cluster uses by default. */
  public static final RestartPolicy CLUSTER_DEFAULT = new RestartPolicy(10, Duration.ofSeconds(2));

  /** No restart: a failure fails the job. */
  public static final RestartPolicy NONE = new RestartPolicy(0, Duration.ZERO);

  /** Validates: attempts in 0..1000, delay non-negative and below one hour. */
  public RestartPolicy {
    if (attempts < 0 || attempts > 1000) {
      throw new IllegalArgumentException("restart attempts must be in 0..1000, got " + attempts);
    }
    if (delay == null || delay.isNegative() || delay.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("restart delay must be between 0 and 1 h, got " + delay);
    }
  }
}
