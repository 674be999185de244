package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.runners.flink.ClusterOverview;
import io.slaft.runners.flink.LocalFlinkCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/sweep-small.yaml} (4 points) through {@code ExperimentPipeline} on the DirectRunner, on Flink
 * {@code [local]}, and twice in a row on a session cluster of two TaskManagers started by {@link LocalFlinkCluster}:
 * same seeds and thread count give the same metrics and gate values per point, every point exactly once.
 *
 * <ul>
 *   <li>Job 1: both TaskManagers train points, as Flink's REST API reports.
 *   <li>Job 2: the first TaskManager is killed (SIGKILL) after it finished a point and a new one is started; the
 *       restart strategy reruns the lost work (training is deterministic, so idempotent) and {@code summary.json}
 *       still lists every point once with the DirectRunner's metrics. The other TaskManager survives both jobs.
 * </ul>
 *
 * <p>Checkpoints are off ({@code train.checkpoint_every=0}): a point rerun after the kill trains from scratch.
 */
@Tag("integration")
class SweepRunnersIT {
  private static final String EVAL = "] eval @";

  @TempDir Path tmp;

  @BeforeAll
  static void fixThreads() {
    SweepSupport.fixThreads();
  }

  @Test
  void sweepGivesIdenticalMetricsPerPointOnDirectEmbeddedFlinkAndTheSessionClusterThroughAKilledTaskManager()
      throws Exception {
    ExperimentConfig c = SweepSupport.config("train.checkpoint_every=0");
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

    try (LocalFlinkCluster cluster = ClusterTestSupport.startCluster("sweep-2tm", 2)) {
      assertEquals(2, cluster.rest().taskManagerIds().size());
      assertEquals(2, cluster.status().moreTaskManagerPids().size() + 1, cluster.status().describe());
      long firstTm = cluster.taskManagerPid();
      List<Long> more = cluster.status().moreTaskManagerPids();
      SweepSupport.assertTaskManagerThreads(firstTm);
      Path log = cluster.stateDir().resolve("log");
      Path firstTmLog = log.resolve("taskmanager.out");
      Path secondTmLog = log.resolve("taskmanager-1.out");

      // job 1: the 4 points spread over both TaskManagers
      Path out1 = tmp.resolve("cluster-1");
      assertEquals(PipelineResult.State.DONE,
          SweepSupport.run(ClusterTestSupport.clusterOptions(cluster, "sweep1", List.of(), 4), c, out1));
      assertEquals(ids, SweepSupport.summaryPointIds(out1), "every point exactly once (cluster job 1)");
      assertEquals(expected, SweepSupport.outcomes(out1), "session cluster job 1 = DirectRunner, per point");
      String job1 = cluster.rest().jobs().get(0).id();
      Map<String, Map<String, Long>> trained = cluster.rest().recordsReadByTaskManager(job1, "Train point");
      System.out.println("points read per TaskManager, by vertex: " + trained);
      Map<String, Long> byTm = trained.values().stream()
          .filter(m -> m.values().stream().mapToLong(Long::longValue).sum() == ids.size()).findFirst()
          .orElseThrow(() -> new AssertionError("no vertex of the training step read the 4 points: " + trained));
      assertEquals(2, byTm.size(), "both TaskManagers ran subtasks of the training step: " + byTm);
      assertTrue(byTm.values().stream().allMatch(n -> n > 0), "both TaskManagers trained points: " + byTm);

      // job 2: the first TaskManager dies (SIGKILL) after it finished a point of this job
      long firstTmEvalsBefore = count(firstTmLog, EVAL);
      long evalsOfJob1 = firstTmEvalsBefore + count(secondTmLog, EVAL);
      Path out2 = tmp.resolve("cluster-2");
      CompletableFuture<PipelineResult.State> job2 = CompletableFuture.supplyAsync(
          () -> SweepSupport.run(ClusterTestSupport.clusterOptions(cluster, "sweep2", List.of(), 4), c, out2));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
      while (count(firstTmLog, EVAL) == firstTmEvalsBefore) {
        assertFalse(job2.isDone(), () -> "job 2 ended before the TaskManager could be killed: " + job2.join());
        assertTrue(System.nanoTime() < deadline, "no point finished on the first TaskManager within 600 s; see " + firstTmLog);
        Thread.sleep(250);
      }
      cluster.killTaskManager();
      assertFalse(ProcessHandle.of(firstTm).map(ProcessHandle::isAlive).orElse(false));
      Thread.sleep(2000);
      cluster.startTaskManager();
      assertNotEquals(firstTm, cluster.taskManagerPid());
      SweepSupport.assertTaskManagerThreads(cluster.taskManagerPid());

      assertEquals(PipelineResult.State.DONE, job2.get(15, TimeUnit.MINUTES), "cluster job 2");
      assertEquals(ids, SweepSupport.summaryPointIds(out2), "every point exactly once (cluster job 2, after the kill)");
      assertEquals(expected, SweepSupport.outcomes(out2), "retrained points give the metrics of an uninterrupted run");
      long evalsOfJob2 = count(firstTmLog, EVAL) + count(secondTmLog, EVAL) - evalsOfJob1;
      assertTrue(evalsOfJob2 > evalsOfJob1, "work lost with the killed TaskManager ran again after the restart ("
          + evalsOfJob2 + " evaluations in job 2, " + evalsOfJob1 + " in job 1)");
      assertEquals(more, cluster.status().moreTaskManagerPids(), "the second TaskManager survived both jobs");
      ClusterOverview o = cluster.rest().overview();
      assertEquals(2, o.jobsFinished(), o.toString());
      assertEquals(0, o.jobsFailed(), o.toString());
    }
  }

  private static long count(Path log, String marker) throws IOException {
    if (!Files.isRegularFile(log)) {
      return 0;
    }
    return Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(l -> l.contains(marker)).count();
  }
}
