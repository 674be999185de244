package io.slaft.pipelines.run;

import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.PreparedData;
import io.slaft.transforms.sweep.SweepPoint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;

/**
 * The train stage: waits for the prepare stage's signals, spreads the sweep points over workers and
 * trains each one ({@link PointTrainer}: step cache, session, export under {@code <out>/model/}).
 * Each worker loads the backbone once and reads the prepared splits, not the raw files (a point
 * whose sweep varies what is read reads raw itself). Output: one {@link PointRecords} per point.
 */
public final class TrainPoints extends PTransform<PCollection<SweepPoint>, PCollection<PointRecords>> {
  private final Settings settings;
  private final transient PCollection<?>[] after;

  /** What every worker needs to train a point: the bound config (flat), the run directory, the cache rule, the observer and the prepared data. */
  record Settings(Map<String, String> config, String source, String out, boolean noCache, PointObserver observer,
      PreparedData prepared) implements java.io.Serializable {
    ExperimentConfig experimentConfig() {
      return ExperimentConfig.of(source, config);
    }
  }

  private TrainPoints(Settings settings, PCollection<?>[] after) {
    this.settings = settings;
    this.after = after;
  }

  /**
   * Trains every point of {@code config} into {@code out}, reading {@code prepared}, after every
   * collection in {@code after} is complete.
   */
  public static TrainPoints of(ExperimentConfig config, Path out, boolean noCache, PointObserver observer,
      PreparedData prepared, PCollection<?>... after) {
    return new TrainPoints(new Settings(new LinkedHashMap<>(config.resolved()), config.source(), out.toString(), noCache,
        observer, prepared), after);
  }

  @Override
  public PCollection<PointRecords> expand(PCollection<SweepPoint> points) {
    return points.apply("After prepare and the dead-letter limit", Wait.on(after))
        // keyed by the point's index, not a random key: which worker slot trains which point is then the same
        // in every run of a sweep (and a sweep over as many points as slots uses every TaskManager)
        .apply("Key by point index", WithKeys.of((SweepPoint p) -> p.index()).withKeyType(TypeDescriptors.integers()))
        .apply("Spread points over workers", Reshuffle.of())
        .apply("Points", Values.create())
        .apply("Train point", ParDo.of(new TrainFn(settings)))
        .setCoder(PointRecords.CODER);
  }

  /** Trains one sweep point per element. */
  static final class TrainFn extends DoFn<SweepPoint, PointRecords> {
    private final Settings settings;

    TrainFn(Settings settings) {
      this.settings = settings;
    }

    /** Workers (e.g. Flink TaskManagers) use the config's TensorFlow thread count, like the driver. */
    @Setup
    public void setup() {
      int threads = settings.experimentConfig().get(ConfigKeys.TRAIN_THREADS);
      if (threads > 0) {
        io.slaft.model.runtime.TfRuntime.configure(threads, 1);
      }
    }

    @ProcessElement
    public void process(@Element SweepPoint point, OutputReceiver<PointRecords> receiver) {
      receiver.output(PointTrainer.train(settings.experimentConfig(), point, Path.of(settings.out()), settings.noCache(),
          settings.observer(), settings.prepared()));
    }
  }
}
