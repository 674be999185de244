package io.slaft.pipelines.predict;

import io.slaft.model.export.CompactModel;
import io.slaft.model.tokenize.Encoded;
import io.slaft.transforms.data.Example;
import io.slaft.transforms.data.ExampleCoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Batch inference with an exported model (RunInference-style): examples in, one {@link
 * PredictedRow} per example out, with label, score, class probabilities, model reference and
 * version. The model is loaded once per worker JVM and shared by every DoFn instance ({@link
 * SharedModels}). Rows are grouped into blocks of {@link #BLOCK} consecutive lines of one file
 * (stage {@code GroupBlocks}); a block's rows are sorted by token length (then line) and predicted
 * {@link #withBatchSize} at a time, so batches pad little and are a function of the input alone:
 * every runner, worker count and bundling gives the same batches. Labels are therefore the same
 * everywhere; scores agree to about 1e-7 (an XLA-compiled session runs a shape's first batches op by
 * op, which moves the last bits; {@code TfRuntime}). Counter {@code slaft.predict/predictions}.
 */
public final class Predict extends PTransform<PCollection<Example>, PCollection<PredictedRow>> {
  private static final long serialVersionUID = 1L;
  /** Consecutive lines of a file predicted together (sorted by length, so batches pad little). */
  static final int BLOCK = 1024;
  /** Metrics namespace of {@code predictions}. */
  public static final String METRICS_NAMESPACE = "slaft.predict";

  private final ModelSpec model;
  private final int batchSize;

  private Predict(ModelSpec model, int batchSize) {
    this.model = model;
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** Predictions of {@code model}, 32 rows per batch. */
  public static Predict with(ModelSpec model) {
    return new Predict(model, 32);
  }

  /** A copy predicting {@code rows} rows per batch. */
  public Predict withBatchSize(int rows) {
    return new Predict(model, rows);
  }

  @Override
  public PCollection<PredictedRow> expand(PCollection<Example> input) {
    return input
        .apply("KeyByBlock", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Example.class)))
            .via((Example e) -> KV.of(e.sourceFile() + "#" + (e.line() / BLOCK), e)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ExampleCoder.of()))
        .apply("GroupBlocks", GroupByKey.create())
        .apply("PredictBlocks", ParDo.of(new PredictFn(model, batchSize)))
        .setCoder(SerializableCoder.of(PredictedRow.class));
  }

  private static final class PredictFn extends DoFn<KV<String, Iterable<Example>>, PredictedRow> {
    private static final long serialVersionUID = 1L;
    private final ModelSpec spec;
    private final int batchSize;
    private final Counter predictions = Metrics.counter(METRICS_NAMESPACE, "predictions");
    private transient CompactModel model;

    private record Row(Example example, Encoded tokens) {}

    PredictFn(ModelSpec spec, int batchSize) {
      this.spec = spec;
      this.batchSize = batchSize;
    }

    @Setup
    public void setup() {
      model = SharedModels.get(spec);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Example>> block, OutputReceiver<PredictedRow> out) {
      List<Row> rows = new ArrayList<>();
      for (Example e : block.getValue()) {
        rows.add(new Row(e, model.encode(e.text(), e.textPair().orElse(null))));
      }
      rows.sort(Comparator.comparingInt((Row r) -> r.tokens().length()).thenComparingLong(r -> r.example().line()));
      for (int i = 0; i < rows.size(); i += batchSize) {
        List<Row> batch = rows.subList(i, Math.min(rows.size(), i + batchSize));
        List<CompactModel.Prediction> ps = model.predictEncoded(batch.stream().map(Row::tokens).toList());
        for (int k = 0; k < batch.size(); k++) {
          CompactModel.Prediction pr = ps.get(k);
          Example e = batch.get(k).example();
          out.output(new PredictedRow(e.task(), e.id(), e.sourceFile(), e.line(), pr.label(), pr.score(), pr.probabilities(),
              spec.reference(), spec.version()));
          predictions.inc();
        }
      }
    }
  }
}
