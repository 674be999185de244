package io.slaft.runners.cli;

import io.slaft.cli.ExitCode;
import io.slaft.cli.GlobalOptions;
import io.slaft.cli.SubcommandProvider;
import io.slaft.model.export.CompactModel;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ModelReference;
import io.slaft.pipelines.experiment.TaskLoader;
import io.slaft.pipelines.predict.ModelSpec;
import io.slaft.pipelines.predict.PredictFiles;
import io.slaft.runners.Runners;
import io.slaft.transforms.data.TaskSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code slaft predict}: label stdin lines with an exported model, or (with {@code --input}) whole
 * task files as a Beam pipeline on any runner ({@link PredictFiles}).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Without --input: read lines (or tab-separated sentence pairs) from stdin and print one",
        "'label<TAB>score' per line, in input order, predicting in batches with the compact exported model.",
        "With --input FILE...: read the files with the task's training columns (TSV, CSV, JSONL or JSON by",
        "extension; the label column is not read), predict them in a Beam pipeline on --runner and write",
        "OUTPUT/predictions-*.jsonl, OUTPUT/dead-letters.tsv and OUTPUT/read-reports.jsonl."})
public final class PredictCommand implements Callable<Integer>, SubcommandProvider {
  @Mixin GlobalOptions global;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = ModelReference.HELP)
  Path model;

  @Option(names = "--point", paramLabel = "POINT", description = ModelReference.POINT_HELP)
  String point;

  @Option(names = "--tracking-uri", paramLabel = "URI", description = ModelReference.TRACKING_URI_HELP)
  String trackingUri;

  @Option(names = "--task", required = true, description = "Task name in the export.")
  String task;

  @Option(names = "--batch", defaultValue = "32", description = "Batch size. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--input", paramLabel = "FILE", split = ",", arity = "1..*",
      description = "Files to predict (repeatable or comma-separated); every worker must be able to read them.")
  List<Path> inputs = new ArrayList<>();

  @Option(names = "--output", paramLabel = "DIR", description = "Output directory of --input mode.")
  Path output;

  @Option(names = "--config", paramLabel = "FILE", description = {"Experiment YAML whose task_defs give an own task's",
      "columns. Default: the run directory's config.resolved.yaml when --model is in one, else GLUE's columns."})
  Path config;

  @Option(names = "--runner", defaultValue = "direct", description = "direct | flink-local | flink. Default: ${DEFAULT-VALUE}.")
  String runner;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT", description = "Flink REST address for --runner flink.")
  String flinkMaster;

  @Override
  public Object command() {
    return new PredictCommand();
  }

  @Override
  public Integer call() throws Exception {
    global.apply();
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
    }
    if (inputs.isEmpty()) {
      if (output != null) {
        throw new IllegalArgumentException("--output needs --input FILE...; without --input predictions go to stdout");
      }
      return stdin();
    }
    if (output == null) {
      throw new IllegalArgumentException("--input needs --output DIR (predictions are written as sharded files there)");
    }
    return files();
  }

  private int stdin() throws IOException {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try (CompactModel m = CompactModel.load(ModelReference.exportDir(model, point, trackingUri), task);
         BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      List<String[]> rows = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        rows.add(line.split("\t", 2));
        if (rows.size() == batch) {
          flush(m, rows, out);
        }
      }
      flush(m, rows, out);
    }
    out.flush();
    return ExitCode.OK;
  }

  private static void flush(CompactModel m, List<String[]> rows, PrintStream out) {
    if (rows.isEmpty()) {
      return;
    }
    for (CompactModel.Prediction p : m.predict(rows)) {
      out.printf(Locale.ROOT, "%s\t%.4f%n", p.label(), p.score());
    }
    rows.clear();
  }

  private int files() throws Exception {
    ModelReference.Resolved resolved = ModelReference.resolve(model, point, trackingUri);
    Path exportDir = resolved.dir().toAbsolutePath();
    String taskName = CompactModel.task(exportDir, task).name();
    TaskSpec spec = TaskLoader.spec(taskConfig(exportDir), taskName);
    List<String> files = new ArrayList<>();
    for (Path in : inputs) {
      if (!Files.isRegularFile(in)) {
        throw new IllegalArgumentException("--input " + in + " is not a readable file");
      }
      files.add(in.toAbsolutePath().toString());
    }
    Path out = output.toAbsolutePath();
    global.claimOutput(out);
    PredictFiles predict = PredictFiles.of(spec, files, new ModelSpec(exportDir.toString(), taskName, model.toString(),
        resolved.version()), out).withBatchSize(batch);
    PipelineOptions options = PipelineOptionsFactory.create();
    Runners.configureFromCommandLine(options, runner, flinkMaster, msg -> System.err.println("slaft predict: " + msg));
    Pipeline p = Pipeline.create(options);
    p.apply("PredictFiles", predict);
    System.err.printf("slaft predict: %d file(s) with %s (version %s), task %s, on %s, output %s%n", files.size(), model,
        resolved.version(), taskName, runner, out);
    long t0 = System.nanoTime();
    PipelineResult.State state = p.run().waitUntilFinish();
    double secs = (System.nanoTime() - t0) / 1e9;
    if (state != PipelineResult.State.DONE) {
      System.err.println("slaft predict: pipeline " + state);
      return ExitCode.RUNTIME;
    }
    io.slaft.pipelines.predict.PredictOutput result = io.slaft.pipelines.predict.PredictOutput.read(out);
    System.out.println(result.summary());
    System.out.printf(Locale.ROOT, "pipeline %.1f s; predictions in %s/%s-*.jsonl, dead letters in %s%n", secs, out,
        PredictFiles.PREDICTIONS, out.resolve(PredictFiles.DEAD_LETTERS));
    return result.balanced() ? ExitCode.OK : ExitCode.RUNTIME;
  }

  /** The config whose task_defs give the task's columns: --config, the run directory's, or the defaults. */
  private ExperimentConfig taskConfig(Path exportDir) {
    if (config != null) {
      return ExperimentConfig.load(config);
    }
    Path runConfig = exportDir.getParent() == null || exportDir.getParent().getParent() == null ? null
        : exportDir.getParent().getParent().resolve("config.resolved.yaml");
    if (runConfig != null && Files.isRegularFile(runConfig)) {
      return ExperimentConfig.load(runConfig);
    }
    return ExperimentConfig.of("defaults", java.util.Map.of());
  }
}
