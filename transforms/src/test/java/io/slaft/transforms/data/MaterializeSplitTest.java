package io.slaft.transforms.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class MaterializeSplitTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void materializedSplitReadsBackAsThePlainReaderReadsTheRawFile() throws Exception {
    Path dir = tmp.newFolder("prepared").toPath();
    Path file = PreparedSplit.file(dir, "broken-cls", Split.TRAIN);
    PCollectionTuple read =
        pipeline.apply(ReadTask.of(Fixtures.brokenClassification(), Split.TRAIN).withDataRoot(Fixtures.brokenRoot()));
    PAssert.thatSingleton(read.get(ReadTask.EXAMPLES).apply(MaterializeSplit.to(file, read.get(ReadTask.REPORT))))
        .isEqualTo(file.toString());
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    ReadResult raw = TaskReader.of(Fixtures.brokenClassification()).withDataRoot(Fixtures.brokenRoot()).read(Split.TRAIN);
    ReadResult prepared = PreparedSplit.read(file);
    assertEquals("examples in file order", raw.examples(), prepared.examples());
    assertEquals(raw.report(), prepared.report());
    assertTrue("dead letters stay in the run's dead-letter file", prepared.deadLetters().isEmpty());
    long reads = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ReadTask.METRICS_NAMESPACE, TaskReader.RAW_FILE_READS)).build()).getCounters()) {
      reads += c.getAttempted();
    }
    assertEquals("one parse of the raw file", 1, reads);
  }

  @Test
  public void anEmptySplitMaterializesAsAnEmptyFile() throws Exception {
    Path dir = tmp.newFolder("empty").toPath();
    Path file = PreparedSplit.file(dir, "broken-cls", Split.TRAIN);
    PCollectionTuple read = pipeline.apply(
        ReadTask.of(Fixtures.brokenClassification(), Split.TRAIN).withDataRoot(Fixtures.brokenRoot()).withLimit(0));
    read.get(ReadTask.EXAMPLES).apply(MaterializeSplit.to(file, read.get(ReadTask.REPORT)));
    pipeline.run().waitUntilFinish();
    ReadResult prepared = PreparedSplit.read(file);
    assertEquals(0, prepared.examples().size());
    assertEquals(0, prepared.report().rowsRead());
  }

  @Test
  public void aFileThatIsNotPreparedDataIsRefusedWithTheFix() throws Exception {
    Path bad = tmp.newFile("x.examples").toPath();
    Files.writeString(bad, "sentence\tlabel\n");
    TaskDataException e = assertThrows(TaskDataException.class, () -> PreparedSplit.read(bad));
    assertTrue(e.getMessage(), e.getMessage().contains("prepared/"));
    TaskDataException missing = assertThrows(TaskDataException.class, () -> PreparedSplit.read(tmp.getRoot().toPath().resolve("nope")));
    assertTrue(missing.getMessage(), missing.getMessage().contains("not found"));
  }
}
