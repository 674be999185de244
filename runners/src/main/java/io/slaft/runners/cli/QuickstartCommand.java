package io.slaft.runners.cli;

import io.slaft.cli.ExitCode;
import io.slaft.cli.GlobalOptions;
import io.slaft.cli.SubcommandProvider;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.tracking.TrackingObserver;
import io.slaft.pipelines.tracking.TrackingSettings;
import io.slaft.tracking.server.LocalMlflowServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code slaft quickstart}: the small multi-task example end to end on the DirectRunner, tracked in MLflow. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = {"Train SLA on SST-2 + MRPC over one shared adapter pool (examples/quickstart.yaml) on the DirectRunner,",
        "track it in a local MLflow server (started here; a local spool if that is impossible), print the results."})
public final class QuickstartCommand implements Callable<Integer>, SubcommandProvider {
  @Mixin GlobalOptions global;

  @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR", description = "Output directory. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--no-mlflow", description = "Do not start an MLflow server; records go to the local spool.")
  boolean noMlflow;

  @Option(names = "--no-cache", description = "Retrain even when a cached result exists.")
  boolean noCache;

  @Override
  public Object command() {
    return new QuickstartCommand();
  }

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("slaft.home", "."));
    ExperimentConfig c = ExperimentConfig.load(home.resolve("examples/quickstart.yaml"));
    global.defaultThreads(c.get(ConfigKeys.TRAIN_THREADS));
    global.apply();
    Path abs = out.toAbsolutePath();
    global.claimOutput(abs);
    String uri = null;
    if (!noMlflow) {
      try {
        LocalMlflowServer server = LocalMlflowServer.defaultServer(home);
        if (!server.running()) {
          System.err.println("slaft quickstart: starting a local MLflow server (installs MLflow from PyPI on first use)...");
        }
        URI u = server.running() ? server.uri().orElseThrow() : server.start();
        uri = u.toString();
      } catch (RuntimeException e) {
        System.err.println("slaft quickstart: no MLflow server (" + e.getMessage() + "); tracking to the local spool");
      }
    }
    Path spool = abs.resolve("tracking-spool");
    TrackingSettings settings = new TrackingSettings(uri, c.get(ConfigKeys.NAME), spool.toString());
    String parentKey = "quickstart/" + c.hash() + "/" + Integer.toHexString(abs.toString().hashCode());
    int code = RunCommand.run(c, abs, "direct", null, noCache,
        ParentRun.open(settings, parentKey, c, new TrackingObserver(settings, parentKey)));
    ParentRun.close(settings, parentKey, c, abs);
    System.out.println(ParentRun.finish(settings));
    if (uri != null) {
      System.out.println("the local MLflow server keeps running; stop it with ./slaft mlflow server stop");
    }
    return code == ExitCode.OK ? ExitCode.OK : code;
  }
}
