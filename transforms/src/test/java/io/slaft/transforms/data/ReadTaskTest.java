package io.slaft.transforms.data;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReadTaskTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ReadTask.METRICS_NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  @Test
  public void brokenRowsSplitIntoExamplesAndDeadLettersWithCountsAndMetrics() throws IOException {
    long rows =
        new String(Files.readAllBytes(Fixtures.resource("broken/classification.tsv")), StandardCharsets.ISO_8859_1)
                .lines()
                .filter(l -> !l.isEmpty())
                .count()
            - 1;
    PCollectionTuple read =
        pipeline.apply(ReadTask.of(Fixtures.brokenClassification(), Split.TRAIN).withDataRoot(Fixtures.brokenRoot()));

    PAssert.that(read.get(ReadTask.EXAMPLES).apply("ExampleIds", MapElements.into(TypeDescriptors.strings()).via(Example::id)))
        .containsInAnyOrder("1", "2", "8", "10");
    PAssert.that(
            read.get(ReadTask.DEAD_LETTERS)
                .apply("DeadLetterLineAndReason", MapElements.into(TypeDescriptors.strings()).via(d -> d.line() + ":" + d.reason())))
        .containsInAnyOrder(
            "4:WRONG_COLUMN_COUNT", "5:WRONG_COLUMN_COUNT", "6:EMPTY_TEXT", "7:UNKNOWN_LABEL",
            "8:INVALID_UTF8", "11:INVALID_UTF8");
    PCollection<Long> examples = read.get(ReadTask.EXAMPLES).apply("CountExamples", Count.globally());
    PCollection<Long> deadLetters = read.get(ReadTask.DEAD_LETTERS).apply("CountDeadLetters", Count.globally());
    PAssert.thatSingleton(examples).isEqualTo(4L);
    PAssert.thatSingleton(deadLetters).isEqualTo(rows - 4L);
    PAssert.thatSingleton(read.get(ReadTask.REPORT))
        .satisfies(
            r -> {
              assertEquals(rows, r.rowsRead());
              assertEquals(4L, r.examples());
              assertEquals(rows - 4L, r.deadLetters());
              assertEquals(2L, (long) r.deadLettersByReason().get(DeadLetter.Reason.INVALID_UTF8));
              return null;
            });

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(rows, counter(result, "broken-cls.train.rows"));
    assertEquals(4L, counter(result, "broken-cls.train.examples"));
    assertEquals(rows - 4L, counter(result, "broken-cls.train.deadLetters"));
    assertEquals(2L, counter(result, "broken-cls.train.deadLetters.WRONG_COLUMN_COUNT"));
  }

  @Test
  public void agreesRowForRowWithThePlainJavaReader() {
    ReadResult sst = TaskReader.read(GlueTasks.spec("SST-2"), Split.DEV);
    ReadResult mnli = TaskReader.of(GlueTasks.spec("MNLI")).withLimit(100).read(Split.DEV);
    assertEquals(100, mnli.examples().size());

    PCollectionTuple sstRead = pipeline.apply("SST-2", ReadTask.of(GlueTasks.spec("SST-2"), Split.DEV));
    PCollectionTuple mnliRead = pipeline.apply("MNLI", ReadTask.of(GlueTasks.spec("MNLI"), Split.DEV).withLimit(100));

    PAssert.that(sstRead.get(ReadTask.EXAMPLES)).containsInAnyOrder(sst.examples());
    PAssert.that(sstRead.get(ReadTask.DEAD_LETTERS)).empty();
    PAssert.that(mnliRead.get(ReadTask.EXAMPLES)).containsInAnyOrder(mnli.examples());
    PAssert.thatSingleton(mnliRead.get(ReadTask.REPORT)).isEqualTo(mnli.report());
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void headerOnlyFileGivesEmptyOutputsAndAZeroReport() throws IOException {
    Path dir = tmp.newFolder("empty").toPath();
    Files.writeString(dir.resolve("e.tsv"), "sentence\tlabel\n", StandardCharsets.UTF_8);
    TaskSpec spec =
        TaskSpec.builder("empty").labels("0", "1").file(Split.DEV, DataFile.tsv("e.tsv", ColumnMapping.of("sentence", "label"))).build();

    PCollectionTuple read = pipeline.apply(ReadTask.of(spec, Split.DEV).withDataRoot(DataRoot.of(dir)));
    PCollection<String> written =
        read.get(ReadTask.DEAD_LETTERS).apply(WriteDeadLetters.to(dir.resolve("dead-letters.tsv").toString()));
    PCollection<ReadReport> checked =
        read.get(ReadTask.REPORT).apply(DeadLetterPolicy.maxFraction(0.0).afterWriting(written));

    PAssert.that(read.get(ReadTask.EXAMPLES)).empty();
    PAssert.that(read.get(ReadTask.DEAD_LETTERS)).empty();
    PAssert.thatSingleton(checked).satisfies(r -> {
      assertEquals(0L, r.rowsRead());
      return null;
    });
    pipeline.run().waitUntilFinish();

    assertEquals(List.of(DeadLetterTsv.HEADER), Files.readAllLines(dir.resolve("dead-letters.tsv")));
  }

  @Test
  public void policyOnNoReportsPassesNothing() {
    PCollection<ReadReport> none =
        pipeline.apply(Create.empty(SerializableCoder.of(ReadReport.class)));
    PAssert.that(none.apply(DeadLetterPolicy.maxFraction(0.1))).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void tooManyDeadLettersFailsThePipelineAfterWritingThem() throws IOException {
    Path out = tmp.newFolder("out").toPath().resolve("dead-letters.tsv");
    PCollectionTuple read =
        pipeline.apply(ReadTask.of(Fixtures.brokenClassification(), Split.TRAIN).withDataRoot(Fixtures.brokenRoot()));
    PCollection<String> written = read.get(ReadTask.DEAD_LETTERS).apply(WriteDeadLetters.to(out.toString()));
    read.get(ReadTask.REPORT)
        .apply(DeadLetterPolicy.maxFraction(0.1).reportingLocation(out.toString()).afterWriting(written));

    Pipeline.PipelineExecutionException e =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> pipeline.run().waitUntilFinish());

    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof TaskDataException)) {
      cause = cause.getCause();
    }
    assertTrue(String.valueOf(cause), cause instanceof TaskDataException);
    String message = cause.getMessage();
    assertThat(message, containsString("classification.tsv"));
    assertThat(message, containsString("6 of 10 rows (60.00%)"));
    assertThat(message, containsString("limit of 10.00%"));
    assertThat(message, containsString(out.toString()));

    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(DeadLetterTsv.HEADER, lines.get(0));
    List<String> lineAndReason =
        lines.subList(1, lines.size()).stream()
            .map(l -> l.split("\t", -1))
            .map(f -> f[1] + ":" + f[2])
            .collect(Collectors.toList());
    assertEquals(
        List.of("4:WRONG_COLUMN_COUNT", "5:WRONG_COLUMN_COUNT", "6:EMPTY_TEXT", "7:UNKNOWN_LABEL", "8:INVALID_UTF8", "11:INVALID_UTF8"),
        lineAndReason);
    assertTrue(lines.get(5).endsWith("\t7\\tcaf\uFFFD in latin-1\\tpos"));
  }

  @Test
  public void deadLettersWithinTheLimitPass() throws IOException {
    Path out = tmp.newFolder("ok").toPath().resolve("dl.tsv");
    PCollectionTuple read =
        pipeline.apply(ReadTask.of(Fixtures.brokenClassification(), Split.TRAIN).withDataRoot(Fixtures.brokenRoot()));
    PCollection<String> written = read.get(ReadTask.DEAD_LETTERS).apply(WriteDeadLetters.to(out.toString()));
    PAssert.thatSingleton(written).isEqualTo(out.toString());
    PAssert.that(read.get(ReadTask.REPORT).apply(DeadLetterPolicy.maxFraction(0.6))).satisfies(rs -> {
      assertEquals(1, ((java.util.Collection<?>) toList(rs)).size());
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertEquals(7, Files.readAllLines(out).size());
  }

  @Test
  public void missingFileFailsAtConstructionNamingFileTaskAndFix() throws IOException {
    pipeline.enableAbandonedNodeEnforcement(false);
    Path root = tmp.newFolder("nothing").toPath();
    TaskDataException e =
        assertThrows(
            TaskDataException.class,
            () -> pipeline.apply(ReadTask.of(GlueTasks.spec("CoLA"), Split.TRAIN).withDataRoot(DataRoot.of(root))));
    assertThat(e.getMessage(), containsString(root.resolve("glue/CoLA/train.tsv").toString()));
    assertThat(e.getMessage(), containsString("task CoLA train"));
    assertThat(e.getMessage(), containsString("SLAFT_DATA"));
  }

  private static <T> List<T> toList(Iterable<T> it) {
    List<T> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }

}
