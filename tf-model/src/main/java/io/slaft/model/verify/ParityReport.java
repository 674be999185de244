package io.slaft.model.verify;

import java.util.Locale;

/**
 * Outcome of comparing slaft's TensorFlow encoder with ONNX Runtime on the same token ids, over
 * every real (non-padding) token of every case.
 *
 * @param backbone backbone name
 * @param cases number of input examples compared
 * @param tokens number of token vectors compared
 * @param cosineMin smallest cosine similarity between corresponding token vectors
 * @param maxAbsDiff largest absolute difference of any element
 */
public record ParityReport(String backbone, int cases, long tokens, double cosineMin, double maxAbsDiff) {
  public static final double COSINE_MIN = 0.99999;
  public static final double MAX_ABS_DIFF = 1e-4;

  /** Whether the rebuild is within the thresholds (cosine ≥ 0.99999 and max diff ≤ 1e-4). */
  public boolean passes() {
    return cosineMin >= COSINE_MIN && maxAbsDiff <= MAX_ABS_DIFF;
  }

  /** The one-line summary printed last by {@code slaft backbone verify}. */
  public String line() {
    return String.format(Locale.ROOT, "parity backbone=%s cosine_min=%.7f max_abs_diff=%.3g", backbone, cosineMin, maxAbsDiff);
  }
}
