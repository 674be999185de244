package io.slaft.runners;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a slaft pipeline runs. The command-line names are {@code direct}, {@code flink-local}, {@code flink}. */
public enum RunnerChoice {
  /** Beam's DirectRunner in this JVM (the default). */
  DIRECT("direct"),
  /** Beam's FlinkRunner on an embedded Flink MiniCluster in this JVM ({@code --flinkMaster=[local]}). */
  FLINK_LOCAL("flink-local"),
  /** Beam's FlinkRunner submitting a job jar to a running Flink 1.19 session cluster at {@code host:port}. */
  FLINK("flink");

  private final String cliName;

  RunnerChoice(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in configs. */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a command-line name (case-insensitive; the enum constant names are accepted too).
   *
   * @throws IllegalArgumentException naming the value and the allowed names
   */
  public static RunnerChoice parse(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      for (RunnerChoice c : values()) {
        if (c.cliName.equals(n) || c.name().toLowerCase(Locale.ROOT).equals(n)) {
          return c;
        }
      }
    }
    throw new IllegalArgumentException("unknown runner '" + name + "'; allowed: " + allowedNames());
  }

  /** The allowed command-line names, comma separated, in declaration order. */
  public static String allowedNames() {
    return Arrays.stream(values()).map(RunnerChoice::cliName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return cliName;
  }
}
