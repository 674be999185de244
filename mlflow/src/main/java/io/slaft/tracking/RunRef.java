package io.slaft.tracking;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Vendor-free handle of a run: the experiment it belongs to and its deterministic run key.
 *
 * <p>The run key, not a server-assigned id, is the identity of a run: it is stored as the tag
 * {@value #RUN_KEY_TAG} and a tracker that sees the same key again continues the existing run.
 * A {@code RunRef} is valid before the server has been reached, which lets records be spooled
 * and replayed later.
 */
public record RunRef(String experiment, String runKey) {

  /** Tag that carries the run key on the server. */
  public static final String RUN_KEY_TAG = "slaft.run_key";

  /** Longest accepted run key (MLflow tag values are limited to 5000 characters). */
  public static final int MAX_RUN_KEY_LENGTH = 250;

  public RunRef {
    checkNotNull(experiment, "experiment must not be null");
    checkNotNull(runKey, "runKey must not be null");
    checkArgument(!experiment.isBlank(), "experiment must not be blank");
    checkArgument(!runKey.isBlank(), "runKey must not be blank");
    checkArgument(
        runKey.length() <= MAX_RUN_KEY_LENGTH,
        "runKey must be at most %s characters, got %s",
        MAX_RUN_KEY_LENGTH,
        runKey.length());
    checkArgument(
        runKey.chars().noneMatch(c -> c == '\'' || c == '"' || c == '\\' || Character.isISOControl(c)),
        "runKey must not contain quotes, backslashes or control characters: %s",
        runKey);
  }
}
