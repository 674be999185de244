package io.slaft.model.eval;

import java.util.Locale;

/** Which GLUE metric family a task reports. */
public enum MetricKind {
  /** Accuracy (SST-2, RTE, QNLI, MNLI, WNLI). */
  ACCURACY,
  /** F1 of class 1, then accuracy (MRPC, QQP). */
  F1_ACCURACY,
  /** Matthews correlation, then accuracy (CoLA). */
  MATTHEWS,
  /** Pearson and Spearman correlation of a regression score (STS-B). */
  PEARSON_SPEARMAN;

  /** The GLUE convention for a task name; accuracy for unknown tasks. */
  public static MetricKind forTask(String task, boolean regression) {
    if (regression) {
      return PEARSON_SPEARMAN;
    }
    return switch (task.toLowerCase(Locale.ROOT).replace("-", "")) {
      case "mrpc", "qqp" -> F1_ACCURACY;
      case "cola" -> MATTHEWS;
      default -> ACCURACY;
    };
  }

  /** Name of the primary metric. */
  public String primary() {
    return switch (this) {
      case ACCURACY -> "accuracy";
      case F1_ACCURACY -> "f1";
      case MATTHEWS -> "matthews";
      case PEARSON_SPEARMAN -> "pearson";
    };
  }
}
