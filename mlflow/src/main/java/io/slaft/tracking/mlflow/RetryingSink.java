package io.slaft.tracking.mlflow;

import io.slaft.tracking.RetryPolicy;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.record.RecordSink;
import io.slaft.tracking.record.TrackingRecord;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Delivers through another sink, retrying retryable failures with the backoff of a
 * {@link RetryPolicy}. Non-retryable failures and the last retryable one are rethrown. Relies on
 * the inner sink being idempotent per record. Not thread-safe if the inner sink is not.
 */
final class RetryingSink implements RecordSink {

  /** Waits between attempts; a fake in tests. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));

  private final RecordSink inner;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  RetryingSink(RecordSink inner, RetryPolicy policy, Sleeper sleeper, DoubleSupplier random) {
    this.inner = inner;
    this.policy = policy;
    this.sleeper = sleeper;
    this.random = random;
  }

  @Override
  public void deliver(List<TrackingRecord> records) {
    for (int attempt = 1; ; attempt++) {
      try {
        inner.deliver(records);
        return;
      } catch (TrackingException e) {
        if (!e.retryable() || attempt >= policy.maxAttempts()) {
          throw e;
        }
        try {
          sleeper.sleep(policy.backoff(attempt, random.getAsDouble()));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
