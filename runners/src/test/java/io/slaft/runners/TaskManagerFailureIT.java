package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.runners.flink.LocalFlinkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TaskManager killed mid-job: the restart strategy reruns the job on a new TaskManager, results exactly once. */
@Tag("integration")
class TaskManagerFailureIT {
  private static final int ELEMENTS = 16;
  private static final long DELAY_MS = 1500;

  @TempDir Path tmp;

  @Test
  void jobSurvivesAKilledTaskManagerWithEveryResultExactlyOnce() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path markers = Files.createDirectories(tmp.resolve("markers"));
    try (LocalFlinkCluster cluster = ClusterTestSupport.startCluster("failover")) {
      long firstTm = cluster.taskManagerPid();
      CompletableFuture<PipelineResult.State> job = CompletableFuture.supplyAsync(() -> SmokeJob.runSlow(
          ClusterTestSupport.clusterOptions(cluster, "failover"), out, markers, ELEMENTS, DELAY_MS));

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (count(markers) < 3) {
        assertFalse(job.isDone(), () -> "the job ended before the TaskManager could be killed: " + job.join());
        assertTrue(System.nanoTime() < deadline, "no element was processed within 180 s");
        Thread.sleep(200);
      }
      long processedBeforeKill = count(markers);
      assertTrue(processedBeforeKill < ELEMENTS, "the kill must happen mid-job");
      cluster.killTaskManager();
      assertFalse(ProcessHandle.of(firstTm).map(ProcessHandle::isAlive).orElse(false));
      Thread.sleep(2000);
      cluster.startTaskManager();

      assertEquals(PipelineResult.State.DONE, job.get(5, TimeUnit.MINUTES));
      List<String> expected = LongStream.rangeClosed(1, ELEMENTS).mapToObj(x -> "slow " + (10 * x)).sorted().toList();
      assertEquals(expected, SmokeJob.results(out), "every element's result exactly once");
      assertTrue(count(markers) > ELEMENTS,
          "elements processed before the kill were processed again (" + count(markers) + " attempts)");
      assertEquals(0, cluster.rest().overview().jobsFailed());
    }
  }

  private static long count(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
