package io.slaft.report;

/** Summary statistics of results over seeds, shared by the run summary, the sensitivity report and the GLUE bench. */
public final class Stats {
  private Stats() {}

  /** Arithmetic mean; NaN for no values. */
  public static double mean(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return a.length == 0 ? Double.NaN : s / a.length;
  }

  /** Sample standard deviation (n − 1); 0 for fewer than two values. */
  public static double std(double[] a) {
    if (a.length < 2) {
      return 0;
    }
    double m = mean(a);
    double s = 0;
    for (double v : a) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (a.length - 1));
  }
}
