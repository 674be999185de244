package io.slaft.model.backbone;

import java.nio.file.Path;

/**
 * A model or tokenizer file cannot be used. The message always names the file, what is wrong with
 * it and how to fix it, so a user never has to read a stack trace to act.
 */
public final class ModelFileException extends RuntimeException {
  private final Path file;

  public ModelFileException(Path file, String problem, String fix) {
    this(file, problem, fix, null);
  }

  public ModelFileException(Path file, String problem, String fix, Throwable cause) {
    super(file + ": " + problem + (fix == null || fix.isEmpty() ? "" : ". Fix: " + fix), cause);
    this.file = file;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }
}
