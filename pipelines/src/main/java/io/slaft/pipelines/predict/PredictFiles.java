package io.slaft.pipelines.predict;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.transforms.data.DataRoot;
import io.slaft.transforms.data.DeadLetter;
import io.slaft.transforms.data.Example;
import io.slaft.transforms.data.ReadReport;
import io.slaft.transforms.data.ReadTask;
import io.slaft.transforms.data.Split;
import io.slaft.transforms.data.TaskSpec;
import io.slaft.transforms.data.WriteDeadLetters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Predicts every row of task files with an exported model and writes the results under an output
 * directory: {@value #PREDICTIONS}{@code -*.jsonl} (sharded, one {@link PredictedRow} per line),
 * {@value #DEAD_LETTERS} (malformed rows with file, line and reason) and {@value #READ_REPORTS}
 * (per input file: rows read, examples, dead letters). Each file is read like the task's training
 * file ({@link TaskSpec#forPrediction}: the same columns, the label not read), so rows read =
 * predictions + dead letters. Stages: {@code Read <i>}, {@code Predict}, {@code WritePredictions},
 * {@code WriteDeadLetters}, {@code WriteReadReports}.
 */
public final class PredictFiles extends PTransform<PBegin, PDone> {
  private static final long serialVersionUID = 1L;
  /** Prefix of the prediction shards in the output directory. */
  public static final String PREDICTIONS = "predictions";
  /** The dead-letter file in the output directory. */
  public static final String DEAD_LETTERS = "dead-letters.tsv";
  /** The read reports (JSON lines) in the output directory. */
  public static final String READ_REPORTS = "read-reports.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TaskSpec task;
  private final List<String> inputs;
  private final ModelSpec model;
  private final String outDir;
  private final int batchSize;

  private PredictFiles(TaskSpec task, List<String> inputs, ModelSpec model, String outDir, int batchSize) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("at least one input file is needed");
    }
    this.task = task;
    this.inputs = List.copyOf(inputs);
    this.model = model;
    this.outDir = outDir;
    this.batchSize = batchSize;
    for (String in : this.inputs) {
      task.forPrediction(in); // refuses an unknown extension or an unreadable layout now, before the pipeline runs
    }
  }

  /**
   * Predicts {@code inputs} (absolute paths every worker can read) of {@code task} (its training
   * file gives the columns) with {@code model}, writing into {@code outDir}.
   */
  public static PredictFiles of(TaskSpec task, List<String> inputs, ModelSpec model, Path outDir) {
    return new PredictFiles(task, inputs, model, outDir.toAbsolutePath().toString(), 32);
  }

  /** A copy predicting {@code rows} rows per batch. */
  public PredictFiles withBatchSize(int rows) {
    return new PredictFiles(task, inputs, model, outDir, rows);
  }

  @Override
  public PDone expand(PBegin begin) {
    List<PCollection<Example>> examples = new ArrayList<>();
    List<PCollection<DeadLetter>> deadLetters = new ArrayList<>();
    List<PCollection<ReadReport>> reports = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Path file = Path.of(inputs.get(i)).toAbsolutePath();
      PCollectionTuple read = begin.apply("Read " + i + " " + file.getFileName(),
          ReadTask.of(task.forPrediction(file.toString()), Split.TEST).withDataRoot(DataRoot.of(file.getParent())));
      examples.add(read.get(ReadTask.EXAMPLES));
      deadLetters.add(read.get(ReadTask.DEAD_LETTERS));
      reports.add(read.get(ReadTask.REPORT));
    }
    Path out = Path.of(outDir);
    PCollectionList.of(examples).apply("AllExamples", Flatten.pCollections())
        .apply("Predict", Predict.with(model).withBatchSize(batchSize))
        .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(PredictFiles::json))
        .apply("WritePredictions", TextIO.write().to(out.resolve(PREDICTIONS).toString()).withSuffix(".jsonl"));
    PCollectionList.of(deadLetters).apply("AllDeadLetters", Flatten.pCollections())
        .apply("WriteDeadLetters", WriteDeadLetters.to(out.resolve(DEAD_LETTERS).toString()));
    PCollectionList.of(reports).apply("AllReports", Flatten.pCollections())
        .apply("ReportsToJson", MapElements.into(TypeDescriptors.strings()).via(ReadReport::toJson))
        .apply("WriteReadReports", TextIO.write().to(out.resolve(READ_REPORTS).toString()).withoutSharding());
    return PDone.in(begin.getPipeline());
  }

  /** One prediction as its JSON line. */
  static String json(PredictedRow row) {
    try {
      return JSON.writeValueAsString(row);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write prediction of row " + row.id(), e);
    }
  }
}
