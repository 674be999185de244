package io.slaft.runners.cli;

import io.slaft.cli.ExitCode;
import io.slaft.cli.GlobalOptions;
import io.slaft.cli.SubcommandProvider;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.config.SweepPoints;
import io.slaft.pipelines.run.ExperimentPipeline;
import io.slaft.pipelines.run.PointObserver;
import io.slaft.pipelines.tracking.TrackingObserver;
import io.slaft.pipelines.tracking.TrackingSettings;
import io.slaft.runners.Runners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code slaft run}: an experiment (one config or a sweep) as a Beam pipeline on Direct, embedded Flink or a Flink cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run an experiment as a Beam pipeline: prepare -> train (one element per sweep point) -> report.",
        "Writes DIR/summary.json (same format as slaft train), DIR/results.md and DIR/dead_letters.tsv."})
public final class RunCommand implements Callable<Integer>, SubcommandProvider {
  @Mixin GlobalOptions global;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment YAML (see examples/).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--runner", defaultValue = "direct", description = "direct | flink-local | flink. Default: ${DEFAULT-VALUE}.")
  String runner;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT", description = "Flink REST address for --runner flink (./slaft flink start prints it).")
  String flinkMaster;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--no-cache", description = "Retrain points even when a cached result with the same inputs exists.")
  boolean noCache;

  @Override
  public Object command() {
    return new RunCommand();
  }

  @Override
  public Integer call() throws Exception {
    ExperimentConfig c = ExperimentConfig.load(config).withOverrides(overrides);
    global.defaultThreads(c.get(ConfigKeys.TRAIN_THREADS));
    if (global.threads() > 0 && global.threads() != c.get(ConfigKeys.TRAIN_THREADS)) {
      c = c.withOverrides(List.of("train.threads=" + global.threads()));
    }
    global.apply();
    Path abs = out.toAbsolutePath();
    global.claimOutput(abs);
    TrackingSettings settings = TrackingSettings.resolve(c, abs);
    if (settings == null) {
      return run(c, abs, runner, flinkMaster, noCache, PointObserver.NONE);
    }
    String parentKey = "run/" + c.hash() + "/" + Integer.toHexString(abs.toString().hashCode());
    int code;
    try {
      code = run(c, abs, runner, flinkMaster, noCache,
          ParentRun.open(settings, parentKey, c, new TrackingObserver(settings, parentKey)));
    } catch (Exception | Error e) {
      ParentRun.close(settings, parentKey, c, abs, false);
      System.out.println(ParentRun.finish(settings));
      throw e;
    }
    ParentRun.close(settings, parentKey, c, abs, code == ExitCode.OK);
    System.out.println(ParentRun.finish(settings));
    return code;
  }

  /** Runs {@code c} and prints the results table; shared with quickstart. */
  static int run(ExperimentConfig c, Path out, String runner, String flinkMaster, boolean noCache, PointObserver observer)
      throws Exception {
    int points = SweepPoints.of(c).size();
    System.err.printf("slaft run: %s (config hash %s), %d point(s) x %d task(s) on %s, output %s%n", c.get(ConfigKeys.NAME), c.hash(),
        points, c.get(ConfigKeys.TASKS).size(), runner, out);
    io.slaft.pipelines.experiment.Specs.earlyStoppingCaveat(c).ifPresent(m -> System.err.println("slaft run: warning: " + m));
    PipelineOptions options = PipelineOptionsFactory.create();
    Runners.configureFromCommandLine(options, runner, flinkMaster, msg -> System.err.println("slaft run: " + msg));
    Pipeline p = Pipeline.create(options);
    p.apply("Experiment", ExperimentPipeline.of(c, out).withNoCache(noCache).withObserver(observer));
    long t0 = System.nanoTime();
    PipelineResult.State state = p.run().waitUntilFinish();
    System.err.printf("slaft run: pipeline %s in %.1f s%n", state, (System.nanoTime() - t0) / 1e9);
    if (state != PipelineResult.State.DONE) {
      return ExitCode.RUNTIME;
    }
    if (points > 1) {
      io.slaft.pipelines.champion.ChampionStage.run(c, out, msg -> System.err.println("slaft run: " + msg));
    }
    Path results = out.resolve("results.md");
    if (Files.isRegularFile(results)) {
      System.out.println(Files.readString(results));
    }
    if (io.slaft.pipelines.sensitivity.SensitivityReport.writeIfSweep(c, out).isPresent()) {
      System.out.println("sensitivity report: " + out.resolve("report.md") + " (plots in " + out.resolve("plots") + ")");
    }
    System.out.println("summary: " + out.resolve("summary.json"));
    return ExitCode.OK;
  }
}
