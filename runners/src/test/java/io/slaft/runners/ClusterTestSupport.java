package io.slaft.runners;

import io.slaft.runners.flink.ClusterOptions;
import io.slaft.runners.flink.LocalFlinkCluster;
import io.slaft.runners.flink.TaskManagerMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Starts a cluster of its own per test and builds options that submit the job jar plus the test classes. */
final class ClusterTestSupport {
  private ClusterTestSupport() {}

  static Path jobJar() {
    String p = System.getProperty("slaft.jobJar");
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException("integration tests need the job jar (-Dslaft.jobJar, set by "
          + "'mvn -pl runners verify -Pintegration'), got " + p);
    }
    return Path.of(p);
  }

  static Path testClasses() {
    return Path.of(System.getProperty("slaft.testClasses", "target/test-classes")).toAbsolutePath();
  }

  static LocalFlinkCluster startCluster(String name) throws IOException {
    Path stateDir = Path.of("target", "it-flink", name + "-" + System.nanoTime()).toAbsolutePath();
    ClusterOptions options = ClusterOptions.defaults().withRestPort(0).withSlots(2)
        .withTaskManagerMemory(TaskManagerMemory.DEFAULT.withTaskHeapMb(1024));
    return LocalFlinkCluster.start(stateDir, options);
  }

  static PipelineOptions clusterOptions(LocalFlinkCluster cluster, String jobName) {
    RunnerConfig config = RunnerConfig.flinkCluster(cluster.master(), jobJar())
        .withExtraFilesToStage(List.of(testClasses())).withParallelism(2);
    PipelineOptions o = Runners.configure(PipelineOptionsFactory.create(), config);
    o.setJobName(jobName + "-" + System.nanoTime());
    return o;
  }
}
