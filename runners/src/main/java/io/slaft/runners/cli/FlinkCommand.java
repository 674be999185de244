package io.slaft.runners.cli;

import io.slaft.cli.ExitCode;
import io.slaft.cli.GlobalOptions;
import io.slaft.cli.SubcommandProvider;
import io.slaft.runners.flink.ClusterOptions;
import io.slaft.runners.flink.ClusterStatus;
import io.slaft.runners.flink.LocalFlinkCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code slaft flink start|stop|status}: the local Flink 1.19 session cluster that {@code --runner flink} submits
 * to. Registered with {@code slaft} through {@link SubcommandProvider}. Exit codes: {@code status} returns
 * {@link ExitCode#CHECK_FAILED} when no cluster runs; {@code start} returns {@link ExitCode#RUNTIME} when the
 * cluster does not come up (the message points at the logs).
 */
@Command(name = "flink", description = "Local Flink 1.19 session cluster on 127.0.0.1 (JobManager + TaskManager "
    + "with TensorFlow on its class path) for --runner flink.",
    subcommands = {FlinkCommand.Start.class, FlinkCommand.Stop.class, FlinkCommand.Status.class})
public final class FlinkCommand implements SubcommandProvider {

  @Override
  public Object command() {
    return new FlinkCommand();
  }

  /** Options every {@code flink} subcommand takes. */
  static final class StateDirOption {
    @Option(names = "--state-dir", paramLabel = "DIR",
        description = "Where the cluster keeps conf, logs and pids. Default: <slaft checkout>/.slaft/flink.")
    Path stateDir;

    Path resolve() {
      return stateDir != null ? stateDir.toAbsolutePath().normalize() : LocalFlinkCluster.defaultStateDir();
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Start a JobManager and a TaskManager (separate JVMs, logs in the state dir) and wait until "
          + "the TaskManager has registered.")
  static final class Start implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin StateDirOption dir;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + ClusterOptions.DEFAULT_REST_PORT,
        description = "REST/web port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "2",
        description = "Task slots of each TaskManager (times --taskmanagers: the default parallelism). Default: ${DEFAULT-VALUE}.")
    int slots;

    @Option(names = "--taskmanagers", paramLabel = "N", defaultValue = "1",
        description = "TaskManager processes on 127.0.0.1 (each with --slots slots and --task-heap-mb). Default: ${DEFAULT-VALUE}.")
    int taskManagers;

    @Option(names = "--task-heap-mb", paramLabel = "MB", defaultValue = "2048",
        description = "TaskManager task heap in MiB. Default: ${DEFAULT-VALUE}.")
    int taskHeapMb;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
        description = "How long to wait for the TaskManager to register. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      global.apply();
      ClusterOptions defaults = ClusterOptions.defaults();
      ClusterOptions options = new ClusterOptions(port, slots, defaults.taskManagerMemory().withTaskHeapMb(taskHeapMb),
          defaults.jobManagerHeapMb(), defaults.restart(), defaults.parentFirstPatterns(),
          Duration.ofSeconds(timeoutSeconds), defaults.javacppCacheDir(), taskManagers);
      Path stateDir = dir.resolve();
      System.err.println("slaft: starting a local Flink cluster (state in " + stateDir + ")...");
      LocalFlinkCluster cluster = LocalFlinkCluster.start(stateDir, options);
      System.out.print(cluster.status().describe());
      System.out.println("submit with: ./slaft run ... --runner flink --flink-master " + cluster.master());
      System.out.println("stop with:   ./slaft flink stop" + (dir.stateDir != null ? " --state-dir " + stateDir : ""));
      return ExitCode.OK;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Stop the local cluster (TERM, then KILL after 20 s). Logs and conf stay in the state dir.")
  static final class Stop implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin StateDirOption dir;

    @Override
    public Integer call() throws Exception {
      global.apply();
      Path stateDir = dir.resolve();
      boolean stopped = LocalFlinkCluster.stop(stateDir);
      System.out.println(stopped ? "local Flink cluster stopped (" + stateDir + ")"
          : "no local Flink cluster was running (" + stateDir + ")");
      return ExitCode.OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show whether the local cluster runs, its address, TaskManagers, slots and jobs. "
          + "Exit code 1 if it does not run.")
  static final class Status implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin StateDirOption dir;

    @Override
    public Integer call() throws Exception {
      global.apply();
      ClusterStatus st = LocalFlinkCluster.status(dir.resolve());
      System.out.print(st.describe());
      return st.running() ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }
  }
}
