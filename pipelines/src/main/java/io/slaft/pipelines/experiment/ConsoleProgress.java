package io.slaft.pipelines.experiment;

import io.slaft.model.train.TrainListener;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Human progress lines on a stream: step, loss, task metric, gate mass, active modules, tokens/s, ETA. */
public final class ConsoleProgress implements TrainListener {
  private final PrintStream out;
  private final String label;
  private String lastMetric = "";

  /** The line that accounts for one read split: {@code [data] SST-2 train: 2000 rows = 2000 examples + 0 dead letters}. */
  public static String dataLine(io.slaft.transforms.data.ReadReport r) {
    return String.format(java.util.Locale.ROOT, "[data] %s %s: %d rows = %d examples + %d dead letters", r.task(),
        r.split().lowerName(), r.rowsRead(), r.examples(), r.deadLetters());
  }

  public ConsoleProgress(PrintStream out, String label) {
    this.out = out;
    this.label = label;
  }

  @Override
  public void onStep(StepInfo i) {
    out.printf(Locale.ROOT, "[%s] step %d/%d (%d%%) %s loss %.4f%s λ %.2f gates %.2f active %d/%d %,.0f tok/s ETA %s%n",
        label, i.step(), i.totalSteps(), 100 * i.step() / i.totalSteps(), i.task(), i.loss(), lastMetric, i.lambda(),
        i.gateMass(), i.activeModules(), i.totalModules(), i.tokensPerSec(), eta(i.etaSeconds()));
  }

  @Override
  public void onGraph(GraphInfo g) {
    out.printf(Locale.ROOT, "[%s] step %d: settled modules leave the training graph: %d of %d computed%s%s%n", label,
        g.step(), g.modules(), g.poolModules(),
        g.fixedActivations() > 0 ? ", " + g.fixedActivations() + " with their one kept activation" : "",
        g.cachedLayers() > 0 ? "; layers below " + g.cachedLayers() + " run once per example (cached)" : "");
  }

  @Override
  public void onEval(EvalInfo e) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Map<String, Double>> t : e.metrics().entrySet()) {
      Map.Entry<String, Double> first = t.getValue().entrySet().iterator().next();
      b.append(String.format(Locale.ROOT, " %s %s %.4f", t.getKey(), first.getKey(), first.getValue()));
    }
    lastMetric = " |" + b;
    // on the held-out validation split the line says so; on dev (no validation split) it reads as it always has
    String split = e.split().equals(io.slaft.model.train.TrainTask.DEV) ? "" : " " + e.split();
    out.printf(Locale.ROOT, "[%s] eval @%d%s:%s%s%s%n", label, e.step(), split, b, e.best() ? " (best)" : "", structure(e));
  }

  /** {@code " · structure SST-2 11 kept, 3 flips; MRPC ..."}, or nothing when no task has modules. */
  static String structure(EvalInfo e) {
    if (e.structure().values().stream().allMatch(List::isEmpty) && e.flips().values().stream().allMatch(n -> n == 0)) {
      return "";
    }
    StringBuilder b = new StringBuilder(" · structure");
    String sep = " ";
    for (Map.Entry<String, List<String>> t : e.structure().entrySet()) {
      int flips = e.flips().getOrDefault(t.getKey(), 0);
      b.append(String.format(Locale.ROOT, "%s%s %d kept, %d flip%s", sep, t.getKey(), t.getValue().size(), flips,
          flips == 1 ? "" : "s"));
      sep = "; ";
    }
    return b.toString();
  }

  static String eta(double s) {
    if (!Double.isFinite(s) || s < 0) {
      return "?";
    }
    long secs = Math.round(s);
    return secs >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", secs / 3600, secs % 3600 / 60)
        : secs >= 60 ? String.format(Locale.ROOT, "%dm%02ds", secs / 60, secs % 60) : secs + "s";
  }
}
