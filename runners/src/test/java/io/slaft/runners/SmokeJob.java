package io.slaft.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;

/** Small Beam jobs whose results are known in closed form, written as text lines to an output directory. */
final class SmokeJob {
  static final long N = 1000;
  static final long TF_N = 50;
  /** Σ x² for x = 1..1000. */
  static final long SUM_SQUARES = N * (N + 1) * (2 * N + 1) / 6;
  /** Σ (x² + 1) for x = 1..50, computed by TensorFlow. */
  static final long SUM_TF = TF_N * (TF_N + 1) * (2 * TF_N + 1) / 6 + TF_N;

  private SmokeJob() {}

  /**
   * Squares 1..1000 and sums them; computes x²+1 for 1..50 in a TF graph and sums; reports the worker's pid and
   * which class loader defined TensorFlow. Lines: {@code squares S}, {@code tf T}, {@code worker pid=P tf-loader=L}.
   */
  static PipelineResult.State runSquaresAndTf(PipelineOptions options, Path outDir) {
    Pipeline p = Pipeline.create(options);
    PCollection<Long> nums = p.apply("Numbers", Create.of(LongStream.rangeClosed(1, N).boxed().toList()));
    PCollection<String> squares = nums.apply("Square", ParDo.of(new SquareFn()))
        .apply("SumSquares", Sum.longsGlobally())
        .apply("FormatSquares", MapElements.into(TypeDescriptors.strings()).via((Long s) -> "squares " + s));
    PCollection<String> tf = nums.apply("FirstFifty", Filter.by((Long x) -> x <= TF_N))
        .apply("TfSquarePlusOne", ParDo.of(new TfSquarePlusOneFn()))
        .apply("SumTf", Sum.longsGlobally())
        .apply("FormatTf", MapElements.into(TypeDescriptors.strings()).via((Long s) -> "tf " + s));
    PCollection<String> worker = p.apply("Probe", Create.of("probe")).apply("Worker", ParDo.of(new WorkerFn()));
    PCollectionList.of(squares).and(tf).and(worker).apply(Flatten.pCollections())
        .apply("Write", TextIO.write().to(outDir.resolve("out").toString()).withSuffix(".txt"));
    return p.run().waitUntilFinish();
  }

  /**
   * Elements 1..{@code n}, each taking {@code delayMs}; each attempt at an element leaves a marker file in
   * {@code markers}. Lines: {@code slow 10x}.
   */
  static PipelineResult.State runSlow(PipelineOptions options, Path outDir, Path markers, int n, long delayMs) {
    Pipeline p = Pipeline.create(options);
    p.apply("Numbers", Create.of(LongStream.rangeClosed(1, n).boxed().toList()))
        .apply("Slow", ParDo.of(new SlowFn(markers.toString(), delayMs)))
        .apply("Write", TextIO.write().to(outDir.resolve("out").toString()).withSuffix(".txt"));
    return p.run().waitUntilFinish();
  }

  /** All lines of the job's output files, sorted. */
  static List<String> results(Path outDir) {
    try (Stream<Path> files = Files.list(outDir)) {
      List<String> lines = new ArrayList<>();
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("out")).sorted().toList()) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
      return lines.stream().sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The result lines without the worker probe (which differs by runner). */
  static List<String> resultsWithoutWorker(Path outDir) {
    return results(outDir).stream().filter(l -> !l.startsWith("worker ")).toList();
  }

  static final class SquareFn extends DoFn<Long, Long> {
    @ProcessElement
    public void process(@Element Long x, OutputReceiver<Long> out) {
      out.output(x * x);
    }
  }

  static final class TfSquarePlusOneFn extends DoFn<Long, Long> {
    @ProcessElement
    public void process(@Element Long x, OutputReceiver<Long> out) {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Operand<TInt64> v = tf.constant(x);
        Operand<TInt64> y = tf.math.add(tf.math.mul(v, v), tf.constant(1L));
        try (Result r = s.runner().fetch(y).run()) {
          out.output(((TInt64) r.get(0)).getLong());
        }
      }
    }
  }

  static final class WorkerFn extends DoFn<String, String> {
    @ProcessElement
    public void process(OutputReceiver<String> out) {
      ClassLoader tfLoader = Graph.class.getClassLoader();
      String loader = tfLoader == ClassLoader.getSystemClassLoader() ? "system" : tfLoader.getClass().getName();
      out.output("worker pid=" + ProcessHandle.current().pid() + " tf-loader=" + loader);
    }
  }

  static final class SlowFn extends DoFn<Long, String> {
    private final String markers;
    private final long delayMs;

    SlowFn(String markers, long delayMs) {
      this.markers = markers;
      this.delayMs = delayMs;
    }

    @ProcessElement
    public void process(@Element Long x, OutputReceiver<String> out) throws Exception {
      Thread.sleep(delayMs);
      Files.writeString(Path.of(markers, x + "-" + UUID.randomUUID()), Long.toString(ProcessHandle.current().pid()));
      out.output("slow " + (10 * x));
    }
  }
}
