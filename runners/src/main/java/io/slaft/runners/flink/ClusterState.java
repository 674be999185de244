package io.slaft.runners.flink;

import io.slaft.files.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a running local cluster leaves in its state directory ({@value #FILE_NAME}): its REST port and the
 * process ids of its JobManager, its first TaskManager ({@code -1} when not running; the one {@code
 * killTaskManager} and {@code startTaskManager} act on) and any further TaskManagers. Written atomically.
 */
record ClusterState(int restPort, long jobManagerPid, long taskManagerPid, List<Long> moreTaskManagerPids) {
  static final String FILE_NAME = "cluster.properties";

  ClusterState {
    moreTaskManagerPids = List.copyOf(moreTaskManagerPids);
  }

  /** A cluster with one TaskManager. */
  ClusterState(int restPort, long jobManagerPid, long taskManagerPid) {
    this(restPort, jobManagerPid, taskManagerPid, List.of());
  }

  ClusterState withTaskManagerPid(long pid) {
    return new ClusterState(restPort, jobManagerPid, pid, moreTaskManagerPids);
  }

  ClusterState withMoreTaskManagerPids(List<Long> pids) {
    return new ClusterState(restPort, jobManagerPid, taskManagerPid, pids);
  }

  /** Every TaskManager pid, the first one first. */
  List<Long> taskManagerPids() {
    List<Long> all = new java.util.ArrayList<>();
    all.add(taskManagerPid);
    all.addAll(moreTaskManagerPids);
    return all;
  }

  static Optional<ClusterState> read(Path stateDir) throws IOException {
    Path f = stateDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    try {
      String more = p.getProperty("taskmanager.more.pids", "").strip();
      return Optional.of(new ClusterState(Integer.parseInt(p.getProperty("rest.port")),
          Long.parseLong(p.getProperty("jobmanager.pid", "-1")), Long.parseLong(p.getProperty("taskmanager.pid", "-1")),
          more.isEmpty() ? List.of() : java.util.Arrays.stream(more.split(",")).map(Long::parseLong).toList()));
    } catch (RuntimeException e) {
      throw new IOException("corrupt " + f + " (" + e.getMessage() + "); stop the processes by hand and delete it", e);
    }
  }

  void write(Path stateDir) throws IOException {
    Properties p = new Properties();
    p.setProperty("rest.port", Integer.toString(restPort));
    p.setProperty("jobmanager.pid", Long.toString(jobManagerPid));
    p.setProperty("taskmanager.pid", Long.toString(taskManagerPid));
    if (!moreTaskManagerPids.isEmpty()) {
      p.setProperty("taskmanager.more.pids", String.join(",", moreTaskManagerPids.stream().map(String::valueOf).toList()));
    }
    java.io.StringWriter w = new java.io.StringWriter();
    p.store(w, "slaft local Flink cluster");
    AtomicFiles.writeString(stateDir.resolve(FILE_NAME), w.toString());
  }

  static void delete(Path stateDir) throws IOException {
    Files.deleteIfExists(stateDir.resolve(FILE_NAME));
  }
}
