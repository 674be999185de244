package io.slaft.pipelines.run;

import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.config.SweepPoints;
import io.slaft.pipelines.experiment.ConsoleProgress;
import io.slaft.pipelines.experiment.ExperimentSpec;
import io.slaft.pipelines.experiment.PreparedData;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.TaskLoader;
import io.slaft.transforms.data.DataRoot;
import io.slaft.transforms.data.DeadLetterPolicy;
import io.slaft.transforms.data.MaterializeSplit;
import io.slaft.transforms.data.PreparedSplit;
import io.slaft.transforms.data.ReadReport;
import io.slaft.transforms.data.ReadTask;
import io.slaft.transforms.data.Split;
import io.slaft.transforms.data.TaskSpec;
import io.slaft.transforms.data.WriteDeadLetters;
import io.slaft.transforms.sweep.ExpandSweep;
import io.slaft.transforms.sweep.SweepPoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The {@code slaft run} pipeline, in named stages: prepare (read and validate every task split
 * once, write dead letters, enforce the dead-letter limit, materialize the validated examples per
 * task and split under {@code <out>/prepared/}) → train (waits for prepare; one element per sweep
 * point, spread over workers; each worker loads the backbone once and reads the prepared splits, not
 * the raw files — a point whose sweep varies what is read reads raw itself) → report (collect every
 * point's records and prepare's read reports into {@code summary.json}). Every sweep point is bound
 * before the pipeline is built. The same pipeline runs on the DirectRunner and on Flink; workers
 * must see {@code out} at the same path (a shared filesystem on a cluster).
 */
public final class ExperimentPipeline {
  private ExperimentPipeline() {}

  /** Adds the experiment's transforms to {@code p}. */
  public static void build(Pipeline p, ExperimentConfig config, Path out, boolean noCache, PointObserver observer) {
    ExperimentSpec.bindSweep(config);
    DataRoot root = TaskLoader.dataRoot(config);
    List<PCollection<ReadReport>> reports = new ArrayList<>();
    List<PCollection<io.slaft.transforms.data.DeadLetter>> dead = new ArrayList<>();
    List<PCollection<String>> materialized = new ArrayList<>();
    Map<String, String> digests = new LinkedHashMap<>();
    Path preparedDir = PreparedData.dirOf(out);
    for (String task : config.get(ConfigKeys.TASKS)) {
      TaskSpec spec = TaskLoader.spec(config, task);
      digests.put(task, TaskLoader.digest(config, task, root));
      for (Split split : List.of(Split.TRAIN, Split.DEV)) {
        int limit = config.get(split == Split.TRAIN ? ConfigKeys.DATA_TRAIN_LIMIT : ConfigKeys.DATA_DEV_LIMIT);
        ReadTask read = ReadTask.of(spec, split).withDataRoot(root);
        if (limit > 0) {
          read = read.withLimit(limit);
        }
        PCollectionTuple t = p.apply("Read " + task + " " + split.lowerName(), read);
        reports.add(t.get(ReadTask.REPORT));
        dead.add(t.get(ReadTask.DEAD_LETTERS));
        materialized.add(t.get(ReadTask.EXAMPLES).apply("Materialize " + task + " " + split.lowerName(),
            MaterializeSplit.to(PreparedSplit.file(preparedDir, task, split), t.get(ReadTask.REPORT))));
      }
    }
    PCollection<io.slaft.transforms.data.DeadLetter> allDead = PCollectionList.of(dead).apply("All dead letters", Flatten.pCollections());
    String deadLetterFile = out.resolve(RunSummary.DEAD_LETTER_FILE).toString();
    PCollection<?> written = allDead.apply("Write dead letters", WriteDeadLetters.to(deadLetterFile));
    PCollection<ReadReport> checked = PCollectionList.of(reports).apply("All read reports", Flatten.pCollections())
        .apply("Dead-letter limit", DeadLetterPolicy.maxFraction(config.get(ConfigKeys.DATA_MAX_DEAD_LETTER_FRACTION))
            .reportingLocation(deadLetterFile).afterWriting(written));
    PCollectionView<List<ReadReport>> reportView = checked.apply("Read reports as a view", View.asList());
    PCollection<String> prepared = PCollectionList.of(materialized).apply("All prepared splits", Flatten.pCollections());
    PreparedData preparedData = new PreparedData(preparedDir.toString(), digests, TaskLoader.readSettings(config));

    Map<String, String> flat = new LinkedHashMap<>(config.resolved());
    PCollection<String> records = p.apply("Sweep points", ExpandSweep.of(SweepPoints.spec(config)))
        .apply("After prepare and the dead-letter limit", Wait.on(prepared, checked))
        .apply("Spread points over workers", Reshuffle.viaRandomKey())
        .apply("Train", ParDo.of(new TrainFn(flat, config.source(), out.toString(), noCache, observer, preparedData)));
    records.apply("Collect records", Combine.globally(new JoinRecords()).withoutDefaults())
        .apply("Write summary", ParDo.of(new WriteSummaryFn(flat, config.source(), out.toString(), reportView))
            .withSideInputs(reportView))
        .setCoder(org.apache.beam.sdk.coders.StringUtf8Coder.of());
    checked.apply("Report data checks", ParDo.of(new DoFn<ReadReport, Void>() {
      @ProcessElement
      public void process(@Element ReadReport r) {
        System.err.println(ConsoleProgress.dataLine(r));
      }
    }));
  }

