package io.slaft.tracking.spool;

import java.util.Optional;

/**
 * Outcome of {@link SpoolReplayer#replay}.
 *
 * @param replayed records delivered and marked by this replay
 * @param alreadyReplayed records skipped because an earlier replay had delivered them
 * @param rejected records the server refused as invalid; marked so they are not retried forever
 * @param remaining records still pending because delivery failed (server down, auth error)
 * @param error message of the failure that stopped the replay, or {@code null}
 */
public record ReplayReport(long replayed, long alreadyReplayed, long rejected, long remaining, String error) {

  public boolean complete() {
    return remaining == 0;
  }

  public Optional<String> failure() {
    return Optional.ofNullable(error);
  }
}
