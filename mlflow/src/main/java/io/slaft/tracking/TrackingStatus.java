package io.slaft.tracking;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Snapshot of a tracker's delivery counters, as returned by {@link Tracker#flush()}.
 *
 * @param mode where records currently go
 * @param delivered records acknowledged by the server
 * @param spooled records written to the spool (not yet on the server)
 * @param rejected records the server refused as invalid (logged as warnings, never retried)
 * @param spoolDir where spooled records are kept
 * @param lastError message of the most recent delivery failure, or {@code null}
 */
public record TrackingStatus(Mode mode, long delivered, long spooled, long rejected, Path spoolDir, String lastError) {

  /** Where records go. */
  public enum Mode {
    /** Straight to the tracking server. */
    REMOTE,
    /** The server is unreachable: records go to the spool until it answers again. */
    SPOOLING,
    /** No server is configured: every record goes to the spool. */
    SPOOL_ONLY
  }

  public Optional<String> error() {
    return Optional.ofNullable(lastError);
  }
}
