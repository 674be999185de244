package io.slaft.cli;

import io.slaft.pipelines.config.ConfigKey;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code slaft config keys|check}. */
@Command(name = "config", description = "Experiment config keys and validation.",
    subcommands = {ConfigCommand.Keys.class, ConfigCommand.Check.class})
public final class ConfigCommand {

  @Command(name = "keys", mixinStandardHelpOptions = true, description = "List every config key with type, default and allowed values.")
  static final class Keys implements Callable<Integer> {
    @Override
    public Integer call() {
      for (ConfigKey<?> k : ConfigKeys.all()) {
        System.out.printf("%-34s %-11s default=%-28s %s%s%s%n", k.key(), k.typeName(),
            k.defaultValue() == null ? "(none)" : "'" + k.defaultValue() + "'", k.description(),
            k.allowed().isEmpty() ? "" : " Allowed: " + String.join(", ", k.allowed()) + ".",
            k.range().isEmpty() ? "" : " Range: " + k.range() + ".");
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a config (with overrides) and every sweep point, and print it resolved.")
  static final class Check implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
      ExperimentConfig c = ExperimentConfig.load(config).withOverrides(overrides);
      List<ExperimentSpec> points = ExperimentSpec.bindSweep(c);
      System.out.print(c.toYaml());
      System.out.println("# valid; " + points.size() + " sweep point(s), each bound and checked");
      return ExitCode.OK;
    }
  }
}
