package io.slaft.cli;

import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingCredentials;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.Trackers;
import io.slaft.tracking.server.LocalMlflowServer;
import io.slaft.tracking.spool.ReplayReport;
import io.slaft.tracking.spool.SpoolReplayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slaft mlflow}: the local MLflow server ({@code server start|stop|status}) and replay of
 * tracking spools ({@code sync}). Exit codes: {@link ExitCode}; {@code server status} exits
 * {@link ExitCode#CHECK_FAILED} when the server is not running, {@code sync} when records remain
 * pending or were rejected.
 */
@Command(name = "mlflow", mixinStandardHelpOptions = true,
    description = {"MLflow tracking: run a local MLflow server, replay spooled tracking records."},
    subcommands = {MlflowCommand.Server.class, MlflowCommand.Sync.class, CommandLine.HelpCommand.class})
public final class MlflowCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }

  /** The repository's default server ({@code <repo>/.slaft/mlflow}), repo from {@code slaft.home} or the working directory. */
  static LocalMlflowServer defaultServer() {
    Path home = Path.of(System.getProperty("slaft.home", "."));
    try {
      return LocalMlflowServer.defaultServer(home);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("cannot find the slaft checkout (" + e.getMessage()
          + "); run slaft from the checkout or set -Dslaft.home=DIR");
    }
  }

  /** {@code slaft mlflow server start|stop|status}. */
  @Command(name = "server", mixinStandardHelpOptions = true,
      description = {"A real MLflow server on 127.0.0.1 (MLflow 3.17.2 installed from PyPI into .slaft/mlflow-venv-3.17.2 on first use;",
          "SQLite store and served artifacts in .slaft/mlflow)."},
      subcommands = {Start.class, Stop.class, Status.class, CommandLine.HelpCommand.class})
  static final class Server implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCode.USAGE;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = {"Start the local MLflow server (or print the URI of the one already running)."})
  static final class Start implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
        description = "TCP port on 127.0.0.1 (default: a free port, reused on restart).")
    int port;

    @Option(names = "--basic-auth", description = {"Turn on MLflow's basic-auth app. Admin user: SLAFT_MLFLOW_ADMIN_USER /",
        "SLAFT_MLFLOW_ADMIN_PASSWORD, or 'admin' with a generated password in .slaft/mlflow/admin-credentials."})
    boolean basicAuth;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
      }
      LocalMlflowServer server = defaultServer();
      if (!server.running()) {
        err.println("slaft mlflow: starting MLflow (installs MLflow from PyPI into .slaft/mlflow-venv-<version> on first use; may take minutes)...");
        err.flush();
      }
      URI uri;
      try {
        uri = server.start(new LocalMlflowServer.StartOptions(port, basicAuth));
      } catch (IllegalStateException e) {
        err.println("slaft mlflow: " + e.getMessage());
        err.println("(server log: " + server.stateDir().resolve("server.log") + ")");
        return ExitCode.RUNTIME;
      }
      out.println(uri);
      err.println("MLflow server running at " + uri + " (state " + server.stateDir() + ")");
      err.println("  MLflow UI: open " + uri + " in a browser; from another machine: ssh -L 5000:127.0.0.1:" + uri.getPort()
          + " <this host>, then open http://127.0.0.1:5000");
      err.println("  track to it: export " + TrackingConfig.TRACKING_URI_ENV + "=" + uri
          + " (slaft run / quickstart with tracking.uri=auto find it by themselves)");
      if (basicAuth) {
        err.println("  basic auth on: set " + TrackingCredentials.USERNAME_ENV + " and " + TrackingCredentials.PASSWORD_ENV
            + " (admin user in " + server.stateDir().resolve("admin-credentials") + " unless SLAFT_MLFLOW_ADMIN_USER/PASSWORD were set)");
      }
      err.println("  stop it: slaft mlflow server stop");
      return ExitCode.OK;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the local MLflow server (its data stays).")
  static final class Stop implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      LocalMlflowServer server = defaultServer();
      boolean was = server.running();
      try {
        server.stop();
      } catch (IllegalStateException e) {
        spec.commandLine().getErr().println("slaft mlflow: " + e.getMessage());
        return ExitCode.RUNTIME;
      }
      spec.commandLine().getOut().println(was ? "stopped (state kept in " + server.stateDir() + ")" : "not running");
      return ExitCode.OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Print the local MLflow server's URI and pid; exit 1 when it is not running.")
  static final class Status implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      LocalMlflowServer server = defaultServer();
      PrintWriter out = spec.commandLine().getOut();
      Optional<URI> uri = server.uri();
      if (uri.isEmpty()) {
        out.println("stopped (state " + server.stateDir() + "; start with: slaft mlflow server start)");
        return ExitCode.CHECK_FAILED;
      }
      out.println("running " + uri.get() + " pid " + server.pid().stream().mapToObj(Long::toString).findFirst().orElse("?")
          + " state " + server.stateDir());
      out.println("MLflow UI: open " + uri.get() + " in a browser");
      return ExitCode.OK;
    }
  }

  /** {@code slaft mlflow sync}: replays spooled records into a server, exactly once per record. */
  @Command(name = "sync", mixinStandardHelpOptions = true,
      description = {"Replay tracking records spooled while the MLflow server was unreachable, exactly once per record.",
          "Server: --tracking-uri, else MLFLOW_TRACKING_URI, else the local server (slaft mlflow server start).",
          "Credentials: MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD."})
  static final class Sync implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--spool", paramLabel = "DIR",
        description = "Spool directory to replay (repeatable). Default: every tracking-spool directory under --runs.")
    List<Path> spools = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs",
        description = "Where to look for <run>/tracking-spool directories when no --spool is given. Default: ${DEFAULT-VALUE}.")
    Path runs;

    @Option(names = "--tracking-uri", paramLabel = "URI", description = "MLflow server, e.g. http://127.0.0.1:5000.")
    String trackingUri;

    /** The environment (replaced in tests). */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<Path> dirs = spools.isEmpty() ? findSpools(runs) : spools.stream().map(p -> p.toAbsolutePath().normalize()).toList();
      for (Path d : dirs) {
        if (!Files.isDirectory(d)) {
          throw new IllegalArgumentException("spool directory " + d + " does not exist");
        }
      }
      if (dirs.isEmpty()) {
        out.println("nothing to sync: no tracking-spool directory under " + runs.toAbsolutePath().normalize()
            + " (give one with --spool DIR)");
        return ExitCode.OK;
      }
      if (dirs.stream().mapToLong(SpoolReplayer::pending).sum() == 0) {
        dirs.forEach(d -> out.println(d + ": nothing pending"));
        return ExitCode.OK;
      }
      URI uri = serverUri(err);
      int code = ExitCode.OK;
      long remaining = 0;
      long rejected = 0;
      for (Path dir : dirs) {
        long pending = SpoolReplayer.pending(dir);
        if (pending == 0) {
          out.println(dir + ": nothing pending");
          continue;
        }
        // "Default" always exists on an MLflow server: preparing it creates nothing; records carry their own experiment.
        TrackingConfig config = TrackingConfig.fromEnv("Default", dir, env).withTrackingUri(uri);
        ReplayReport r;
        try {
          r = Trackers.sync(config, dir);
        } catch (TrackingAuthException e) {
          err.println("slaft mlflow sync: " + e.getMessage());
          return ExitCode.BAD_INPUT;
        } catch (TrackingException e) {
          err.println("slaft mlflow sync: " + dir + ": " + e.getMessage());
          code = ExitCode.CHECK_FAILED;
          continue;
        }
        out.printf("%s: replayed %d, already replayed %d, rejected %d, remaining %d%s%n", dir, r.replayed(), r.alreadyReplayed(),
            r.rejected(), r.remaining(), r.failure().map(f -> " (" + f + ")").orElse(""));
        remaining += r.remaining();
        rejected += r.rejected();
        if (!r.complete() || r.rejected() > 0) {
          code = ExitCode.CHECK_FAILED;
        }
      }
      StringBuilder summary = new StringBuilder(code == ExitCode.OK ? "synced to " + uri : "sync to " + uri + " incomplete");
      if (remaining > 0 || code != ExitCode.OK && rejected == 0) {
        summary.append("; ").append(remaining).append(" record(s) still pending: run slaft mlflow sync again when the server answers");
      }
      if (rejected > 0) {
        summary.append("; ").append(rejected).append(" record(s) rejected by the server (see the warnings above; they are not retried)");
      }
      out.println(summary);
      return code;
    }

    private URI serverUri(PrintWriter err) {
      String u = trackingUri;
      String from = "--tracking-uri";
      if (u == null || u.isBlank()) {
        u = env.get(TrackingConfig.TRACKING_URI_ENV);
        from = TrackingConfig.TRACKING_URI_ENV;
      }
      if (u == null || u.isBlank()) {
        Optional<URI> local;
        try {
          local = defaultServer().uri();
        } catch (IllegalArgumentException e) {
          local = Optional.empty();
        }
        if (local.isEmpty()) {
          throw new IllegalArgumentException("no MLflow server to sync to: pass --tracking-uri URI, set "
              + TrackingConfig.TRACKING_URI_ENV + ", or start the local one with: slaft mlflow server start");
        }
        err.println("slaft mlflow sync: using the local MLflow server " + local.get());
        return local.get();
      }
      try {
        URI uri = TrackingConfig.parseTrackingUri("--tracking-uri", u);
        // Validates scheme, host, no credentials in the URI.
        TrackingConfig.builder("Default", Path.of(".")).trackingUri(uri).build();
        return uri;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(from + ": " + e.getMessage());
      }
    }

    /** Every directory named {@code tracking-spool} under {@code root} (up to 4 levels deep), sorted. */
    static List<Path> findSpools(Path root) {
      Path abs = root.toAbsolutePath().normalize();
      if (!Files.isDirectory(abs)) {
        return List.of();
      }
      try (Stream<Path> walk = Files.walk(abs, 4)) {
        return walk.filter(Files::isDirectory).filter(p -> p.getFileName().toString().equals("tracking-spool")).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot search " + abs + " for tracking spools", e);
      }
    }
  }

}
