package io.slaft.cli;

import io.slaft.model.export.CompactModel;
import io.slaft.pipelines.experiment.ModelReference;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code slaft predict}: label stdin lines with an exported model. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Read lines (or tab-separated sentence pairs) from stdin and print one 'label<TAB>score' per line,",
        "in input order, predicting in batches with the compact exported model."})
public final class PredictCommand implements Callable<Integer> {
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

  @Override
  public Integer call() throws Exception {
    global.apply();
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
}
