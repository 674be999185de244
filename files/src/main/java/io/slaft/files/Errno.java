package io.slaft.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.Map;

/**
 * The errno behind an {@link IOException}, as far as the JDK exposes it. The JDK reports the C
 * library's message ({@code strerror}), not the number; this maps the messages of the failures a
 * user can act on to their symbolic names.
 */
public final class Errno {
  private static final Map<String, String> BY_MESSAGE = Map.ofEntries(
      Map.entry("no space left on device", "ENOSPC"),
      Map.entry("disk quota exceeded", "EDQUOT"),
      Map.entry("file too large", "EFBIG"),
      Map.entry("read-only file system", "EROFS"),
      Map.entry("permission denied", "EACCES"),
      Map.entry("operation not permitted", "EPERM"),
      Map.entry("input/output error", "EIO"),
      Map.entry("no such file or directory", "ENOENT"),
      Map.entry("too many open files", "EMFILE"),
      Map.entry("is a directory", "EISDIR"),
      Map.entry("not a directory", "ENOTDIR"),
      Map.entry("stale file handle", "ESTALE"));

  private Errno() {}

  /** {@code "ENOSPC"} and the like, or {@code "EIO?"} (unknown) when the message names none of them. */
  public static String of(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "ENOENT";
    }
    if (e instanceof AccessDeniedException) {
      return "EACCES";
    }
    String m = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    if (m != null) {
      String lower = m.toLowerCase(Locale.ROOT);
      for (Map.Entry<String, String> en : BY_MESSAGE.entrySet()) {
        if (lower.contains(en.getKey())) {
          return en.getValue();
        }
      }
    }
    return "EIO?";
  }

  /** The reason without the path the JDK sometimes puts in front: "No space left on device". */
  public static String reason(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
