package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads one split of a task and validates every row: valid rows go to {@link #EXAMPLES}, the rest
 * to {@link #DEAD_LETTERS}, and one {@link ReadReport} per file to {@link #REPORT}.
 *
 * <p>Contract: rows read = examples + dead letters (the report says so, and the outputs hold exactly
 * those elements). Parsing is {@link TaskReader}'s, so both APIs agree row for row. The file is
 * located when the pipeline is built: a missing file fails {@code apply} with a {@link
 * TaskDataException} naming the file, the task and the fix. The file is read in one DoFn call via
 * Beam {@link FileSystems}, so workers must see the same path. Counters in namespace {@code
 * slaft.read} are named {@code <task>.<split>.rows|examples|deadLetters|deadLetters.<REASON>}.
 * With {@link #withLimit} the first N rows in file order are read, deterministically.
 */
public final class ReadTask extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Metrics namespace of the read counters. */
  public static final String METRICS_NAMESPACE = "slaft.read";

  public static final TupleTag<Example> EXAMPLES = new TupleTag<Example>("examples") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>("deadLetters") {};
  public static final TupleTag<ReadReport> REPORT = new TupleTag<ReadReport>("report") {};

  private final TaskSpec spec;
  private final Split split;
  private final @Nullable DataRoot root;
  private final long limit;

  private ReadTask(TaskSpec spec, Split split, @Nullable DataRoot root, long limit) {
    this.spec = checkNotNull(spec, "spec");
    this.split = checkNotNull(split, "split");
    spec.file(split);
    this.root = root;
    this.limit = limit;
  }

  /**
   * Reads {@code split} of {@code spec}; the data root is resolved by {@link DataRoot#resolve} at
   * {@code apply} time unless {@link #withDataRoot} sets it.
   *
   * @throws IllegalArgumentException when the task has no such split
   */
  public static ReadTask of(TaskSpec spec, Split split) {
    return new ReadTask(spec, split, null, Long.MAX_VALUE);
  }

  public ReadTask withDataRoot(DataRoot root) {
    return new ReadTask(spec, split, checkNotNull(root, "root"), limit);
  }

  /** Reads only the first {@code rows} rows ({@code rows >= 0}). */
  public ReadTask withLimit(long rows) {
    checkArgument(rows >= 0, "the row limit must be >= 0, got %s", rows);
    return new ReadTask(spec, split, root, rows);
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    DataRoot dataRoot = root == null ? DataRoot.resolve(null) : root;
    String path = TaskReader.locate(spec, split, dataRoot).toString();
    PCollectionTuple out =
        input
            .apply("Locate " + spec.name() + " " + split.lowerName(), Create.of(path).withCoder(StringUtf8Coder.of()))
            .apply(
                "ParseAndValidate",
                ParDo.of(new ParseFn(spec, split, limit))
                    .withOutputTags(EXAMPLES, TupleTagList.of(DEAD_LETTERS).and(REPORT)));
    out.get(EXAMPLES).setCoder(ExampleCoder.of());
    out.get(DEAD_LETTERS).setCoder(DeadLetterCoder.of());
    out.get(REPORT).setCoder(SerializableCoder.of(ReadReport.class));
    return out;
  }

  @Override
  protected String getKindString() {
    return "ReadTask(" + spec.name() + ", " + split.lowerName() + ")";
  }

  private static final class ParseFn extends DoFn<String, Example> {
    private static final long serialVersionUID = 1L;
    private final TaskSpec spec;
    private final Split split;
    private final long limit;

    ParseFn(TaskSpec spec, Split split, long limit) {
      this.spec = spec;
      this.split = split;
      this.limit = limit;
    }

    @ProcessElement
    public void process(@Element String path, MultiOutputReceiver out) throws IOException {
      ReadReport report;
      try (InputStream in =
          Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
        report =
            TaskReader.parse(
                spec,
                split,
                path,
                limit,
                in,
                e -> out.get(EXAMPLES).output(e),
                d -> out.get(DEAD_LETTERS).output(d));
      }
      String prefix = spec.name() + "." + split.lowerName() + ".";
      counter(prefix + "rows").inc(report.rowsRead());
      counter(prefix + "examples").inc(report.examples());
      counter(prefix + "deadLetters").inc(report.deadLetters());
      for (Map.Entry<DeadLetter.Reason, Long> e : report.deadLettersByReason().entrySet()) {
        counter(prefix + "deadLetters." + e.getKey().name()).inc(e.getValue());
      }
      out.get(REPORT).output(report);
    }

    private static Counter counter(String name) {
      return Metrics.counter(METRICS_NAMESPACE, name);
    }
  }
}
