package io.slaft.cli;

import io.slaft.model.runtime.TfRuntime;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ConsoleProgress;
import io.slaft.pipelines.experiment.ExperimentRunner;
import io.slaft.pipelines.experiment.ExperimentSpec;
import io.slaft.pipelines.experiment.ResultsTable;
import io.slaft.pipelines.experiment.RunSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code slaft train}: one experiment, in this process, without Beam. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train one experiment (all its tasks over one shared adapter pool) and write DIR/summary.json.",
        "Re-running with the same --out resumes from the last checkpoint."})
public final class TrainCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment YAML (see examples/).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Override
  public Integer call() {
    ExperimentConfig c = ExperimentConfig.load(config).withOverrides(overrides);
    ExperimentSpec.bind(c);
    global.defaultThreads(c.get(ConfigKeys.TRAIN_THREADS));
    global.apply();
    global.claimOutput(out);
    System.err.printf("slaft train: %s (config hash %s), TF threads %d, output %s%n", c.get(ConfigKeys.NAME), c.hash(),
        TfRuntime.intraOpThreads(), out.toAbsolutePath());
    ExperimentRunner.PointResult r = ExperimentRunner.train(c, out, "main", Map.of(),
        new ConsoleProgress(System.err, c.get(ConfigKeys.NAME)));
    RunSummary.writeDeadLetters(out, r.data().deadLetters());
    Path summary = RunSummary.write(c, out, r.records(), r.data().reports(), Map.of());
    System.out.println(ResultsTable.of(r.records()).toMarkdown());
    String structures = io.slaft.pipelines.experiment.StructureMap.of(r.records());
    if (!structures.isEmpty()) {
      System.out.println();
      System.out.print(structures);
    }
    System.out.println("summary: " + summary.toAbsolutePath());
    return ExitCode.OK;
  }
}
