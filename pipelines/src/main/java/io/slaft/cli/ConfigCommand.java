package io.slaft.cli;

import io.slaft.pipelines.config.ConfigKey;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentSpec;
import io.slaft.report.MarkdownTable;
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
    @Option(names = "--prefix", paramLabel = "PREFIX", description = "Only the keys that start with PREFIX, e.g. task_defs.")
    String prefix = "";

    @Option(names = "--markdown", description = "As a Markdown table (key, type, default, description), as README.md shows them.")
    boolean markdown;

    @Override
    public Integer call() {
      List<ConfigKey<?>> keys = ConfigKeys.all().stream().filter(k -> k.key().startsWith(prefix)).toList();
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("no config key starts with '" + prefix + "'");
      }
      if (markdown) {
        System.out.print(table(keys).toMarkdown());
        return ExitCode.OK;
      }
      for (ConfigKey<?> k : keys) {
        System.out.printf("%-34s %-11s default=%-28s %s%s%s%n", k.key(), k.typeName(),
            k.defaultValue() == null ? "(none)" : "'" + k.defaultValue() + "'", k.description(),
            k.allowed().isEmpty() ? "" : " Allowed: " + k.allowedText() + ".",
            k.range().isEmpty() ? "" : " Range: " + k.range() + ".");
      }
      return ExitCode.OK;
    }

    /** One row per key: key, type, default ({@code (none)} when it has none), description with allowed values and range. */
    static MarkdownTable table(List<ConfigKey<?>> keys) {
      MarkdownTable.Builder b = MarkdownTable.builder("key", "type", "default", "description");
      for (ConfigKey<?> k : keys) {
        b.row("`" + k.key() + "`", k.typeName(), k.defaultValue() == null ? "(none)" : k.defaultValue().isEmpty() ? "`''`" : "`" + k.defaultValue() + "`",
            k.description() + (k.allowed().isEmpty() ? "" : " Allowed: " + k.allowedText() + ".")
                + (k.range().isEmpty() ? "" : " Range: " + k.range() + "."));
      }
      return b.build();
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
