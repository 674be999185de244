package io.slaft.tracking.server;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.slaft.tracking.TrackingCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real MLflow tracking server on 127.0.0.1, driven through the repository's
 * {@code mlflow/bin/mlflow-server} script: MLflow is installed from PyPI into
 * {@code <repo>/.slaft/mlflow-venv-<version>} (MLflow 3.17.2 unless {@code SLAFT_MLFLOW_VERSION} says otherwise) on first use, the server keeps its SQLite store and served
 * artifacts in {@link #stateDir()}, and its URI and pid are written there.
 *
 * <p>Methods block until the script finishes (the first {@link #start} may take minutes while
 * MLflow installs) and throw {@link IllegalStateException} with the script's output when it
 * fails. Thread-safe as far as the script is: do not start one state directory concurrently.
 */
public final class LocalMlflowServer {

  /** Location of the script relative to the repository root. */
  public static final String SCRIPT = "mlflow/bin/mlflow-server";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(1);

  private final Path script;
  private final Path stateDir;
  private final Optional<String> mlflowVersion;

  public LocalMlflowServer(Path script, Path stateDir) {
    this(script, stateDir, Optional.empty());
  }

  private LocalMlflowServer(Path script, Path stateDir, Optional<String> mlflowVersion) {
    checkNotNull(script, "script must not be null");
    checkNotNull(stateDir, "stateDir must not be null");
    checkArgument(Files.isRegularFile(script), "server script %s does not exist", script);
    mlflowVersion.ifPresent(v -> checkArgument(v.matches("[0-9]+(\\.[0-9]+)*"), "MLflow version must be like 3.17.2, got '%s'", v));
    this.script = script.toAbsolutePath().normalize();
    this.stateDir = stateDir.toAbsolutePath().normalize();
    this.mlflowVersion = mlflowVersion;
  }

  /**
   * The same server run by MLflow {@code version} (the script's {@code SLAFT_MLFLOW_VERSION}: its own
   * venv, installed on first start) instead of the script's default release.
   */
  public LocalMlflowServer withMlflowVersion(String version) {
    return new LocalMlflowServer(script, stateDir, Optional.of(version));
  }

  /** The MLflow release this server runs when it is not the script's default. */
  public Optional<String> mlflowVersion() {
    return mlflowVersion;
  }

  /** The server of the repository containing {@code start} (or one of its parents), with state in {@code stateDir}. */
  public static LocalMlflowServer inRepository(Path start, Path stateDir) {
    return new LocalMlflowServer(repositoryRoot(start).resolve(SCRIPT), stateDir);
  }

  /** The repository's default server: state in {@code <repo>/.slaft/mlflow}. */
  public static LocalMlflowServer defaultServer(Path start) {
    Path root = repositoryRoot(start);
    return new LocalMlflowServer(root.resolve(SCRIPT), root.resolve(".slaft").resolve("mlflow"));
  }

  /** Walks up from {@code start} to the directory that contains {@value #SCRIPT}. */
  public static Path repositoryRoot(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SCRIPT))) {
        return dir;
      }
    }
    throw new IllegalStateException("no " + SCRIPT + " found in " + start.toAbsolutePath() + " or its parents");
  }

  public Path stateDir() {
    return stateDir;
  }

  public Path script() {
    return script;
  }

  /** Starts the server (or returns the URI of the one already running) on a free port, without auth. */
  public URI start() {
    return start(StartOptions.defaults());
  }

  /** Starts the server (or returns the URI of the one already running in this state directory). */
  public URI start(StartOptions options) {
    List<String> args = new ArrayList<>(List.of("start", "--dir", stateDir.toString()));
    if (options.port() > 0) {
      args.add("--port");
      args.add(Integer.toString(options.port()));
    }
    if (options.basicAuth()) {
      args.add("--basic-auth");
    }
    Result r = run(args, START_TIMEOUT);
    if (r.exit != 0) {
      throw new IllegalStateException("mlflow-server start failed (exit " + r.exit + "):\n" + r.stderr);
    }
    String[] lines = r.stdout.strip().split("\n");
    return URI.create(lines[lines.length - 1].strip());
  }

  /** Stops the server gracefully (SIGTERM to its process group, SIGKILL after 15 s). */
  public void stop() {
    Result r = run(List.of("stop", "--dir", stateDir.toString()), COMMAND_TIMEOUT);
    if (r.exit != 0) {
      throw new IllegalStateException("mlflow-server stop failed (exit " + r.exit + "):\n" + r.stderr);
    }
  }

  /** Kills the server's process group with SIGKILL, as a crash would. */
  public void kill() {
    Result r = run(List.of("kill", "--dir", stateDir.toString()), COMMAND_TIMEOUT);
    if (r.exit != 0) {
      throw new IllegalStateException("mlflow-server kill failed (exit " + r.exit + "):\n" + r.stderr);
    }
  }

  /** URI of the running server, if it runs. */
  public Optional<URI> uri() {
    Result r = run(List.of("uri", "--dir", stateDir.toString()), COMMAND_TIMEOUT);
    return r.exit == 0 ? Optional.of(URI.create(r.stdout.strip())) : Optional.empty();
  }

  public boolean running() {
    return run(List.of("status", "--dir", stateDir.toString()), COMMAND_TIMEOUT).exit == 0;
  }

  /** Pid of the server process (leader of its process group), if it runs. */
  public OptionalLong pid() {
    Path pid = stateDir.resolve("pid");
    if (!running() || !Files.exists(pid)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(pid).strip()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The admin user the script set up for {@code --basic-auth}, if any. */
  public Optional<TrackingCredentials> adminCredentials() {
    Path file = stateDir.resolve("admin-credentials");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      String line = Files.readString(file, StandardCharsets.UTF_8).strip();
      int colon = line.indexOf(':');
      checkArgument(colon > 0, "malformed %s", file);
      return Optional.of(TrackingCredentials.basic(line.substring(0, colon), line.substring(colon + 1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Result run(List<String> args, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(script.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    mlflowVersion.ifPresent(v -> pb.environment().put("SLAFT_MLFLOW_VERSION", v));
    try {
      Process p = pb.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("mlflow-server " + args.get(0) + " did not finish within " + timeout);
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private record Result(int exit, String stdout, String stderr) {}

  /**
   * How to start the server.
   *
   * @param port TCP port on 127.0.0.1, or 0 for a free one (reused on restart of the same state
   *     directory)
   * @param basicAuth turn on MLflow's basic-auth app with the admin user of
   *     {@link #adminCredentials()}
   */
  public record StartOptions(int port, boolean basicAuth) {

    public StartOptions {
      checkArgument(port >= 0 && port <= 65535, "port must be in [0, 65535], got %s", port);
    }

    public static StartOptions defaults() {
      return new StartOptions(0, false);
    }
  }
}
