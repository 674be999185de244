package io.slaft.tracking;

import java.util.Map;

/**
 * Tags that the child runs of one parent run write and read back from each other at once, not through a
 * {@link Tracker}'s queue and spool: how sweep points training on different workers see what the others reported.
 * Runs are named by their run keys ({@link RunRef#runKey()}), as everywhere in tracking.
 *
 * <p>A call that cannot reach the store throws {@link TrackingException}; the caller decides what that means (an
 * early-stopping rule goes on training).
 */
public interface SiblingTags {
  /** Sets {@code tag} = {@code value} on the run {@code runKey}; the run must have been created already. */
  void put(String runKey, String tag, String value);

  /** The value of {@code tag} on each child run of {@code parentRunKey} that has it, by run key. */
  Map<String, String> read(String parentRunKey, String tag);
}
