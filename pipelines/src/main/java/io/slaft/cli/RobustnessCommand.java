package io.slaft.cli;

import io.slaft.model.runtime.TfRuntime;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ConsoleProgress;
import io.slaft.pipelines.experiment.ModelReference;
import io.slaft.pipelines.experiment.ResultsTable;
import io.slaft.pipelines.robustness.RobustnessRun;
import io.slaft.pipelines.tracking.TrackingSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code slaft robustness}: trains the config in this process, then evaluates the trained model
 * under every {@code robustness.families} × {@code robustness.severities}; or, with
 * {@code --model DIR}, evaluates an export written by {@code slaft export} on the config's dev data
 * without training (input perturbations only: an export has no noise inputs).
 */
@Command(name = "robustness", mixinStandardHelpOptions = true,
    description = {"Train the config, then evaluate it under input perturbations and representation noise",
        "(or evaluate an export with --model DIR: input perturbations only, no training).",
        "Writes DIR/robustness.json, DIR/robustness.md, DIR/robustness-<task>.png and DIR/summary.json;",
        "logs to MLflow unless tracking.uri is none (auto: the local server if running, else MLFLOW_TRACKING_URI, else a spool in DIR)."})
public final class RobustnessCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment YAML (see examples/robustness.yaml).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--model", paramLabel = "MODEL",
      description = "Evaluate this model instead of training (text/token families only, discretized structure). "
          + ModelReference.HELP)
  Path model;

  @Option(names = "--point", paramLabel = "POINT", description = ModelReference.POINT_HELP)
  String point;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Override
  public Integer call() {
    ExperimentConfig c = ExperimentConfig.load(config).withOverrides(overrides);
    global.defaultThreads(c.get(ConfigKeys.TRAIN_THREADS));
    global.apply();
    Path abs = out.toAbsolutePath();
    global.claimOutput(abs);
    System.err.printf("slaft robustness: %s (config hash %s), TF threads %d, output %s%n", c.get(ConfigKeys.NAME), c.hash(),
        TfRuntime.intraOpThreads(), abs);
    TrackingSettings tracking = TrackingSettings.resolve(c, abs);
    RobustnessRun.Outcome o = model != null
        ? RobustnessRun.runExport(c, ModelReference.exportDir(model, point), abs, tracking, System.err::println)
        : RobustnessRun.run(c, abs, new ConsoleProgress(System.err, c.get(ConfigKeys.NAME)), tracking, System.err::println);
    if (!o.records().isEmpty()) {
      System.out.println(ResultsTable.of(o.records()).toMarkdown());
      System.out.println();
    }
    System.out.println(o.table().toMarkdown());
    System.out.println("robustness: " + abs.resolve("robustness.md"));
    if (tracking != null) {
      System.out.println("tracking: " + (tracking.uri() != null ? "MLflow " + tracking.uri() + " experiment '"
          + tracking.experiment() + "'" : "spooled in " + tracking.spoolDir()));
    }
    return ExitCode.OK;
  }
}
