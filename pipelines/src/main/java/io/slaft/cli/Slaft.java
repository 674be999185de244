package io.slaft.cli;

import io.slaft.files.CorruptFileException;
import io.slaft.files.DirectoryLockedException;
import io.slaft.files.FileWriteException;
import io.slaft.model.backbone.ModelFileException;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code slaft} command line. Exit codes: see {@link ExitCode}. Errors caused by input (a
 * config key, a data or model file) print one message that names the file or key and the fix.
 */
@Command(name = "slaft", mixinStandardHelpOptions = true, version = "slaft 0.1.0",
    description = "Structure-learnable adapter fine-tuning on a frozen transformer, in Beam pipelines with MLflow tracking.",
    subcommands = {TrainCommand.class, ExportCommand.class, ConfigCommand.class, BackboneCommand.class, BenchCommand.class, RobustnessCommand.class, ReportCommand.class, MlflowCommand.class,
        CommandLine.HelpCommand.class})
public final class Slaft {
  private Slaft() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (no {@code System.exit}). */
  public static int run(String... args) {
    System.setProperty("java.awt.headless", "true");
    CommandLine cli = new CommandLine(new Slaft());
    for (SubcommandProvider p : ServiceLoader.load(SubcommandProvider.class)) {
      cli.addSubcommand(p.command());
    }
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      Throwable t = ex;
      DirectoryLockedException busy = causeOf(t, DirectoryLockedException.class);
      if (busy != null) {
        cmd.getErr().println("slaft: " + busy.getMessage());
        return ExitCode.BUSY;
      }
      CorruptFileException corrupt = causeOf(t, CorruptFileException.class);
      if (corrupt != null) {
        cmd.getErr().println("slaft: " + corrupt.getMessage());
        return ExitCode.BAD_INPUT;
      }
      FileWriteException failedWrite = causeOf(t, FileWriteException.class);
      if (failedWrite != null) {
        cmd.getErr().println("slaft: " + failedWrite.getMessage());
        return ExitCode.RUNTIME;
      }
      if (t instanceof ModelFileException || t instanceof IllegalArgumentException
          || t instanceof io.slaft.transforms.data.TaskDataException
          || t instanceof java.nio.file.NoSuchFileException) {
        cmd.getErr().println("slaft: " + t.getMessage());
        return ExitCode.BAD_INPUT;
      }
      cmd.getErr().println("slaft: " + t);
      if (Boolean.getBoolean("slaft.trace") || System.getenv("SLAFT_TRACE") != null) {
        t.printStackTrace(cmd.getErr());
      } else {
        cmd.getErr().println("(set SLAFT_TRACE=1 for the stack trace)");
      }
      return ExitCode.RUNTIME;
    });
    try {
      return cli.execute(args);
    } finally {
      OutputLocks.releaseAll();
    }
  }

  /** The first throwable of type {@code type} in {@code t}'s cause chain (Beam and Flink wrap them), or null. */
  static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
