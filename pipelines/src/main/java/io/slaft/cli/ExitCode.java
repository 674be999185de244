package io.slaft.cli;

/** Exit codes of the {@code slaft} command; scripts may rely on them. */
public final class ExitCode {
  /** Success. */
  public static final int OK = 0;
  /** The command ran but its check failed (parity off, target missed, failed points in a sweep). */
  public static final int CHECK_FAILED = 1;
  /** Wrong command line (unknown option, missing argument). */
  public static final int USAGE = 2;
  /** Bad input: config key, missing or corrupt data, model, checkpoint or cache file. The message names it. */
  public static final int BAD_INPUT = 3;
  /** Anything else went wrong at run time (including a failed write: the message names the path and errno). */
  public static final int RUNTIME = 4;
  /** The output directory is in use by another slaft process; the message names its pid and command. */
  public static final int BUSY = 5;

  private ExitCode() {}
}
