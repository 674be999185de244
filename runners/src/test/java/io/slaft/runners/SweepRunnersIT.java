package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.runners.flink.ClusterOverview;
import io.slaft.runners.flink.LocalFlinkCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/sweep-small.yaml} (4 points) through {@code ExperimentPipeline} on the DirectRunner, on
 * Flink {@code [local]}, and twice in a row on a session cluster of two TaskManagers started by {@link
 * LocalFlinkCluster} (both of which train points, as Flink's REST API reports, and survive both jobs): same seeds
 * and thread count give the same metrics and gate values per point, every point exactly once.
 */
@Tag("integration")
class SweepRunnersIT {
  @TempDir Path tmp;

  @BeforeAll
  static void fixThreads() {
    SweepSupport.fixThreads();
  }

  @Test
  void sweepGivesIdenticalMetricsPerPointOnDirectEmbeddedFlinkAndTwoJobsOnTheSessionCluster() throws Exception {
    ExperimentConfig c = SweepSupport.config();
    List<String> ids = SweepSupport.pointIds(c);
    assertEquals(4, ids.size(), ids.toString());

    Path direct = tmp.resolve("direct");
    assertEquals(PipelineResult.State.DONE,
        SweepSupport.run(Runners.configure(PipelineOptionsFactory.create(), RunnerConfig.direct()), c, direct));
    assertEquals(ids, SweepSupport.summaryPointIds(direct), "every point exactly once (direct)");
    Map<String, Object> expected = SweepSupport.outcomes(direct);

    Path local = tmp.resolve("flink-local");
    assertEquals(PipelineResult.State.DONE,
        SweepSupport.run(Runners.configure(PipelineOptionsFactory.create(), RunnerConfig.flinkLocal(2)), c, local));
    assertEquals(ids, SweepSupport.summaryPointIds(local), "every point exactly once (flink-local)");
    assertEquals(expected, SweepSupport.outcomes(local), "Flink [local] = DirectRunner, per point");

    // a session cluster of two TaskManagers of 2 slots each, two jobs in a row: the 4 points spread over both
    // TaskManagers, which survive both jobs, with the DirectRunner's metrics
    try (LocalFlinkCluster cluster = ClusterTestSupport.startCluster("sweep-2tm", 2)) {
      assertEquals(2, cluster.rest().taskManagerIds().size());
      assertEquals(2, cluster.status().moreTaskManagerPids().size() + 1, cluster.status().describe());
      long tm = cluster.taskManagerPid();
      List<Long> more = cluster.status().moreTaskManagerPids();
      SweepSupport.assertTaskManagerThreads(tm);
      for (int job = 1; job <= 2; job++) {
        Path out = tmp.resolve("cluster-" + job);
        assertEquals(PipelineResult.State.DONE, SweepSupport.run(ClusterTestSupport.clusterOptions(cluster, "sweep" + job, List.of(), 4),
            c, out), "cluster job " + job);
        assertEquals(ids, SweepSupport.summaryPointIds(out), "every point exactly once (cluster job " + job + ")");
        assertEquals(expected, SweepSupport.outcomes(out), "session cluster job " + job + " = DirectRunner, per point");
      }
      assertEquals(tm, cluster.status().taskManagerPid(), "the first TaskManager survived both sweep jobs");
      assertEquals(more, cluster.status().moreTaskManagerPids(), "the second TaskManager survived both sweep jobs");
      ClusterOverview o = cluster.rest().overview();
      assertEquals(2, o.jobsFinished(), o.toString());
      assertEquals(0, o.jobsFailed(), o.toString());
      String job = cluster.rest().jobs().get(0).id();
      Map<String, Map<String, Long>> trained = cluster.rest().recordsReadByTaskManager(job, "Train point");
      System.out.println("points read per TaskManager, by vertex: " + trained);
      Map<String, Long> byTm = trained.values().stream().filter(m -> m.values().stream().mapToLong(Long::longValue).sum() == ids.size())
          .findFirst().orElseThrow(() -> new AssertionError("no vertex of the training step read the 4 points: " + trained));
      assertEquals(2, byTm.size(), "both TaskManagers ran subtasks of the training step: " + byTm);
      assertTrue(byTm.values().stream().allMatch(n -> n > 0), "both TaskManagers trained points: " + byTm);
    }
  }
}
