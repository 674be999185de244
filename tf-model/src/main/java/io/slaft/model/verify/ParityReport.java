package io.slaft.model.verify;

import io.slaft.model.backbone.Precision;
import java.util.Locale;

/**
 * Outcome of comparing slaft's TensorFlow encoder with ONNX Runtime (fp32) on the same token ids,
 * over every real (non-padding) token of every case.
 *
 * @param backbone backbone name
 * @param precision the precision of slaft's frozen matmuls; bf16 is held to its own, looser bound
 * @param cases number of input examples compared
 * @param tokens number of token vectors compared
 * @param cosineMin smallest cosine similarity between corresponding token vectors
 * @param maxAbsDiff largest absolute difference of any element
 */
public record ParityReport(String backbone, Precision precision, int cases, long tokens, double cosineMin,
    double maxAbsDiff) {
  public static final double COSINE_MIN = 0.99999;
  public static final double MAX_ABS_DIFF = 1e-4;
  /** bf16 rounds every frozen projection's input and weight to 8 significant bits: cosine only, ≥ 0.999. */
  public static final double BF16_COSINE_MIN = 0.999;

  /** The smallest cosine that passes at {@code precision}. */
  public static double cosineMin(Precision precision) {
    return precision == Precision.BF16 ? BF16_COSINE_MIN : COSINE_MIN;
  }

  /** The largest element difference that passes at {@code precision} (unbounded for bf16). */
  public static double maxAbsDiff(Precision precision) {
    return precision == Precision.BF16 ? Double.POSITIVE_INFINITY : MAX_ABS_DIFF;
  }

  /**
   * Whether the rebuild is within the thresholds: fp32 cosine ≥ 0.99999 and max diff ≤ 1e-4; bf16
   * cosine ≥ 0.999.
   */
  public boolean passes() {
    return cosineMin >= cosineMin(precision) && maxAbsDiff <= maxAbsDiff(precision);
  }

  /** The one-line summary printed last by {@code slaft backbone verify}. */
  public String line() {
    return String.format(Locale.ROOT, "parity backbone=%s precision=%s cosine_min=%.7f max_abs_diff=%.3g", backbone,
        precision.id(), cosineMin, maxAbsDiff);
  }
}
