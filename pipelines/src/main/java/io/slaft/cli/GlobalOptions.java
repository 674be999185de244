package io.slaft.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.slaft.model.runtime.TfRuntime;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every subcommand accepts: verbosity, TensorFlow threads and XLA. */
public final class GlobalOptions {
  @Option(names = {"-v", "--verbose"}, description = "Log more (Beam, Flink, TensorFlow details).")
  boolean verbose;

  @Option(names = "--threads", paramLabel = "N",
      description = "TensorFlow intra-op threads (default: one per core; fixed for the whole run).")
  int threads;

  @Option(names = "--xla", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "JIT-compile inference (frozen encoder, exported models) with XLA; --no-xla turns it off "
          + "(default: on, or SLAFT_XLA=off).")
  boolean xla = true;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * Takes {@code out} for this command until it returns: a second slaft writing the same directory
   * fails at once naming this process ({@link io.slaft.files.DirectoryLock}). Call it before writing
   * anything into {@code out}.
   */
  public void claimOutput(Path out) {
    String line = "slaft " + String.join(" ", command.commandLine().getParseResult().originalArgs());
    OutputLocks.claim(out, line);
  }

  /** The --threads value (0 = not given). */
  public int threads() {
    return threads;
  }

  /** Uses {@code configured} threads unless --threads was given. */
  public void defaultThreads(int configured) {
    if (threads == 0) {
      threads = configured;
    }
  }

  /** Applies logging levels and thread counts; call before any model is loaded. */
  public void apply() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(verbose ? Level.INFO : Level.WARN);
    ((Logger) LoggerFactory.getLogger("io.slaft")).setLevel(verbose ? Level.DEBUG : Level.INFO);
    if (!verbose) {
      for (String noisy : new String[] {"org.apache.flink", "org.apache.beam", "akka", "org.apache.pekko", "org.mlflow"}) {
        ((Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.ERROR);
      }
    }
    if (!xla) {
      TfRuntime.configureXla(false);
    }
    TfRuntime.configure(threads, 1);
  }
}
