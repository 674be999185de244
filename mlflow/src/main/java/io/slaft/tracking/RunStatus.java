package io.slaft.tracking;

/** Terminal status of a tracked run. */
public enum RunStatus {
  FINISHED,
  FAILED,
  KILLED
}
