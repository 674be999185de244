package io.slaft.transforms.perturb;

import java.util.Objects;

/**
 * Summary numbers for robustness reports: prediction-flip rate, drop from the clean metric and the
 * normalised area under a metric-versus-severity curve. Pure functions; thread-safe.
 */
public final class RobustnessMetrics {

  private RobustnessMetrics() {}

  /**
   * The fraction of examples whose predicted class differs between the clean and the perturbed
   * input.
   *
   * @throws IllegalArgumentException if the arrays are empty or of different lengths
   */
  public static double flipRate(int[] cleanPredictions, int[] perturbedPredictions) {
    Objects.requireNonNull(cleanPredictions, "cleanPredictions");
    Objects.requireNonNull(perturbedPredictions, "perturbedPredictions");
    if (cleanPredictions.length != perturbedPredictions.length) {
      throw new IllegalArgumentException("prediction arrays must have equal lengths, got "
          + cleanPredictions.length + " and " + perturbedPredictions.length);
    }
    if (cleanPredictions.length == 0) {
      throw new IllegalArgumentException("flip rate needs at least one prediction");
    }
    int flips = 0;
    for (int i = 0; i < cleanPredictions.length; i++) {
      if (cleanPredictions[i] != perturbedPredictions[i]) {
        flips++;
      }
    }
    return (double) flips / cleanPredictions.length;
  }

  /** {@code clean − perturbed}: positive when the perturbation hurts a higher-is-better metric. */
  public static double dropFromClean(double clean, double perturbed) {
    return clean - perturbed;
  }

  /** {@link #dropFromClean(double, double)} for each entry of {@code perturbed}. */
  public static double[] dropsFromClean(double clean, double[] perturbed) {
    Objects.requireNonNull(perturbed, "perturbed");
    double[] drops = new double[perturbed.length];
    for (int i = 0; i < perturbed.length; i++) {
      drops[i] = dropFromClean(clean, perturbed[i]);
    }
    return drops;
  }

  /**
   * The trapezoidal area under {@code metrics} over {@code severities}, divided by the severity
   * range: the mean metric across the range, so 1.0 for a metric that stays at 1.0.
   *
   * @throws IllegalArgumentException if there are fewer than 2 points, the lengths differ, a value
   *     is not finite, or the severities are not strictly increasing
   */
  public static double areaUnderCurve(double[] severities, double[] metrics) {
    Objects.requireNonNull(severities, "severities");
    Objects.requireNonNull(metrics, "metrics");
    if (severities.length != metrics.length) {
      throw new IllegalArgumentException("need one metric per severity: " + severities.length
          + " severities, " + metrics.length + " metrics");
    }
    if (severities.length < 2) {
      throw new IllegalArgumentException(
          "area under the curve needs at least 2 points, got " + severities.length);
    }
    double area = 0.0;
    for (int i = 0; i < severities.length; i++) {
      if (!Double.isFinite(severities[i]) || !Double.isFinite(metrics[i])) {
        throw new IllegalArgumentException("severities and metrics must be finite, got ("
            + severities[i] + ", " + metrics[i] + ") at index " + i);
      }
      if (i > 0) {
        double width = severities[i] - severities[i - 1];
        if (width <= 0) {
          throw new IllegalArgumentException("severities must be strictly increasing, got "
              + severities[i - 1] + " then " + severities[i]);
        }
        area += width * (metrics[i] + metrics[i - 1]) / 2.0;
      }
    }
    return area / (severities[severities.length - 1] - severities[0]);
  }

  /** {@link #areaUnderCurve(double[], double[])} over a schedule's levels. */
  public static double areaUnderCurve(SeveritySchedule schedule, double[] metrics) {
    return areaUnderCurve(Objects.requireNonNull(schedule, "schedule").toArray(), metrics);
  }
}
