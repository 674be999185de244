package io.slaft.runners;

import java.nio.file.Path;
import java.util.List;

/**
 * Where and how a pipeline runs: the runner, the Flink master and job jar (cluster only), the
 * parallelism and the restart policy. Immutable; validated at construction.
 *
 * @param choice the runner
 * @param flinkMaster REST address of the session cluster; required for {@link RunnerChoice#FLINK}, absent otherwise
 * @param jobJar the shaded job jar submitted to the cluster; required for {@link RunnerChoice#FLINK}, absent otherwise
 * @param extraFilesToStage further jars or class directories shipped with the job (directories are zipped by
 *     Beam); only for {@link RunnerChoice#FLINK}
 * @param parallelism 0 for the runner's default (DirectRunner: cores; {@code [local]}: cores; cluster:
 *     its {@code parallelism.default}), otherwise 1..1024
 * @param restart Flink's restart policy for the job; ignored by the DirectRunner
 */
public record RunnerConfig(RunnerChoice choice, FlinkMaster flinkMaster, Path jobJar, List<Path> extraFilesToStage,
    int parallelism, RestartPolicy restart) {

  /** Validates the combination; messages name the violated rule and the fix. */
  public RunnerConfig {
    if (choice == null) {
      throw new IllegalArgumentException("runner must be one of: " + RunnerChoice.allowedNames());
    }
    extraFilesToStage = extraFilesToStage == null ? List.of() : List.copyOf(extraFilesToStage);
    if (restart == null) {
      throw new IllegalArgumentException("restart policy must be given (RestartPolicy.NONE for no restarts)");
    }
    if (parallelism < 0 || parallelism > 1024) {
      throw new IllegalArgumentException("parallelism must be 0 (runner default) or 1..1024, got " + parallelism);
    }
    if (choice == RunnerChoice.FLINK) {
      if (flinkMaster == null) {
        throw new IllegalArgumentException("--runner flink needs --flink-master HOST:PORT "
            + "(start a local cluster with './slaft flink start', which prints it)");
      }
      if (jobJar == null) {
        throw new IllegalArgumentException("--runner flink needs the job jar (build it with "
            + String.join(" ", JobJar.buildCommand()) + ")");
      }
    } else {
      if (flinkMaster != null) {
        throw new IllegalArgumentException("--flink-master applies only to --runner flink, not to --runner " + choice);
      }
      if (jobJar != null || !extraFilesToStage.isEmpty()) {
        throw new IllegalArgumentException("a job jar is staged only with --runner flink, not with --runner " + choice);
      }
    }
  }

  /** The DirectRunner with its default parallelism. */
  public static RunnerConfig direct() {
    return new RunnerConfig(RunnerChoice.DIRECT, null, null, List.of(), 0, RestartPolicy.NONE);
  }

  /** FlinkRunner on an embedded MiniCluster; {@code parallelism} 0 means one per core. */
  public static RunnerConfig flinkLocal(int parallelism) {
    return new RunnerConfig(RunnerChoice.FLINK_LOCAL, null, null, List.of(), parallelism, RestartPolicy.NONE);
  }

  /** FlinkRunner on a session cluster, with {@link RestartPolicy#CLUSTER_DEFAULT} and the cluster's parallelism. */
  public static RunnerConfig flinkCluster(FlinkMaster master, Path jobJar) {
    return new RunnerConfig(RunnerChoice.FLINK, master, jobJar, List.of(), 0, RestartPolicy.CLUSTER_DEFAULT);
  }

  /** A copy with another parallelism (0 = runner default). */
  public RunnerConfig withParallelism(int p) {
    return new RunnerConfig(choice, flinkMaster, jobJar, extraFilesToStage, p, restart);
  }

  /** A copy with another restart policy. */
  public RunnerConfig withRestart(RestartPolicy r) {
    return new RunnerConfig(choice, flinkMaster, jobJar, extraFilesToStage, parallelism, r);
  }

  /** A copy that also stages these files (cluster runner only). */
  public RunnerConfig withExtraFilesToStage(List<Path> files) {
    return new RunnerConfig(choice, flinkMaster, jobJar, files, parallelism, restart);
  }
}
