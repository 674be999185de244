package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes the validated examples of one task split, with the split's read report, as a {@link
 * PreparedSplit} file, and outputs the file's path once it is complete (a signal later stages wait
 * on). An empty split writes a file with no examples. The examples are collected on one worker:
 * meant for training-sized splits, not for corpora that do not fit in memory.
 */
public final class MaterializeSplit extends PTransform<PCollection<Example>, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final PCollection<ReadReport> report;

  private MaterializeSplit(String file, PCollection<ReadReport> report) {
    this.file = checkNotNull(file, "file");
    this.report = checkNotNull(report, "report");
  }

  /** Materializes into {@code file}; {@code report} is the split's one {@link ReadTask#REPORT}. */
  public static MaterializeSplit to(Path file, PCollection<ReadReport> report) {
    return new MaterializeSplit(file.toString(), report);
  }

  @Override
  public PCollection<String> expand(PCollection<Example> examples) {
    PCollectionView<ReadReport> reportView = report.apply("Report as a view", View.asSingleton());
    return examples
        .apply("Collect examples", Combine.globally(new CollectToList<>(ExampleCoder.of())))
        .apply("Write prepared split", ParDo.of(new WriteFn(file, reportView)).withSideInputs(reportView))
        .setCoder(StringUtf8Coder.of());
  }

  private static final class WriteFn extends DoFn<List<Example>, String> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final PCollectionView<ReadReport> report;

    WriteFn(String file, PCollectionView<ReadReport> report) {
      this.file = file;
      this.report = report;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      c.output(PreparedSplit.write(Path.of(file), c.sideInput(report), c.element()).toString());
    }
  }
}
