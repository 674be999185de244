package io.slaft.model.export;

/**
 * Names of the tensors in an export's {@code weights.bin}: written by {@link Exporter}, read by
 * {@link CompactModel}. Part of the export format (the golden export pins them).
 */
final class TensorNames {
  private TensorNames() {}

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
