package io.slaft.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.SummarySchema;
import io.slaft.transforms.data.DataRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** {@code examples/sweep-small.yaml} shrunk for integration tests on real MiniLM and SST-2, run on the DirectRunner. */
public final class SmallSweeps {
  private SmallSweeps() {}

  /**
   * The example on 400 training rows (10 % held out as validation), 100 dev rows, length 48, batch 16, 30 steps,
   * no tracking; then {@code overrides}. Threads stay at the default (one per core): TensorFlow fixes its pool once per
   * JVM, and the other tests of the module use the default.
   */
  public static ExperimentConfig config(List<String> overrides) throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("examples").resolve("sweep-small.yaml"))) {
      root = root.getParent();
    }
    List<String> all = new ArrayList<>(List.of("data.dir=" + DataRoot.resolve(null).path().toAbsolutePath(),
        "data.train_limit=400", "data.dev_limit=100", "backbone.max_length=48", "train.batch_size=16", "train.steps=30",
        "sparsity.warmup_steps=5", "sparsity.ramp_steps=10", "sweep.seeds=1", "tracking.uri=none"));
    all.addAll(overrides);
    return ExperimentConfig.load(root.resolve("examples").resolve("sweep-small.yaml")).withOverrides(all);
  }

  /** Runs {@code c} into {@code out} with {@code parallelism} points at a time; its summary.json is schema-valid. */
  public static void run(ExperimentConfig c, Path out, int parallelism) {
    DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
    o.setTargetParallelism(parallelism);
    Pipeline p = Pipeline.create(o);
    p.apply("Experiment", ExperimentPipeline.of(c, out).withNoCache(true));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    SummarySchema.assertValid(out.resolve(RunSummary.SUMMARY_FILE));
  }
}
