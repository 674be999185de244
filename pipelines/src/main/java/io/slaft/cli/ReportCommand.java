package io.slaft.cli;

import io.slaft.pipelines.sensitivity.SensitivityReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code slaft report}: the sensitivity report of a finished {@code slaft run} directory. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write the sensitivity report of a sweep: DIR/report.md, DIR/report.html and DIR/plots/sensitivity-<key>-<task>.png",
        "(metric and compression against each swept key, mean ± std over seeds) from DIR/summary.json."})
public final class ReportCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, paramLabel = "DIR", description = "Output directory of slaft run (holds summary.json).")
  Path run;

  @Option(names = "--title", paramLabel = "TEXT", description = "Report title (default: the directory name).")
  String title;

  @Override
  public Integer call() {
    Path summary = run.resolve("summary.json");
    if (!Files.isRegularFile(summary)) {
      throw new IllegalArgumentException(summary + " not found; pass the --out directory of a finished slaft run");
    }
    SensitivityReport.Result r = SensitivityReport.write(summary, run,
        title != null ? title : run.toAbsolutePath().getFileName().toString());
    if (r.points().isEmpty()) {
      System.out.println("report: no swept key besides seed in " + summary + "; wrote an empty report");
    }
    System.out.println("report: " + r.markdown().toAbsolutePath());
    System.out.println("html:   " + r.html().toAbsolutePath());
    r.plots().forEach(p -> System.out.println("plot:   " + p.toAbsolutePath()));
    return ExitCode.OK;
  }
}
