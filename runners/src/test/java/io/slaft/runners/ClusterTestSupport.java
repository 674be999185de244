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

  /**
   * TensorFlow's own jars (API, natives, ndarray, JavaCPP), to stage with a job as if it shipped TF itself:
   * with TF parent-first on the TaskManager, the job's copies must be ignored.
   */
  static List<Path> tensorFlowJars() {
    List<Path> jars = new java.util.ArrayList<>();
    for (Class<?> c : List.of(org.tensorflow.Graph.class, org.tensorflow.ndarray.NdArray.class,
        org.bytedeco.javacpp.Loader.class, org.tensorflow.internal.c_api.global.tensorflow.class)) {
      jars.add(jarOf(c.getProtectionDomain().getCodeSource().getLocation()));
    }
    java.net.URL natives = ClusterTestSupport.class.getClassLoader()
        .getResource("org/tensorflow/internal/c_api/linux-x86_64/");
    if (natives == null || !"jar".equals(natives.getProtocol())) {
      throw new IllegalStateException("TensorFlow's linux-x86_64 native jar is not on the test class path");
    }
    String spec = natives.getPath();
    jars.add(jarOf(url(spec.substring(0, spec.indexOf("!/")))));
    return jars;
  }

  private static java.net.URL url(String s) {
    try {
      return new java.net.URL(s);
    } catch (java.net.MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path jarOf(java.net.URL location) {
    try {
      return Path.of(location.toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static LocalFlinkCluster startCluster(String name) throws IOException {
    return startCluster(name, 1);
  }

  /** A session cluster of {@code taskManagers} TaskManagers of 2 slots and 1 GiB task heap each, on a free REST port. */
  static LocalFlinkCluster startCluster(String name, int taskManagers) throws IOException {
    Path stateDir = Path.of("target", "it-flink", name + "-" + System.nanoTime()).toAbsolutePath();
    ClusterOptions options = ClusterOptions.defaults().withRestPort(0).withSlots(2).withTaskManagers(taskManagers)
        .withTaskManagerMemory(TaskManagerMemory.DEFAULT.withTaskHeapMb(1024));
    return LocalFlinkCluster.start(stateDir, options);
  }

  static PipelineOptions clusterOptions(LocalFlinkCluster cluster, String jobName) {
    return clusterOptions(cluster, jobName, List.of());
  }

  static PipelineOptions clusterOptions(LocalFlinkCluster cluster, String jobName, List<Path> alsoStage) {
    return clusterOptions(cluster, jobName, alsoStage, 2);
  }

  static PipelineOptions clusterOptions(LocalFlinkCluster cluster, String jobName, List<Path> alsoStage, int parallelism) {
    List<Path> staged = new java.util.ArrayList<>(List.of(testClasses()));
    staged.addAll(alsoStage);
    RunnerConfig config = RunnerConfig.flinkCluster(cluster.master(), jobJar())
        .withExtraFilesToStage(staged).withParallelism(parallelism);
    PipelineOptions o = Runners.configure(PipelineOptionsFactory.create(), config);
    o.setJobName(jobName + "-" + System.nanoTime());
    return o;
  }
}
