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
 * Flink {@code [local]}, twice in a row on the session cluster started by {@link LocalFlinkCluster}, and on a
 * session cluster of two TaskManagers (both of which train points, as Flink's REST API reports): same seeds and
 * thread count give the same metrics and gate values per point, every point exactly once.
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

    try (LocalFlinkCluster cluster = ClusterTestSupport.startCluster("sweep")) {
      long tm = cluster.taskManagerPid();
      SweepSupport.assertTaskManagerThreads(tm);
      for (int job = 1; job <= 2; job++) {
        Path out = tmp.resolve("cluster-" + job);
        assertEquals(PipelineResult.State.DONE,
            SweepSupport.run(ClusterTestSupport.clusterOptions(cluster, "sweep" + job), c, out), "cluster job " + job);
        assertEquals(ids, SweepSupport.summaryPointIds(out), "every point exactly once (cluster job " + job + ")");
        assertEquals(expected, SweepSupport.outcomes(out), "session cluster job " + job + " = DirectRunner, per point");
      }
      assertEquals(tm, cluster.status().taskManagerPid(), "the TaskManager survived both sweep jobs");
      ClusterOverview o = cluster.rest().overview();
      assertEquals(2, o.jobsFinished(), o.toString());
      assertEquals(0, o.jobsFailed(), o.toString());
    }

    // two TaskManagers of 2 slots each: the 4 points spread over both, with the DirectRunner's metrics
    try (LocalFlinkCluster cluster = LocalFlinkCluster.start(Path.of("target", "it-flink", "sweep-2tm-" + System.nanoTime())
        .toAbsolutePath(), io.slaft.runners.flink.ClusterOptions.defaults().withRestPort(0).withSlots(2).withTaskManagers(2)
        .withTaskManagerMemory(io.slaft.runners.flink.TaskManagerMemory.DEFAULT.withTaskHeapMb(1024)))) {
      assertEquals(2, cluster.rest().taskManagerIds().size());
      assertEquals(2, cluster.status().moreTaskManagerPids().size() + 1, cluster.status().describe());
      Path out = tmp.resolve("cluster-2tm");
      assertEquals(PipelineResult.State.DONE, SweepSupport.run(ClusterTestSupport.clusterOptions(cluster, "sweep-2tm", List.of(), 4), c,
          out));
      assertEquals(ids, SweepSupport.summaryPointIds(out), "every point exactly once (two TaskManagers)");
      assertEquals(expected, SweepSupport.outcomes(out), "two TaskManagers = DirectRunner, per point");
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
