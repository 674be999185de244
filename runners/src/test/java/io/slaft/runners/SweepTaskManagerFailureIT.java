package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.pipelines.config.ExperimentConfig;
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
 * The TaskManager is killed (SIGKILL) during {@code examples/sweep-small.yaml} on the session cluster, after a
 * point finished training, and a new one is started: the restart strategy reruns the job, points that ran before
 * the kill are trained again (training is deterministic, so idempotent), and {@code summary.json} lists every
 * point exactly once, with the metrics of an uninterrupted DirectRunner run.
 *
 * <p>Checkpoints are off ({@code train.checkpoint_every=0}): a checkpoint written by one JVM is refused by another
 * ("written by a run with a different config or data") because the trainer's checkpoint fingerprint includes
 * {@code SearchSpace.sites()}, a {@code Set.copyOf} whose iteration order is randomized per JVM; every restart
 * then fails again until the restart attempts are exhausted.
 */
@Tag("integration")
class SweepTaskManagerFailureIT {
  private static final String EVAL = "] eval @";

  @TempDir Path tmp;

  @BeforeAll
  static void fixThreads() {
    SweepSupport.fixThreads();
  }

  @Test
  void sweepSurvivesAKilledTaskManagerWithEveryPointOnceInTheSummary() throws Exception {
    ExperimentConfig c = SweepSupport.config("train.checkpoint_every=0");
    List<String> ids = SweepSupport.pointIds(c);

    Path direct = tmp.resolve("direct");
    assertEquals(PipelineResult.State.DONE,
        SweepSupport.run(Runners.configure(PipelineOptionsFactory.create(), RunnerConfig.direct()), c, direct));
    Map<String, Object> expected = SweepSupport.outcomes(direct);

    Path out = tmp.resolve("cluster");
    try (LocalFlinkCluster cluster = ClusterTestSupport.startCluster("sweep-failover")) {
      long firstTm = cluster.taskManagerPid();
      SweepSupport.assertTaskManagerThreads(firstTm);
      Path tmLog = cluster.stateDir().resolve("log").resolve("taskmanager.out");
      CompletableFuture<PipelineResult.State> job = CompletableFuture.supplyAsync(
          () -> SweepSupport.run(ClusterTestSupport.clusterOptions(cluster, "sweep-failover"), c, out));

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
      while (count(tmLog, EVAL) < 1) {
        assertFalse(job.isDone(), () -> "the job ended before the TaskManager could be killed: " + job.join());
        assertTrue(System.nanoTime() < deadline, "no sweep point finished within 600 s; see " + tmLog);
        Thread.sleep(250);
      }
      long finishedBeforeKill = count(tmLog, EVAL);
      assertTrue(finishedBeforeKill < ids.size(), "the kill must happen mid-sweep");
      cluster.killTaskManager();
      assertFalse(ProcessHandle.of(firstTm).map(ProcessHandle::isAlive).orElse(false));
      Thread.sleep(2000);
      cluster.startTaskManager();
      assertNotEquals(firstTm, cluster.taskManagerPid());
      SweepSupport.assertTaskManagerThreads(cluster.taskManagerPid());

      assertEquals(PipelineResult.State.DONE, job.get(15, TimeUnit.MINUTES));
      assertEquals(ids, SweepSupport.summaryPointIds(out), "every sweep point exactly once in summary.json");
      assertEquals(expected, SweepSupport.outcomes(out),
          "retrained points give the metrics of an uninterrupted run");
      assertTrue(count(tmLog, EVAL) > ids.size(), "points finished before the kill ran again after the restart ("
          + count(tmLog, EVAL) + " evaluations for " + ids.size() + " points, " + finishedBeforeKill
          + " before the kill)");
      assertEquals(0, cluster.rest().overview().jobsFailed());
    }
  }

  private static long count(Path log, String marker) throws IOException {
    if (!Files.isRegularFile(log)) {
      return 0;
    }
    return Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(l -> l.contains(marker)).count();
  }
}
