package io.slaft.pipelines.run;

import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.config.SweepPoints;
import io.slaft.pipelines.experiment.ExperimentSpec;
import io.slaft.transforms.sweep.ExpandSweep;
import java.nio.file.Path;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The {@code slaft run} pipeline as one composite transform of named stages:
 * <ol>
 *   <li>{@code Prepare} ({@link PrepareTasks}): read and validate every task split once, dead
 *       letters, the dead-letter limit, validated examples materialized under {@code <out>/prepared/};
 *   <li>{@code Sweep points} ({@link ExpandSweep}): one element per bound sweep point;
 *   <li>{@code Train} ({@link TrainPoints}): waits for prepare, trains each point on a worker from
 *       the prepared splits, emits its {@link PointRecords};
 *   <li>{@code Report} ({@link WriteSummary}): all records and prepare's read reports into
 *       {@code summary.json}.
 * </ol>
 * Every sweep point is bound ({@link ExperimentSpec#bindSweep}) when the transform is created, so
 * a bad point fails before a pipeline exists. The same transform runs on the DirectRunner and on
 * Flink; workers must see {@code out} at the same path (a shared filesystem on a cluster). Output:
 * the path of {@code summary.json}.
 */
public final class ExperimentPipeline extends PTransform<PBegin, PCollection<String>> {
  private final transient ExperimentConfig config;
  private final transient Path out;
  private final boolean noCache;
  private final PointObserver observer;

  private ExperimentPipeline(ExperimentConfig config, Path out, boolean noCache, PointObserver observer) {
    ExperimentSpec.bindSweep(config);
    this.config = config;
    this.out = out;
    this.noCache = noCache;
    this.observer = observer;
  }

  /** The experiment of {@code config} into the run directory {@code out}, using the step cache. */
  public static ExperimentPipeline of(ExperimentConfig config, Path out) {
    return new ExperimentPipeline(config, out, false, PointObserver.NONE);
  }

  /** With {@code noCache}, every point trains even if the step cache has its result. */
  public ExperimentPipeline withNoCache(boolean noCache) {
    return new ExperimentPipeline(config, out, noCache, observer);
  }

  /** Observes every point's training (experiment tracking). */
  public ExperimentPipeline withObserver(PointObserver observer) {
    return new ExperimentPipeline(config, out, noCache, observer == null ? PointObserver.NONE : observer);
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    PrepareTasks prepare = PrepareTasks.of(config, out);
    PCollectionTuple prepared = begin.apply("Prepare", prepare);
    return begin.apply("Sweep points", ExpandSweep.of(SweepPoints.spec(config)))
        .apply("Train", TrainPoints.of(config, out, noCache, observer, prepare.preparedData(),
            prepared.get(PrepareTasks.PREPARED), prepared.get(PrepareTasks.REPORTS)))
        .apply("Report", WriteSummary.to(config, out, prepared.get(PrepareTasks.REPORTS)));
  }
}
