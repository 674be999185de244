package io.slaft.runners.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.runners.FlinkMaster;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's bookkeeping, without starting Flink. */
class LocalFlinkClusterStateTest {
  @TempDir Path tmp;

  @Test
  void emptyStateDirIsNotRunningAndStopIsANoOp() throws Exception {
    ClusterStatus st = LocalFlinkCluster.status(tmp);
    assertFalse(st.running());
    assertEquals(Optional.empty(), st.master());
    assertTrue(st.describe().startsWith("local Flink cluster: not running"), st.describe());
    assertFalse(LocalFlinkCluster.stop(tmp));
    assertEquals(Optional.empty(), LocalFlinkCluster.attach(tmp));
  }

  @Test
  void stalePidsOfOtherProcessesAreNeverSignalled() throws Exception {
    long self = ProcessHandle.current().pid();
    new ClusterState(18081, self, self).write(tmp);
    ClusterStatus st = LocalFlinkCluster.status(tmp);
    assertEquals(-1, st.jobManagerPid(), "this test JVM is not a JobManager of " + tmp);
    assertEquals(Optional.of(new FlinkMaster("127.0.0.1", 18081)), st.master());
    assertFalse(st.running());
    assertTrue(st.describe().contains("NOT running (stale state)"), st.describe());
    assertFalse(LocalFlinkCluster.stop(tmp), "nothing of ours was running");
    assertFalse(Files.exists(tmp.resolve(ClusterState.FILE_NAME)), "stop removes the stale state");
  }

  @Test
  void stateRoundTripsAndCorruptStateIsReported() throws Exception {
    ClusterState more = new ClusterState(40000, 123, 456, java.util.List.of(789L, 1011L));
    more.write(tmp);
    assertEquals(Optional.of(more), ClusterState.read(tmp), "further TaskManagers round-trip");
    assertEquals(java.util.List.of(456L, 789L, 1011L), more.taskManagerPids());
    ClusterState s = new ClusterState(40000, 123, 456);
    s.write(tmp);
    assertEquals(Optional.of(s), ClusterState.read(tmp));
    Files.writeString(tmp.resolve(ClusterState.FILE_NAME), "rest.port=abc\n");
    assertTrue(assertThrows(java.io.IOException.class, () -> ClusterState.read(tmp)).getMessage().contains("corrupt"));
  }

  @Test
  void takenRestPortIsReportedWithTheFix() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ClusterPorts.allocate(s.getLocalPort()));
      assertTrue(e.getMessage().contains("port " + s.getLocalPort() + " on 127.0.0.1 is in use"), e.getMessage());
      assertTrue(e.getMessage().contains("--port 0"), e.getMessage());
    }
    ClusterPorts p = ClusterPorts.allocate(0);
    assertTrue(ClusterPorts.isFree(p.rest()) && ClusterPorts.isFree(p.jobManagerRpc()) && ClusterPorts.isFree(p.blob()));
  }

  @Test
  void clusterClassPathLeavesOutSlaftAndBeamButKeepsFlinkAndTensorFlow() {
    List<String> kept = ClusterClasspath.filter(List.of(
        "/r/io/slaft/slaft-pipelines/0.1.0/slaft-pipelines-0.1.0.jar",
        "/work/main/transforms/target/classes",
        "/r/org/apache/beam/beam-sdks-java-core/2.62.0/beam-sdks-java-core-2.62.0.jar",
        "/r/org/apache/flink/flink-runtime/1.19.0/flink-runtime-1.19.0.jar",
        "/r/org/tensorflow/tensorflow-core-api/1.1.0/tensorflow-core-api-1.1.0.jar"));
    assertEquals(List.of("/r/org/apache/flink/flink-runtime/1.19.0/flink-runtime-1.19.0.jar",
        "/r/org/tensorflow/tensorflow-core-api/1.1.0/tensorflow-core-api-1.1.0.jar"), kept);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ClusterClasspath.validate(List.of("/nonexistent/flink-runtime-1.19.0.jar")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void mavenWroteTheClusterClassPathWithTensorFlowAndWithoutBeam() {
    String cp = ClusterClasspath.resolve();
    assertTrue(cp.contains("tensorflow-core-native"), "TF natives must be on the TaskManager class path");
    assertTrue(cp.contains("flink-rpc-akka-loader") && cp.contains("flink-clients"), cp);
    assertTrue(cp.contains("logback-classic"), "the cluster processes log through logback");
    assertFalse(cp.contains("/org/apache/beam/"), "Beam travels in the job jar");
    assertFalse(cp.contains("slaft-pipelines"), "slaft travels in the job jar");
  }

  @Test
  void aCommandLineReadEmptyMidExecIsReadAgainInsteadOfTakenForAnExit() {
    ProcessHandle self = ProcessHandle.current();
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    String real = "java -cp x " + LocalFlinkCluster.TASK_MANAGER_MAIN + " --configDir /s/conf";
    String got = LocalFlinkCluster.settledCommandLine(self, h -> reads.incrementAndGet() < 3 ? "" : real, 50,
        java.time.Duration.ofMillis(1));
    assertEquals(real, got);
    assertEquals(3, reads.get(), "two empty reads (inside execve), then the new image's arguments");
  }

  @Test
  void aCommandLineThatStaysEmptyIsGivenUpAfterTheLastAttempt() {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    String got = LocalFlinkCluster.settledCommandLine(ProcessHandle.current(), h -> {
      reads.incrementAndGet();
      return "";
    }, 4, java.time.Duration.ofMillis(1));
    assertEquals("", got);
    assertEquals(4, reads.get());
  }
}
