package io.slaft.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.tracking.RetryPolicy;
import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryingSinkTest {

  private final List<Duration> sleeps = new ArrayList<>();
  private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(500), 2.0, 0.5);

  @Test
  void backoffDoublesUpToTheCapAndJitterOnlyShortensIt() {
    RetryPolicy noJitter = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(500), 2.0, 0.0);
    List<Long> millis = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      millis.add(noJitter.backoff(i, 0.7).toMillis());
    }
    assertEquals(List.of(100L, 200L, 400L, 500L, 500L), millis);
    assertEquals(Duration.ofMillis(200), policy.backoff(2, 0.0));
    assertEquals(Duration.ofMillis(100), policy.backoff(2, 0.999999).plusNanos(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    for (double r = 0; r < 1; r += 0.05) {
      Duration d = policy.backoff(3, r);
      assertTrue(d.compareTo(Duration.ofMillis(200)) >= 0 && d.compareTo(Duration.ofMillis(400)) <= 0, d.toString());
    }
  }

  @Test
  void retriesRetryableFailuresThenSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    RetryingSink sink = new RetryingSink(records -> {
      if (calls.incrementAndGet() < 3) {
        throw new TrackingException("503", true);
      }
    }, policy, sleeps::add, () -> 0.0);
    sink.deliver(List.of());
    assertEquals(3, calls.get());
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), sleeps);
  }

  @Test
  void givesUpAfterMaxAttempts() {
    AtomicInteger calls = new AtomicInteger();
    RetryingSink sink = new RetryingSink(records -> {
      calls.incrementAndGet();
      throw new TrackingException("429", true);
    }, policy, sleeps::add, () -> 0.0);
    assertThrows(TrackingException.class, () -> sink.deliver(List.of()));
    assertEquals(5, calls.get());
    assertEquals(4, sleeps.size());
  }

  @Test
  void doesNotRetryBadRequestsOrAuthFailures() {
    for (TrackingException e : List.of(new TrackingException("400", false), new TrackingAuthException("x", 401, "op"))) {
      AtomicInteger calls = new AtomicInteger();
      RetryingSink sink = new RetryingSink(records -> {
        calls.incrementAndGet();
        throw e;
      }, policy, sleeps::add, () -> 0.0);
      assertThrows(e.getClass(), () -> sink.deliver(List.of()));
      assertEquals(1, calls.get());
    }
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void policyRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 0.5, 0));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 2, 1.5));
  }
}
