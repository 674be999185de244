package io.slaft.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file whose content does not match the checksum written with it (bit rot, a torn copy, an edit).
 * The message names the file and what to do about it.
 */
public final class CorruptFileException extends IOException {
  private final Path path;

  public CorruptFileException(Path path, String what, String remedy) {
    super(path + " is corrupt: " + what + (remedy.isEmpty() ? "" : "; " + remedy));
    this.path = path;
  }

  /** The corrupt file. */
  public Path path() {
    return path;
  }
}
