package io.slaft.tracking;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;

/**
 * Exponential backoff with jitter for calls to the tracking server. Attempt {@code n} (1-based)
 * that failed with a retryable error is followed by a pause of
 * {@code min(maxBackoff, initialBackoff * multiplier^(n-1)) * (1 - jitter * r)}, {@code r} uniform
 * in [0, 1); after {@code maxAttempts} failed attempts the records go to the spool.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter) {

  public RetryPolicy {
    checkArgument(maxAttempts >= 1, "maxAttempts must be >= 1, got %s", maxAttempts);
    checkNotNull(initialBackoff, "initialBackoff must not be null");
    checkNotNull(maxBackoff, "maxBackoff must not be null");
    checkArgument(!initialBackoff.isNegative(), "initialBackoff must be >= 0, got %s", initialBackoff);
    checkArgument(
        maxBackoff.compareTo(initialBackoff) >= 0,
        "maxBackoff must be >= initialBackoff, got %s < %s",
        maxBackoff,
        initialBackoff);
    checkArgument(multiplier >= 1.0, "multiplier must be >= 1, got %s", multiplier);
    checkArgument(jitter >= 0.0 && jitter <= 1.0, "jitter must be in [0, 1], got %s", jitter);
  }

  /** 5 attempts, 200 ms doubling to at most 5 s, 50 % jitter: about 3 s of retrying in total. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5), 2.0, 0.5);
  }

  /** A single attempt: failures go to the spool at once. */
  public static RetryPolicy noRetries() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0);
  }

  /**
   * Pause after the {@code failedAttempts}-th failed attempt.
   *
   * @param random a value in [0, 1) that drives the jitter
   */
  public Duration backoff(int failedAttempts, double random) {
    checkArgument(failedAttempts >= 1, "failedAttempts must be >= 1, got %s", failedAttempts);
    checkArgument(random >= 0.0 && random < 1.0, "random must be in [0, 1), got %s", random);
    double base = initialBackoff.toNanos() * Math.pow(multiplier, failedAttempts - 1);
    double capped = Math.min(base, maxBackoff.toNanos());
    return Duration.ofNanos((long) (capped * (1.0 - jitter * random)));
  }
}
