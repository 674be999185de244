package io.slaft.model.backbone;

import io.slaft.model.runtime.CpuFeatures;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How the frozen backbone's weight matmuls compute. {@link #BF16}: the input of each frozen
 * projection is rounded to bfloat16 and multiplied with a bfloat16 copy of the frozen weight (the
 * CPU kernel accumulates in fp32; the product is rounded to bf16 and cast back to fp32 before the
 * bias). Everything else stays fp32: embeddings, LayerNorm, attention scores and softmax, biases,
 * adapters, gates, the head, gradients into trainable tensors and the optimizer. A weight that is
 * trained (full fine-tuning) is never rounded. On a CPU without native bf16 the same roundings are
 * applied around an fp32 matmul, so a forced {@code bf16} means the same numbers on every CPU
 * (and is only faster where the CPU has it).
 *
 * <p>The setting {@code auto} chooses {@link #BF16} exactly where the CPU has native bf16
 * arithmetic ({@link CpuFeatures#BF16}) and {@link #FP32} elsewhere; a run records the precision
 * it resolved to, and an export is served in the precision it was trained in.
 */
public enum Precision {
  FP32("fp32"),
  BF16("bf16");

  /** The setting that resolves to the CPU's best precision. */
  public static final String AUTO = "auto";

  private final String id;

  Precision(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** Every accepted setting: {@code auto} and each precision's id. */
  public static List<String> settings() {
    return Stream.concat(Stream.of(AUTO), Arrays.stream(values()).map(Precision::id)).toList();
  }

  /** The precision with this id; {@code null} or empty is {@link #FP32} (exports written before precisions existed). */
  public static Precision byId(String id) {
    if (id == null || id.isEmpty()) {
      return FP32;
    }
    for (Precision p : values()) {
      if (p.id.equals(id.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown precision '" + id + "'; allowed: " + String.join(", ", settings()));
  }

  /** {@code setting} ({@link #settings()}) resolved on this CPU. */
  public static Precision resolve(String setting) {
    return resolve(setting, CpuFeatures.flags());
  }

  /** {@code setting} resolved on a CPU with {@code cpuFlags}: {@code auto} is bf16 iff the CPU has native bf16. */
  public static Precision resolve(String setting, Set<String> cpuFlags) {
    if (AUTO.equalsIgnoreCase(setting)) {
      return CpuFeatures.bf16(cpuFlags) ? BF16 : FP32;
    }
    return byId(setting);
  }
}
