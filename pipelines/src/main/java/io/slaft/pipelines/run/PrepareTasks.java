package io.slaft.pipelines.run;

import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ConsoleProgress;
import io.slaft.pipelines.experiment.InferredLabels;
import io.slaft.pipelines.experiment.PreparedData;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.TaskLoader;
import io.slaft.transforms.data.DataRoot;
import io.slaft.transforms.data.DeadLetter;
import io.slaft.transforms.data.DeadLetterPolicy;
import io.slaft.transforms.data.MaterializeSplit;
import io.slaft.transforms.data.PreparedSplit;
import io.slaft.transforms.data.ReadReport;
import io.slaft.transforms.data.ReadTask;
import io.slaft.transforms.data.Split;
import io.slaft.transforms.data.TaskSpec;
import io.slaft.transforms.data.WriteDeadLetters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The prepare stage: reads and validates every task's train and dev split once ({@link ReadTask}),
 * writes all dead letters to {@code <out>/dead_letters.tsv}, enforces the dead-letter limit
 * ({@code data.max_dead_letter_fraction}, failing the pipeline before any training), materializes
 * each split's validated examples under {@code <out>/prepared/} ({@link MaterializeSplit}) and
 * prints one data line per split. Output: {@link #REPORTS}, the checked read reports, and {@link
 * #PREPARED}, the materialized files (training waits for both).
 *
 * <p>A task whose labels are inferred has them read from its training file when the stage is
 * constructed (before the pipeline runs), printed there once, and handed to training with the
 * specs in {@link #preparedData()}.
 */
public final class PrepareTasks extends PTransform<PBegin, PCollectionTuple> {
  /** Every split's read report, after the dead-letter limit passed. */
  public static final TupleTag<ReadReport> REPORTS = new TupleTag<>() {};
  /** The path of every materialized split file. */
  public static final TupleTag<String> PREPARED = new TupleTag<>() {};

  private final transient ExperimentConfig config;
  private final transient Path out;
  private final transient DataRoot root;
  private final transient Map<String, TaskSpec> specs;
  private final transient List<InferredLabels> inferred;

  private PrepareTasks(ExperimentConfig config, Path out) {
    this.config = config;
    this.out = out;
    this.root = TaskLoader.dataRoot(config);
    Map<String, TaskSpec> specs = new LinkedHashMap<>();
    List<InferredLabels> inferred = new ArrayList<>();
    for (String task : config.get(ConfigKeys.TASKS)) {
      specs.put(task, TaskLoader.resolveLabels(config, TaskLoader.spec(config, task), root, l -> {
        inferred.add(l);
        System.err.println(l.message());
      }));
    }
    this.specs = specs;
    this.inferred = inferred;
  }

  /**
   * Prepares {@code config}'s tasks into the run directory {@code out}.
   *
   * @throws io.slaft.transforms.data.TaskDataException when a task's labels are to be inferred and
   *     its training file is missing or holds fewer than two
   */
  public static PrepareTasks of(ExperimentConfig config, Path out) {
    return new PrepareTasks(config, out);
  }

  /** What the train stage reads instead of the raw files: the prepared directory, specs, inferred labels, task digests and read settings. */
  public PreparedData preparedData() {
    Map<String, String> digests = new LinkedHashMap<>();
    for (String task : config.get(ConfigKeys.TASKS)) {
      digests.put(task, TaskLoader.digest(config, task, root));
    }
    return new PreparedData(PreparedData.dirOf(out).toString(), specs, inferred, digests, TaskLoader.readSettings(config));
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    Path preparedDir = PreparedData.dirOf(out);
    List<PCollection<ReadReport>> reports = new ArrayList<>();
    List<PCollection<DeadLetter>> dead = new ArrayList<>();
    List<PCollection<String>> materialized = new ArrayList<>();
    for (String task : config.get(ConfigKeys.TASKS)) {
      TaskSpec spec = specs.get(task);
      for (Split split : List.of(Split.TRAIN, Split.DEV)) {
        int limit = config.get(split == Split.TRAIN ? ConfigKeys.DATA_TRAIN_LIMIT : ConfigKeys.DATA_DEV_LIMIT);
        ReadTask read = ReadTask.of(spec, split).withDataRoot(root);
        if (limit > 0) {
          read = read.withLimit(limit);
        }
        PCollectionTuple t = begin.apply("Read " + task + " " + split.lowerName(), read);
        reports.add(t.get(ReadTask.REPORT));
        dead.add(t.get(ReadTask.DEAD_LETTERS));
        materialized.add(t.get(ReadTask.EXAMPLES).apply("Materialize " + task + " " + split.lowerName(),
            MaterializeSplit.to(PreparedSplit.file(preparedDir, task, split), t.get(ReadTask.REPORT))));
      }
    }
    String deadLetterFile = out.resolve(RunSummary.DEAD_LETTER_FILE).toString();
    PCollection<?> written = PCollectionList.of(dead).apply("All dead letters", Flatten.pCollections())
        .apply("Write dead letters", WriteDeadLetters.to(deadLetterFile));
    PCollection<ReadReport> checked = PCollectionList.of(reports).apply("All read reports", Flatten.pCollections())
        .apply("Dead-letter limit", DeadLetterPolicy.maxFraction(config.get(ConfigKeys.DATA_MAX_DEAD_LETTER_FRACTION))
            .reportingLocation(deadLetterFile).afterWriting(written));
    checked.apply("Print data lines", ParDo.of(new PrintDataLine()));
    PCollection<String> prepared = PCollectionList.of(materialized).apply("All prepared splits", Flatten.pCollections());
    return PCollectionTuple.of(REPORTS, checked).and(PREPARED, prepared);
  }

  /** One console line per split: rows read, examples, dead letters. */
  static final class PrintDataLine extends DoFn<ReadReport, Void> {
    @ProcessElement
    public void process(@Element ReadReport r) {
      System.err.println(ConsoleProgress.dataLine(r));
    }
  }
}
