package io.slaft.runners.flink;

import io.slaft.files.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What a running local cluster leaves in its state directory ({@value #FILE_NAME}): its REST port and the
 * process ids of its JobManager and TaskManager ({@code -1} when not running). Written atomically.
 */
record ClusterState(int restPort, long jobManagerPid, long taskManagerPid) {
  static final String FILE_NAME = "cluster.properties";

  ClusterState withTaskManagerPid(long pid) {
    return new ClusterState(restPort, jobManagerPid, pid);
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
      return Optional.of(new ClusterState(Integer.parseInt(p.getProperty("rest.port")),
          Long.parseLong(p.getProperty("jobmanager.pid", "-1")), Long.parseLong(p.getProperty("taskmanager.pid", "-1"))));
    } catch (RuntimeException e) {
      throw new IOException("corrupt " + f + " (" + e.getMessage() + "); stop the processes by hand and delete it", e);
    }
  }

  void write(Path stateDir) throws IOException {
    Properties p = new Properties();
    p.setProperty("rest.port", Integer.toString(restPort));
    p.setProperty("jobmanager.pid", Long.toString(jobManagerPid));
    p.setProperty("taskmanager.pid", Long.toString(taskManagerPid));
    java.io.StringWriter w = new java.io.StringWriter();
    p.store(w, "slaft local Flink cluster");
    AtomicFiles.writeString(stateDir.resolve(FILE_NAME), w.toString());
  }

  static void delete(Path stateDir) throws IOException {
    Files.deleteIfExists(stateDir.resolve(FILE_NAME));
  }
}
