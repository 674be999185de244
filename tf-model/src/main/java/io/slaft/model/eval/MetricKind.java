package io.slaft.model.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The primary metric a task is scored by: the first entry of its metric map ({@link
 * GlueMetrics#classification}, {@link GlueMetrics#regression}), so the one that chooses the best
 * step on the dev split, is reported as {@code primary_metric} and is aggregated over seeds. GLUE
 * tasks get theirs from {@link #forTask}; a config's {@code task_defs.<name>.metric} names one by
 * {@link #id()}.
 */
public enum MetricKind {
  /** Accuracy (SST-2, RTE, QNLI, MNLI, WNLI); reported alone. */
  ACCURACY("accuracy", false),
  /** F1 of class index 1, the second label in label order, then accuracy (MRPC, QQP); two classes only. */
  F1("f1", false),
  /** Unweighted mean of the per-class F1 ({@link GlueMetrics#macroF1}), then accuracy. */
  MACRO_F1("macro-f1", false),
  /** Matthews correlation ({@link GlueMetrics#matthews}, any number of classes), then accuracy (CoLA). */
  MATTHEWS("matthews", false),
  /** Pearson correlation of a regression score, then Spearman (STS-B). */
  PEARSON("pearson", true),
  /** Spearman (rank) correlation of a regression score, then Pearson. */
  SPEARMAN("spearman", true);

  private final String id;
  private final boolean regression;

  MetricKind(String id, boolean regression) {
    this.id = id;
    this.regression = regression;
  }

  /** The GLUE convention for a task name (MRPC, QQP: F1; CoLA: Matthews); accuracy for other names, Pearson for regression. */
  public static MetricKind forTask(String task, boolean regression) {
    if (regression) {
      return PEARSON;
    }
    return switch (task.toLowerCase(Locale.ROOT).replace("-", "")) {
      case "mrpc", "qqp" -> F1;
      case "cola" -> MATTHEWS;
      default -> ACCURACY;
    };
  }

  /**
   * The metric whose {@link #id()} is {@code id}.
   *
   * @throws IllegalArgumentException listing the ids when there is none
   */
  public static MetricKind of(String id) {
    for (MetricKind k : values()) {
      if (k.id.equals(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown metric '" + id + "'; metrics are "
        + Arrays.stream(values()).map(MetricKind::id).collect(Collectors.joining(", ")));
  }

  /** The metric's name: its config value and its key in metric maps, summaries and tracking ({@code macro-f1}). */
  public String id() {
    return id;
  }

  /** Whether it scores a regression score (Pearson, Spearman) rather than class predictions. */
  public boolean isRegression() {
    return regression;
  }
}
