package io.slaft.tracking;

/**
 * A record could not be delivered to the tracking server. {@link #retryable()} tells whether the
 * same request may succeed later (connection errors, 5xx, 429) or never will (bad request).
 */
public class TrackingException extends RuntimeException {

  private final boolean retryable;

  public TrackingException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public TrackingException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public boolean retryable() {
    return retryable;
  }
}
