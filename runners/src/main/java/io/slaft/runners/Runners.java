package io.slaft.runners;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Applies a {@link RunnerConfig} to Beam {@link PipelineOptions}. Not thread-safe for the same options object
 * (Beam's options are mutable); different options objects may be configured concurrently.
 */
public final class Runners {
  /** What Beam's FlinkRunner takes as master for the embedded MiniCluster. */
  public static final String EMBEDDED_MASTER = "[local]";

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private Runners() {}

  /**
   * Sets the runner and its options on {@code options} and returns the same object.
   *
   * @param flinkMaster {@code HOST:PORT} for {@link RunnerChoice#FLINK}, otherwise null
   * @param jobJar the job jar for {@link RunnerChoice#FLINK}, otherwise null
   * @throws IllegalArgumentException for an invalid combination, a missing job jar, or an unreachable master
   *     ({@link FlinkMasterUnreachableException})
   */
  public static PipelineOptions configure(PipelineOptions options, RunnerChoice choice, String flinkMaster,
      Path jobJar) {
    RunnerConfig config = switch (choice) {
      case DIRECT -> new RunnerConfig(choice, flinkMaster == null ? null : FlinkMaster.parse(flinkMaster), jobJar,
          List.of(), 0, RestartPolicy.NONE);
      case FLINK_LOCAL -> new RunnerConfig(choice, flinkMaster == null ? null : FlinkMaster.parse(flinkMaster),
          jobJar, List.of(), 0, RestartPolicy.NONE);
      case FLINK -> RunnerConfig.flinkCluster(FlinkMaster.parse(flinkMaster), jobJar);
    };
    return configure(options, config);
  }

  /**
   * What a command line's {@code --runner NAME [--flink-master HOST:PORT]} means: like
   * {@link #configure(PipelineOptions, RunnerChoice, String, Path)}, with the job jar of the slaft checkout
   * ({@link JobJar#repoRoot()}) built first if missing or stale. Must not run inside a Maven build holding the
   * shared lock.
   *
   * @param progress receives a line before a job-jar build starts
   * @throws IllegalArgumentException for an unknown runner name (listing the allowed ones), a bad master, or an
   *     unreachable one
   */
  public static PipelineOptions configureFromCommandLine(PipelineOptions options, String runnerName,
      String flinkMaster, java.util.function.Consumer<String> progress) {
    RunnerChoice choice = RunnerChoice.parse(runnerName == null ? RunnerChoice.DIRECT.cliName() : runnerName);
    if (choice != RunnerChoice.FLINK) {
      return configure(options, choice, flinkMaster, null);
    }
    FlinkMaster master = FlinkMaster.parse(flinkMaster);
    master.requireReachable(PROBE_TIMEOUT);
    return configure(options, RunnerConfig.flinkCluster(master, JobJar.ensureBuilt(JobJar.repoRoot(), progress)));
  }

  /**
   * Sets the runner and its options on {@code options} and returns the same object. For the cluster runner the
   * job jar must exist and the master must accept connections.
   *
   * @throws IllegalArgumentException for a missing job jar or staged file, or an unreachable master
   */
  public static PipelineOptions configure(PipelineOptions options, RunnerConfig config) {
    switch (config.choice()) {
      case DIRECT -> {
        options.setRunner(DirectRunner.class);
        if (config.parallelism() > 0) {
          options.as(DirectOptions.class).setTargetParallelism(config.parallelism());
        }
      }
      case FLINK_LOCAL -> {
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        flink.setRunner(FlinkRunner.class);
        flink.setFlinkMaster(EMBEDDED_MASTER);
        flink.setParallelism(config.parallelism() > 0 ? config.parallelism()
            : Runtime.getRuntime().availableProcessors());
        applyRestart(flink, config.restart());
      }
      case FLINK -> {
        List<String> staged = new ArrayList<>();
        staged.add(requireStageable(config.jobJar(), true));
        for (Path p : config.extraFilesToStage()) {
          staged.add(requireStageable(p, false));
        }
        config.flinkMaster().requireReachable(PROBE_TIMEOUT);
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        flink.setRunner(FlinkRunner.class);
        flink.setFlinkMaster(config.flinkMaster().toString());
        flink.setFilesToStage(staged);
        if (config.parallelism() > 0) {
          flink.setParallelism(config.parallelism());
        }
        applyRestart(flink, config.restart());
      }
    }
    return options;
  }

  private static void applyRestart(FlinkPipelineOptions flink, RestartPolicy restart) {
    if (restart.attempts() > 0) {
      flink.setNumberOfExecutionRetries(restart.attempts());
      flink.setExecutionRetryDelay(restart.delay().toMillis());
    }
  }

  private static String requireStageable(Path p, boolean isJobJar) {
    if (!Files.isRegularFile(p) && !(Files.isDirectory(p) && !isJobJar)) {
      throw new IllegalArgumentException((isJobJar ? "job jar " : "file to stage ") + p + " does not exist"
          + (isJobJar ? "; build it with: " + String.join(" ", JobJar.buildCommand()) : ""));
    }
    return p.toAbsolutePath().normalize().toString();
  }
}