  /** Trains one sweep point per element; outputs its run records as JSON. */
  static final class TrainFn extends DoFn<SweepPoint, String> {
    private final Map<String, String> config;
    private final String source;
    private final String out;
    private final boolean noCache;
    private final PointObserver observer;
    private final PreparedData prepared;

    TrainFn(Map<String, String> config, String source, String out, boolean noCache, PointObserver observer,
        PreparedData prepared) {
      this.config = config;
      this.source = source;
      this.out = out;
      this.noCache = noCache;
      this.observer = observer;
      this.prepared = prepared;
    }

    /** Workers (e.g. Flink TaskManagers) use the config's TensorFlow thread count, like the driver. */
    @Setup
    public void setup() {
      int threads = ExperimentConfig.of(source, config).get(ConfigKeys.TRAIN_THREADS);
      if (threads > 0) {
        io.slaft.model.runtime.TfRuntime.configure(threads, 1);
      }
    }

    @ProcessElement
    public void process(@Element SweepPoint point, OutputReceiver<String> receiver) {
      ExperimentConfig c = ExperimentConfig.of(source, config);
      receiver.output(PointTrainer.train(c, point, Path.of(out), noCache, observer, prepared).recordsJson());
    }
  }

  /** Joins JSON record arrays. */
  static final class JoinRecords extends Combine.CombineFn<String, List<String>, String> {
    @Override
    public List<String> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<String> addInput(List<String> acc, String input) {
      acc.add(input);
      return acc;
    }

    @Override
    public List<String> mergeAccumulators(Iterable<List<String>> accs) {
      List<String> all = new ArrayList<>();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public String extractOutput(List<String> acc) {
      List<Map<String, Object>> all = new ArrayList<>();
      for (String json : acc) {
        all.addAll(PointTrainer.records(json));
      }
      all.sort((a, b) -> (a.get("point_id") + "/" + a.get("task")).compareTo(b.get("point_id") + "/" + b.get("task")));
      try {
        return RunSummary.json().writeValueAsString(all);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Writes summary.json from all records and the prepare stage's read reports. */
  static final class WriteSummaryFn extends DoFn<String, String> {
    private final Map<String, String> config;
    private final String source;
    private final String out;
    private final PCollectionView<List<ReadReport>> reports;

    WriteSummaryFn(Map<String, String> config, String source, String out, PCollectionView<List<ReadReport>> reports) {
      this.config = config;
      this.source = source;
      this.out = out;
      this.reports = reports;
    }

    @ProcessElement
    public void process(ProcessContext ctx) {
      ExperimentConfig c = ExperimentConfig.of(source, config);
      List<Map<String, Object>> records = PointTrainer.records(ctx.element());
      Path summary = RunSummary.write(c, Path.of(out), records, ctx.sideInput(reports), Map.of());
      ctx.output(summary.toString());
    }
  }
}
