package io.slaft.runners.flink;

import io.slaft.files.AtomicFiles;
import io.slaft.runners.FlinkMaster;
import io.slaft.runners.JobJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Flink 1.19 standalone session cluster on this machine: one JobManager
 * ({@value #JOB_MANAGER_MAIN}) and one or more TaskManagers ({@value #TASK_MANAGER_MAIN}), each a separate JVM started
 * from Maven jars, every port bound to 127.0.0.1. TensorFlow, JavaCPP and DJL are on the TaskManager's own class
 * path and loaded parent-first, so any number of jobs can use them.
 *
 * <p>Everything lives in a state directory: {@code conf/} (the written {@code flink-conf.yaml}, the logging
 * config, the first TaskManager's command), {@code log/} (process logs, {@code taskmanager.log} for the first
 * TaskManager and {@code taskmanager-<i>.log} for the others; nothing goes to the console),
 * {@code cluster.properties} (REST port and pids), and Flink's temporary, blob and web directories. The
 * processes outlive the JVM that started them; {@link #stop(Path)} (or {@code ./slaft flink stop}) ends them.
 *
 * <p>Not thread-safe: one thread drives an instance. Two instances must not use the same state directory.
 */
public final class LocalFlinkCluster implements AutoCloseable {
  /** The JobManager's main class. */
  public static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  /** The TaskManager's main class. */
  public static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  /** The {@code --add-opens}/{@code --add-exports} Flink's own scripts pass on Java 17. */
  static final List<String> JAVA17_FLAGS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private static final String TM_COMMAND_FILE = "taskmanager.cmd";
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final Duration TASK_MANAGER_TIMEOUT = Duration.ofSeconds(180);
  private static final int CMDLINE_ATTEMPTS = 50;
  private static final Duration CMDLINE_PAUSE = Duration.ofMillis(20);

  private final Path stateDir;
  private final FlinkRestClient rest;
  private ClusterState state;

  private LocalFlinkCluster(Path stateDir, ClusterState state) {
    this.stateDir = stateDir;
    this.state = state;
    this.rest = new FlinkRestClient(masterOf(state));
  }

  /** {@code <slaft checkout>/.slaft/flink}: where {@code ./slaft flink} keeps its cluster. */
  public static Path defaultStateDir() {
    return JobJar.repoRoot().resolve(".slaft").resolve("flink");
  }

  /**
   * Starts a JobManager and {@code options.taskManagers()} TaskManagers and returns once all of them are
   * registered with their slots free. On failure every process is ended and the message points at the logs.
   *
   * @throws IllegalStateException if a cluster of this state directory is running, or it did not become ready
   * @throws IllegalArgumentException if the requested REST port is taken
   */
  public static LocalFlinkCluster start(Path stateDir, ClusterOptions options) throws IOException {
    Path dir = stateDir.toAbsolutePath().normalize();
    ClusterStatus before = status(dir);
    if (before.jobManagerPid() > 0 || before.taskManagerPid() > 0) {
      throw new IllegalStateException("a local Flink cluster already runs from " + dir + " at "
          + before.master().map(Object::toString).orElse("?") + "; stop it first with './slaft flink stop'");
    }
    ClusterState.delete(dir);
    ClusterPorts ports = ClusterPorts.allocate(options.restPort());
    Path conf = dir.resolve("conf");
    Path log = dir.resolve("log");
    for (String d : List.of("conf", "log", "tmp", "blobs", "web")) {
      Files.createDirectories(dir.resolve(d));
    }
    FlinkConf.forLocalCluster(options, ports, dir).writeTo(conf);
    AtomicFiles.writeString(conf.resolve("logback.xml"), logbackXml());
    String classPath = ClusterClasspath.resolve();

    List<String> jm = javaCommand(List.of("-Xmx" + options.jobManagerHeapMb() + "m",
        "-Xms" + options.jobManagerHeapMb() + "m", "-XX:MaxMetaspaceSize=256m", "-XX:MaxDirectMemorySize=128m"),
        classPath, conf, log.resolve("jobmanager.log"), options.javacppCacheDir(), JOB_MANAGER_MAIN);
    List<String> tm = taskManagerCommand(options, classPath, conf, log, 0);
    AtomicFiles.writeString(conf.resolve(TM_COMMAND_FILE), String.join("\n", tm) + "\n");

    ClusterState s = new ClusterState(ports.rest(), launch(jm, log.resolve("jobmanager.out")), -1);
    s.write(dir);
    s = s.withTaskManagerPid(launch(tm, log.resolve(tmLog(0) + ".out")));
    s.write(dir);
    List<Long> more = new ArrayList<>();
    for (int i = 1; i < options.taskManagers(); i++) {
      more.add(launch(taskManagerCommand(options, classPath, conf, log, i), log.resolve(tmLog(i) + ".out")));
      s = s.withMoreTaskManagerPids(more);
      s.write(dir);
    }
    LocalFlinkCluster cluster = new LocalFlinkCluster(dir, s);
    try {
      cluster.awaitReady(options.startTimeout(), options.taskManagers(), options.totalSlots());
    } catch (RuntimeException | IOException e) {
      stop(dir);
      throw e;
    }
    return cluster;
  }

  /** The cluster of {@code stateDir} if its JobManager process is alive. */
  public static Optional<LocalFlinkCluster> attach(Path stateDir) throws IOException {
    Path dir = stateDir.toAbsolutePath().normalize();
    ClusterStatus st = status(dir);
    if (st.jobManagerPid() <= 0) {
      return Optional.empty();
    }
    return ClusterState.read(dir).map(s -> new LocalFlinkCluster(dir, s));
  }

  /**
   * Ends the cluster of {@code stateDir}: SIGTERM to the TaskManager and JobManager, SIGKILL after 20 s, then
   * removes the state file (configuration and logs stay). Only processes whose command line names this state
   * directory's conf are signalled. Idempotent.
   *
   * @return true if a process was running
   */
  public static boolean stop(Path stateDir) throws IOException {
    Path dir = stateDir.toAbsolutePath().normalize();
    Optional<ClusterState> s = ClusterState.read(dir);
    if (s.isEmpty()) {
      return false;
    }
    Path conf = dir.resolve("conf");
    boolean any = false;
    for (long tm : s.get().taskManagerPids()) {
      any |= terminate(tm, TASK_MANAGER_MAIN, conf);
    }
    any |= terminate(s.get().jobManagerPid(), JOB_MANAGER_MAIN, conf);
    ClusterState.delete(dir);
    return any;
  }

  /** What the state file, the processes and the REST API of {@code stateDir}'s cluster say. Never throws for a dead cluster. */
  public static ClusterStatus status(Path stateDir) throws IOException {
    Path dir = stateDir.toAbsolutePath().normalize();
    Optional<ClusterState> s = ClusterState.read(dir);
    if (s.isEmpty()) {
      return new ClusterStatus(dir, Optional.empty(), -1, -1, Optional.empty(), List.of());
    }
    Path conf = dir.resolve("conf");
    long jm = isOurs(s.get().jobManagerPid(), JOB_MANAGER_MAIN, conf) ? s.get().jobManagerPid() : -1;
    long tm = isOurs(s.get().taskManagerPid(), TASK_MANAGER_MAIN, conf) ? s.get().taskManagerPid() : -1;
    FlinkMaster master = masterOf(s.get());
    Optional<ClusterOverview> overview = Optional.empty();
    if (jm > 0) {
      try {
        overview = Optional.of(new FlinkRestClient(master).overview());
      } catch (IOException e) {
        overview = Optional.empty();
      }
    }
    List<Long> more = s.get().moreTaskManagerPids().stream().filter(pid -> isOurs(pid, TASK_MANAGER_MAIN, conf)).toList();
    return new ClusterStatus(dir, Optional.of(master), jm, tm, overview, more);
  }

  /** The REST address to submit jobs to ({@code --flink-master}). */
  public FlinkMaster master() {
    return masterOf(state);
  }

  /** The state directory. */
  public Path stateDir() {
    return stateDir;
  }

  /** A REST client of this cluster's JobManager. */
  public FlinkRestClient rest() {
    return rest;
  }

  /** The JobManager's pid. */
  public long jobManagerPid() {
    return state.jobManagerPid();
  }

  /** The first TaskManager's pid, or -1 after {@link #killTaskManager()}. */
  public long taskManagerPid() {
    return state.taskManagerPid();
  }

  /** Every TaskManager's pid as started (the first one first; -1 for a killed first one). */
  public List<Long> taskManagerPids() {
    return state.taskManagerPids();
  }

  /** This cluster's current status. */
  public ClusterStatus status() throws IOException {
    return status(stateDir);
  }

  /**
   * Kills the first TaskManager with SIGKILL (as a crash would) and waits until the process is gone. The JobManager
   * notices through failed heartbeats and restarts affected jobs per the restart strategy.
   *
   * @throws IllegalStateException if no TaskManager of this cluster runs
   */
  public void killTaskManager() throws IOException {
    long pid = state.taskManagerPid();
    Optional<ProcessHandle> h = ours(pid, TASK_MANAGER_MAIN, stateDir.resolve("conf"));
    if (h.isEmpty()) {
      throw new IllegalStateException("no TaskManager of " + stateDir + " is running (pid " + pid + ")");
    }
    h.get().destroyForcibly();
    awaitExit(h.get(), Duration.ofSeconds(30));
    state = state.withTaskManagerPid(-1);
    state.write(stateDir);
  }

  /**
   * Starts a new TaskManager with the command of the first one and waits until the JobManager has registered it.
   *
   * @throws IllegalStateException if a TaskManager of this cluster still runs, or the new one does not register
   */
  public void startTaskManager() throws IOException {
    Path conf = stateDir.resolve("conf");
    if (isOurs(state.taskManagerPid(), TASK_MANAGER_MAIN, conf)) {
      throw new IllegalStateException("a TaskManager of " + stateDir + " already runs (pid "
          + state.taskManagerPid() + ")");
    }
    Set<String> known = new HashSet<>(rest.taskManagerIds());
    List<String> cmd = Files.readAllLines(conf.resolve(TM_COMMAND_FILE), StandardCharsets.UTF_8);
    state = state.withTaskManagerPid(launch(cmd, stateDir.resolve("log").resolve(tmLog(0) + ".out")));
    state.write(stateDir);
    long deadline = System.nanoTime() + TASK_MANAGER_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive(state.taskManagerPid(), "TaskManager", tmLog(0));
      try {
        for (String id : rest.taskManagerIds()) {
          if (!known.contains(id)) {
            return;
          }
        }
      } catch (IOException e) {
        requireAlive(state.jobManagerPid(), "JobManager", "jobmanager");
      }
      sleep(500);
    }
    throw new IllegalStateException("the restarted TaskManager did not register within "
        + TASK_MANAGER_TIMEOUT.toSeconds() + " s; see " + stateDir.resolve("log").resolve(tmLog(0) + ".log"));
  }

  /** Stops the cluster ({@link #stop(Path)}). */
  @Override
  public void close() {
    try {
      stop(stateDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop the Flink cluster of " + stateDir, e);
    }
  }

  private void awaitReady(Duration timeout, int taskManagers, int slots) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive(state.jobManagerPid(), "JobManager", "jobmanager");
      List<Long> tms = state.taskManagerPids();
      for (int i = 0; i < tms.size(); i++) {
        requireAlive(tms.get(i), "TaskManager", tmLog(i));
      }
      try {
        ClusterOverview o = rest.overview();
        if (o.readyForJobs() && o.taskManagers() >= taskManagers && o.slotsAvailable() >= slots) {
          return;
        }
      } catch (IOException notYet) {
        // The REST endpoint comes up a few seconds after the JobManager process.
      }
      sleep(500);
    }
    throw new IllegalStateException("the local Flink cluster did not become ready within " + timeout.toSeconds()
        + " s (not " + taskManagers + " TaskManager(s) with " + slots + " free slots at " + master() + "); see the logs in "
        + stateDir.resolve("log"));
  }

  private void requireAlive(long pid, String role, String logName) throws IOException {
    if (!isOurs(pid, role.equals("JobManager") ? JOB_MANAGER_MAIN : TASK_MANAGER_MAIN, stateDir.resolve("conf"))) {
      Path log = stateDir.resolve("log").resolve(logName + ".log");
      Path out = stateDir.resolve("log").resolve(logName + ".out");
      throw new IllegalStateException("the Flink " + role + " (pid " + pid + ") exited; last lines of " + log
          + ":\n" + tail(log, 25) + tail(out, 10));
    }
  }

  /** The log file name (without extension) of TaskManager {@code i}: {@code taskmanager}, then {@code taskmanager-1}, ... */
  private static String tmLog(int i) {
    return i == 0 ? "taskmanager" : "taskmanager-" + i;
  }

  /** The command of TaskManager {@code i}, logging to its own {@link #tmLog} file under {@code log}. */
  private static List<String> taskManagerCommand(ClusterOptions options, String classPath, Path conf, Path log, int i) {
    return javaCommand(options.taskManagerMemory().jvmArgs(), classPath, conf, log.resolve(tmLog(i) + ".log"),
        options.javacppCacheDir(), TASK_MANAGER_MAIN);
  }

  private static List<String> javaCommand(List<String> memoryArgs, String classPath, Path conf, Path logFile,
      Path javacppCache, String mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(memoryArgs);
    cmd.addAll(JAVA17_FLAGS);
    cmd.add("-Dlog.file=" + logFile);
    cmd.add("-Dlogback.configurationFile=" + conf.resolve("logback.xml"));
    cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + javacppCache);
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.add("--configDir");
    cmd.add(conf.toString());
    return cmd;
  }

  private static long launch(List<String> javaCommand, Path out) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.addAll(javaCommand);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    return p.pid();
  }

  private static boolean terminate(long pid, String mainClass, Path conf) {
    Optional<ProcessHandle> h = ours(pid, mainClass, conf);
    if (h.isEmpty()) {
      return false;
    }
    h.get().destroy();
    if (!awaitExit(h.get(), STOP_GRACE)) {
      h.get().destroyForcibly();
      awaitExit(h.get(), Duration.ofSeconds(10));
    }
    return true;
  }

  private static boolean awaitExit(ProcessHandle h, Duration timeout) {
    try {
      h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !h.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !h.isAlive();
    }
  }

  private static boolean isOurs(long pid, String mainClass, Path conf) {
    return ours(pid, mainClass, conf).isPresent();
  }

  private static Optional<ProcessHandle> ours(long pid, String mainClass, Path conf) {
    if (pid <= 0) {
      return Optional.empty();
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (h.isEmpty()) {
      return Optional.empty();
    }
    String cmdLine = settledCommandLine(h.get(), LocalFlinkCluster::commandLine, CMDLINE_ATTEMPTS, CMDLINE_PAUSE);
    return cmdLine.contains(mainClass) && cmdLine.contains(conf.toString()) ? h : Optional.empty();
  }

  /**
   * The command line of a live process, read again (up to {@code attempts} times, {@code pause} apart) while it
   * reads empty. Linux reports an empty {@code /proc/PID/cmdline} while a process is inside {@code execve} (the
   * new image's arguments are not mapped yet), which is exactly where a just-launched {@code setsid java ...}
   * is when the first liveness check runs; taking that for "exited" failed cluster starts at random.
   *
   * @return the first non-empty read, or "" if every attempt read empty or the process ended
   */
  static String settledCommandLine(ProcessHandle h, java.util.function.Function<ProcessHandle, String> reader,
      int attempts, Duration pause) {
    for (int i = 0; i < attempts; i++) {
      String cmdLine = reader.apply(h);
      if (!cmdLine.isBlank() || !h.isAlive()) {
        return cmdLine;
      }
      sleep(pause.toMillis());
    }
    return "";
  }

  private static String commandLine(ProcessHandle h) {
    Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
      }
    } catch (IOException e) {
      return "";
    }
    return h.info().commandLine().orElse("");
  }

  private static FlinkMaster masterOf(ClusterState s) {
    return new FlinkMaster(ClusterPorts.LOOPBACK, s.restPort());
  }

  private static String tail(Path file, int lines) {
    try {
      if (!Files.isRegularFile(file)) {
        return "";
      }
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")\n";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Flink cluster", e);
    }
  }

  static String logbackXml() {
    return """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>${log.file}</file>
            <append>true</append>
            <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
          </appender>
          <logger name="org.apache.pekko" level="WARN"/>
          <logger name="org.apache.flink.shaded" level="WARN"/>
          <logger name="org.apache.beam" level="INFO"/>
          <root level="INFO"><appender-ref ref="FILE"/></root>
        </configuration>
        """;
  }
}
