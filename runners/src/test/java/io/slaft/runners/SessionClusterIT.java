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

/**
 * Jobs submitted to one session cluster started by {@link LocalFlinkCluster}, in a row on its one TaskManager:
 * the first matches the DirectRunner and runs TensorFlow in the TaskManager, loaded from its own class path; the
 * next two also ship TensorFlow's jars (as a careless job jar would), the class-loader trap: the TaskManager must
 * load TF parent-first, once, or the second of them aborts it in the native load.
 */
@Tag("integration")
class SessionClusterIT {
  @TempDir Path tmp;

  private static final List<String> EXPECTED = List.of("squares " + SmokeJob.SUM_SQUARES, "tf " + SmokeJob.SUM_TF);

  @Test
  void threeTensorFlowJobsOnOneTaskManagerMatchTheDirectRunnerTwoOfThemShippingTensorFlowJars() throws Exception {
    Path direct = tmp.resolve("direct");
    assertEquals(PipelineResult.State.DONE, SmokeJob.runSquaresAndTf(
        Runners.configure(PipelineOptionsFactory.create(), RunnerConfig.direct()), direct));
    assertEquals(EXPECTED, SmokeJob.resultsWithoutWorker(direct));
    List<Path> tfJars = ClusterTestSupport.tensorFlowJars();
    try (LocalFlinkCluster cluster = ClusterTestSupport.startCluster("session")) {
      long tm = cluster.taskManagerPid();
      for (int i = 1; i <= 3; i++) {
        Path out = tmp.resolve("job" + i);
        List<Path> shipped = i == 1 ? List.of() : tfJars;
        assertEquals(PipelineResult.State.DONE,
            SmokeJob.runSquaresAndTf(ClusterTestSupport.clusterOptions(cluster, "session" + i, shipped), out), "job " + i);
        assertEquals(SmokeJob.resultsWithoutWorker(direct), SmokeJob.resultsWithoutWorker(out), "job " + i + " = DirectRunner");
        assertEquals(List.of("worker pid=" + tm + " tf-loader=system"),
            SmokeJob.results(out).stream().filter(l -> l.startsWith("worker ")).toList(),
            "job " + i + ": TensorFlow ran in the TaskManager, loaded from its own class path");
      }
      assertEquals(tm, cluster.status().taskManagerPid(), "the TaskManager survived the three jobs");
      ClusterOverview o = cluster.rest().overview();
      assertEquals(3, o.jobsFinished(), o.toString());
      assertEquals(0, o.jobsFailed(), o.toString());
      assertEquals(1, o.taskManagers(), o.toString());
      assertTrue(ProcessHandle.of(tm).map(ProcessHandle::isAlive).orElse(false));
    }
  }
}
