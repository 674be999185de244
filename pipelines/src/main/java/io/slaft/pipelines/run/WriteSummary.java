package io.slaft.pipelines.run;

import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.transforms.data.CollectToList;
import io.slaft.transforms.data.ReadReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The report stage: collects every point's {@link PointRecords} on one worker and writes
 * {@code <out>/summary.json} with the prepare stage's read reports ({@link RunSummary}, the one
 * summary writer). Output: the summary's path.
 */
public final class WriteSummary extends PTransform<PCollection<PointRecords>, PCollection<String>> {
  private final Map<String, String> config;
  private final String source;
  private final String out;
  private final transient PCollection<ReadReport> reports;

  private WriteSummary(ExperimentConfig config, Path out, PCollection<ReadReport> reports) {
    this.config = new LinkedHashMap<>(config.resolved());
    this.source = config.source();
    this.out = out.toString();
    this.reports = reports;
  }

  /** Writes the summary of {@code config}'s run into {@code out}, with {@code reports} (the data checks). */
  public static WriteSummary to(ExperimentConfig config, Path out, PCollection<ReadReport> reports) {
    return new WriteSummary(config, out, reports);
  }

  @Override
  public PCollection<String> expand(PCollection<PointRecords> points) {
    PCollectionView<List<ReadReport>> reportView = reports.apply("Read reports as a view", View.asList());
    return points.apply("Collect records", Combine.globally(CollectToList.of(PointRecords.CODER)).withoutDefaults())
        .apply("Write summary.json", ParDo.of(new WriteFn(config, source, out, reportView)).withSideInputs(reportView))
        .setCoder(StringUtf8Coder.of());
  }

  /** Writes summary.json from all records and the read reports. */
  static final class WriteFn extends DoFn<List<PointRecords>, String> {
    private final Map<String, String> config;
    private final String source;
    private final String out;
    private final PCollectionView<List<ReadReport>> reports;

    WriteFn(Map<String, String> config, String source, String out, PCollectionView<List<ReadReport>> reports) {
      this.config = config;
      this.source = source;
      this.out = out;
      this.reports = reports;
    }

    @ProcessElement
    public void process(ProcessContext ctx) {
      ExperimentConfig c = ExperimentConfig.of(source, config);
      Path summary = RunSummary.write(c, Path.of(out), PointRecords.ordered(ctx.element()), ctx.sideInput(reports),
          Map.of());
      ctx.output(summary.toString());
    }
  }
}
