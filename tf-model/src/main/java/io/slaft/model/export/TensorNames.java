package io.slaft.model.export;

/**
 * Names of the tensors in an export's {@code weights.bin}: written by {@link Exporter}, read by
 * {@link CompactModel}. Part of the export format (the golden export pins them).
 */
final class TensorNames {
  private TensorNames() {}

  /** Suffixes of a kept bottleneck module's tensors (after {@link #module}). */
  static final String DOWN_W = "down_w";
  static final String DOWN_B = "down_b";
  static final String UP_W = "up_w";
  static final String UP_B = "up_b";
  /** Suffixes of a kept LoRA module's tensors: A and B (scale and gate folded in) of query and value. */
  static final String LORA_AQ = "aq";
  static final String LORA_BQ = "bq";
  static final String LORA_AV = "av";
  static final String LORA_BV = "bv";

  /**
   * Suffixes of a kept prefix module's tensors: its keys and values {@code [prefix_length, hidden]}
   * (the training-time MLP folded away) and, when its served gate is not 1, {@code log z} {@code [1]}.
   */
  static final String PREFIX_K = "prefix_k";
  static final String PREFIX_V = "prefix_v";
  static final String PREFIX_LOG_GATE = "prefix_log_gate";

  /**
   * Suffixes of a kept fusion module's tensors: query and key projections with biases, the value
   * projection (identity plus the trained difference, gate folded in), and source {@code n}'s adapter
   * as {@link #fusionSource} ({@code s<n>/down_w}, ...).
   */
  static final String FUSION_QUERY_W = "query_w";
  static final String FUSION_QUERY_B = "query_b";
  static final String FUSION_KEY_W = "key_w";
  static final String FUSION_KEY_B = "key_b";
  static final String FUSION_VALUE = "value";

  /** Suffix of part {@code part} ({@link #DOWN_W}, ...) of a fusion module's source {@code n}. */
  static String fusionSource(int n, String part) {
    return "s" + n + "/" + part;
  }

  /** Prefix of a kept module's tensors, {@code <task>/<module id>/} (e.g. {@code sst2/l3.lora/}). */
  static String module(String task, String moduleId) {
    return task + "/" + moduleId + "/";
  }

  /** BitFit's delta of projection {@code role} in {@code layer}, {@code <task>/bitfit/l<layer>.<role>}. */
  static String bitfit(String task, int layer, String role) {
    return task + "/bitfit/l" + layer + "." + role;
  }

  /** The task head's {@code head_w} or {@code head_b}, {@code <task>/<name>}. */
  static String head(String task, String name) {
    return task + "/" + name;
  }
}
