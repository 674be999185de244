package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnersTest {
  @TempDir Path tmp;

  @Test
  void directSetsTheDirectRunnerAndOptionalParallelism() {
    PipelineOptions o = PipelineOptionsFactory.create();
    o.setRunner(FlinkRunner.class);
    assertSame(o, Runners.configure(o, RunnerChoice.DIRECT, null, null));
    assertEquals(DirectRunner.class, o.getRunner());
    Runners.configure(o, RunnerConfig.direct().withParallelism(3));
    assertEquals(3, o.as(DirectOptions.class).getTargetParallelism());
  }

  @Test
  void flinkLocalUsesTheEmbeddedClusterWithCoresAsDefaultParallelism() {
    PipelineOptions o = Runners.configure(PipelineOptionsFactory.create(), RunnerChoice.FLINK_LOCAL, null, null);
    FlinkPipelineOptions f = o.as(FlinkPipelineOptions.class);
    assertEquals(FlinkRunner.class, f.getRunner());
    assertEquals("[local]", f.getFlinkMaster());
    assertEquals(Runtime.getRuntime().availableProcessors(), f.getParallelism());
    Runners.configure(o, RunnerConfig.flinkLocal(2));
    assertEquals(2, f.getParallelism());
  }

  @Test
  void flinkClusterStagesTheJobJarAndSetsTheRestartPolicy() throws Exception {
    Path jar = Files.write(tmp.resolve("slaft-job.jar"), new byte[] {1});
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      PipelineOptions o = Runners.configure(PipelineOptionsFactory.create(), RunnerChoice.FLINK,
          "127.0.0.1:" + s.getLocalPort(), jar);
      FlinkPipelineOptions f = o.as(FlinkPipelineOptions.class);
      assertEquals(FlinkRunner.class, f.getRunner());
      assertEquals("127.0.0.1:" + s.getLocalPort(), f.getFlinkMaster());
      assertEquals(List.of(jar.toAbsolutePath().toString()), f.getFilesToStage());
      assertEquals(10, f.getNumberOfExecutionRetries());
      assertEquals(2000L, f.getExecutionRetryDelay());
      assertEquals(-1, f.getParallelism(), "cluster default parallelism is left to the cluster");

      RunnerConfig c = RunnerConfig.flinkCluster(new FlinkMaster("127.0.0.1", s.getLocalPort()), jar)
          .withExtraFilesToStage(List.of(classes)).withParallelism(4)
          .withRestart(new RestartPolicy(3, Duration.ofMillis(500)));
      FlinkPipelineOptions g = Runners.configure(PipelineOptionsFactory.create(), c).as(FlinkPipelineOptions.class);
      assertEquals(List.of(jar.toAbsolutePath().toString(), classes.toAbsolutePath().toString()), g.getFilesToStage());
      assertEquals(4, g.getParallelism());
      assertEquals(3, g.getNumberOfExecutionRetries());
      assertEquals(500L, g.getExecutionRetryDelay());
    }
  }

  @Test
  void flinkClusterWithoutJarOrWithMissingJarSaysHowToBuildIt() {
    IllegalArgumentException noJar = assertThrows(IllegalArgumentException.class,
        () -> Runners.configure(PipelineOptionsFactory.create(), RunnerChoice.FLINK, "localhost:8081", null));
    assertTrue(noJar.getMessage().contains("-Pjobjar"), noJar.getMessage());
    Path missing = tmp.resolve("nope.jar");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Runners.configure(PipelineOptionsFactory.create(), RunnerChoice.FLINK, "localhost:8081", missing));
    assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains("-Pjobjar"), e.getMessage());
  }

  @Test
  void flinkClusterNeedsAMasterAndAReachableOne() throws Exception {
    Path jar = Files.write(tmp.resolve("slaft-job.jar"), new byte[] {1});
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> Runners.configure(PipelineOptionsFactory.create(), RunnerChoice.FLINK, null, jar));
    assertTrue(none.getMessage().contains("--flink-master HOST:PORT"), none.getMessage());
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    PipelineOptions o = PipelineOptionsFactory.create();
    FlinkMasterUnreachableException e = assertThrows(FlinkMasterUnreachableException.class,
        () -> Runners.configure(o, RunnerChoice.FLINK, "127.0.0.1:" + port, jar));
    assertTrue(e.getMessage().contains("127.0.0.1:" + port) && e.getMessage().contains("./slaft flink start"));
    assertFalse(o.getRunner() == FlinkRunner.class, "options are left alone when the master is unreachable");
  }

  @Test
  void masterOrJarWithANonClusterRunnerIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Runners.configure(PipelineOptionsFactory.create(), RunnerChoice.DIRECT, "localhost:8081", null));
    assertEquals("--flink-master applies only to --runner flink, not to --runner direct", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Runners.configure(PipelineOptionsFactory.create(), RunnerChoice.FLINK_LOCAL, null, tmp));
  }

  @Test
  void commandLineNamesMapToRunnersAndUnknownOnesListTheAllowed() {
    PipelineOptions o = Runners.configureFromCommandLine(PipelineOptionsFactory.create(), "flink-local", null,
        m -> { });
    assertEquals("[local]", o.as(FlinkPipelineOptions.class).getFlinkMaster());
    assertEquals(DirectRunner.class,
        Runners.configureFromCommandLine(PipelineOptionsFactory.create(), null, null, m -> { }).getRunner());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Runners.configureFromCommandLine(PipelineOptionsFactory.create(), "dataflow", null, m -> { }));
    assertEquals("unknown runner 'dataflow'; allowed: direct, flink-local, flink", e.getMessage());
  }

  @Test
  void configValidatesParallelismAndRestart() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunnerConfig.flinkLocal(-1)).getMessage()
        .contains("parallelism must be 0 (runner default) or 1..1024"));
    assertThrows(IllegalArgumentException.class, () -> new RestartPolicy(-1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new RestartPolicy(1, Duration.ofSeconds(-1)));
    assertEquals(new RestartPolicy(10, Duration.ofSeconds(2)), RestartPolicy.CLUSTER_DEFAULT);
  }

  @Test
  void jobJarLivesInRunnersTargetAndIsStaleWhenSourcesAreNewer() throws Exception {
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo.resolve("runners/src/main/java"));
    Files.writeString(repo.resolve("pom.xml"), "<project/>");
    Files.writeString(repo.resolve("runners/pom.xml"), "<project/>");
    Path jar = JobJar.location(repo);
    assertEquals(repo.resolve("runners/target/slaft-job.jar"), jar);
    assertTrue(JobJar.isStale(repo), "missing jar is stale");
    Files.createDirectories(jar.getParent());
    Files.write(jar, new byte[] {1});
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    assertFalse(JobJar.isStale(repo));
    Path src = Files.writeString(repo.resolve("runners/src/main/java/A.java"), "class A {}");
    Files.setLastModifiedTime(src, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 120_000));
    assertTrue(JobJar.isStale(repo));
  }
}
