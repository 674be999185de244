package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.runners.flink.ClusterOverview;
import io.slaft.runners.flink.LocalFlinkCluster;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs submitted to the session cluster started by {@link LocalFlinkCluster}. */
@Tag("integration")
class SessionClusterIT {
  @TempDir Path tmp;

  private static final List<String> EXPECTED = List.of("squares " + SmokeJob.SUM_SQUARES, "tf " + SmokeJob.SUM_TF);

  @Test
  void sessionClusterMatchesTheDirectRunnerAndRunsTensorFlowInTheTaskManager() throws Exception {
    Path direct = tmp.resolve("direct");
    assertEquals(PipelineResult.State.DONE, SmokeJob.runSquaresAndTf(
        Runners.configure(PipelineOptionsFactory.create(), RunnerConfig.direct()), direct));
    try (LocalFlinkCluster cluster = ClusterTestSupport.startCluster("match")) {
      Path out = tmp.resolve("cluster");
      assertEquals(PipelineResult.State.DONE,
          SmokeJob.runSquaresAndTf(ClusterTestSupport.clusterOptions(cluster, "match"), out));
      assertEquals(EXPECTED, SmokeJob.resultsWithoutWorker(direct));
      assertEquals(SmokeJob.resultsWithoutWorker(direct), SmokeJob.resultsWithoutWorker(out));
      assertEquals(List.of("worker pid=" + cluster.taskManagerPid() + " tf-loader=system"),
          SmokeJob.results(out).stream().filter(l -> l.startsWith("worker ")).toList(),
          "TensorFlow ran in the TaskManager, loaded from its own class path");
    }
  }

  /**
   * The class-loader trap: both jobs also ship TensorFlow's jars (as a careless job jar would); the TaskManager
   * must load TF parent-first, once, or the second job's native load aborts it.
   */
  @Test
  void twoTensorFlowJobsInARowOnTheSameTaskManagerBothSucceed() throws Exception {
    List<Path> tfJars = ClusterTestSupport.tensorFlowJars();
    try (LocalFlinkCluster cluster = ClusterTestSupport.startCluster("twice")) {
      long tm = cluster.taskManagerPid();
      for (int i = 1; i <= 2; i++) {
        Path out = tmp.resolve("job" + i);
        assertEquals(PipelineResult.State.DONE,
            SmokeJob.runSquaresAndTf(ClusterTestSupport.clusterOptions(cluster, "twice" + i, tfJars), out),
            "job " + i);
        assertEquals(EXPECTED, SmokeJob.resultsWithoutWorker(out), "job " + i);
        assertEquals(List.of("worker pid=" + tm + " tf-loader=system"),
            SmokeJob.results(out).stream().filter(l -> l.startsWith("worker ")).toList(), "job " + i);
      }
      assertEquals(tm, cluster.status().taskManagerPid(), "the TaskManager survived both jobs");
      ClusterOverview o = cluster.rest().overview();
      assertEquals(2, o.jobsFinished(), o.toString());
      assertEquals(0, o.jobsFailed(), o.toString());
      assertEquals(1, o.taskManagers(), o.toString());
      assertTrue(ProcessHandle.of(tm).map(ProcessHandle::isAlive).orElse(false));
    }
  }
}
