package io.slaft.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A durable write that did not complete. The message names the target, the errno and that the
 * previous content of the target (if any) is unchanged, which {@link AtomicFiles} guarantees.
 */
public final class FileWriteException extends IOException {
  private final Path path;
  private final String errno;

  /** A failed write of {@code path} caused by {@code cause} (its errno is read from the message). */
  public FileWriteException(Path path, IOException cause) {
    super("cannot write " + path + ": " + Errno.reason(cause) + " (" + Errno.of(cause) + "); the previous "
        + path.getFileName() + " is unchanged" + hint(Errno.of(cause)), cause);
    this.path = path;
    this.errno = Errno.of(cause);
  }

  private static String hint(String errno) {
    return switch (errno) {
      case "ENOSPC", "EDQUOT", "EFBIG" -> "; free space (or raise the limit) and rerun the same command, it resumes";
      case "EROFS", "EACCES", "EPERM" -> "; make the directory writable or choose another --out";
      default -> "";
    };
  }

  /** The file that was being written. */
  public Path path() {
    return path;
  }

  /** Symbolic errno, e.g. {@code ENOSPC}. */
  public String errno() {
    return errno;
  }
}
