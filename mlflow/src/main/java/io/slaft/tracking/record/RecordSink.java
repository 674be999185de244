package io.slaft.tracking.record;

import io.slaft.tracking.TrackingException;
import java.util.List;

/**
 * Something that applies tracking records synchronously, in order: the MLflow server, or a fake
 * in tests.
 *
 * <p>Contract: {@link #deliver} returns only when every record has been applied; otherwise it
 * throws and any prefix may have been applied. Delivering a record again must be harmless
 * (implementations are idempotent per record), so a failed batch can simply be delivered again.
 */
public interface RecordSink {

  /**
   * Applies {@code records} in order.
   *
   * @throws TrackingException if not all were applied; {@link TrackingException#retryable()}
   *     tells whether trying again may help
   */
  void deliver(List<TrackingRecord> records);
}
