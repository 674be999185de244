package io.slaft.transforms.data;

/**
 * A task's data cannot be read as configured: a missing data root or file, a header without a
 * mapped column, a file that cannot be opened, or a dead-letter fraction above its limit. The
 * message names the file, the task and the fix. Row-level problems never throw; they become
 * {@link DeadLetter}s.
 */
public class TaskDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TaskDataException(String message) {
    super(message);
  }

  public TaskDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
