package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FlinkRunner on the embedded MiniCluster gives the DirectRunner's results, TensorFlow included. */
@Tag("integration")
class FlinkLocalIT {
  @TempDir Path tmp;

  @Test
  void embeddedFlinkMatchesTheDirectRunner() {
    Path direct = tmp.resolve("direct");
    Path local = tmp.resolve("local");
    PipelineOptions d = Runners.configure(PipelineOptionsFactory.create(), RunnerConfig.direct());
    assertEquals(PipelineResult.State.DONE, SmokeJob.runSquaresAndTf(d, direct));
    PipelineOptions f = Runners.configure(PipelineOptionsFactory.create(), RunnerConfig.flinkLocal(2));
    assertEquals(PipelineResult.State.DONE, SmokeJob.runSquaresAndTf(f, local));

    List<String> expected = List.of("squares " + SmokeJob.SUM_SQUARES, "tf " + SmokeJob.SUM_TF);
    assertEquals(expected, SmokeJob.resultsWithoutWorker(direct));
    assertEquals(expected, SmokeJob.resultsWithoutWorker(local));
    String self = "worker pid=" + ProcessHandle.current().pid() + " tf-loader=system";
    assertEquals(List.of(self), SmokeJob.results(local).stream().filter(l -> l.startsWith("worker ")).toList());
  }
}
