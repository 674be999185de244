package io.slaft.model.train;

import io.slaft.model.adapters.ModuleLayout.Module;

/**
 * The names of the trainable tensors ({@link Slot}s) of the training graph, declared once: the
 * graph creates its slots under these names, the trainer initialises and reads them, the exporter
 * reads them, and checkpoints store parameters under them (so they are part of the checkpoint
 * format: renaming one invalidates existing checkpoints).
 */
public final class SlotNames {
  private SlotNames() {}

  /** Gate logits, one per module, per task. */
  public static final String GATES = "gates";
  /** Activation logits, one row of candidates per bottleneck module, per task. */
  public static final String ACTS = "acts";
  /** Channel gate logits, one row per bottleneck module, per task. */
  public static final String CHANS = "chans";
  /** The task head's weight {@code [hidden, max outputs]} and bias. */
  public static final String HEAD_W = "head_w";
  public static final String HEAD_B = "head_b";

  /** Parts of a bottleneck module: down-projection weight and bias, up-projection weight and bias. */
  public static final String DOWN_W = "dw";
  public static final String DOWN_B = "db";
  public static final String UP_W = "uw";
  public static final String UP_B = "ub";
  /** Parts of a LoRA module: {@code A} and {@code B} of the query and of the value projection. */
  public static final String LORA_AQ = "aq";
  public static final String LORA_BQ = "bq";
  public static final String LORA_AV = "av";
  public static final String LORA_BV = "bv";
  /**
   * Parts of a prefix module: the prefix embedding {@code [prefix_length, hidden]} and its MLP
   * ({@code h = tanh(E W1 + b1)}, keys {@code h Wk + bk}, values {@code h Wv + bv}).
   */
  public static final String PREFIX_EMB = "pe";
  public static final String PREFIX_W1 = "pw1";
  public static final String PREFIX_B1 = "pb1";
  public static final String PREFIX_WK = "pwk";
  public static final String PREFIX_BK = "pbk";
  public static final String PREFIX_WV = "pwv";
  public static final String PREFIX_BV = "pbv";
  /**
   * Parts of a fusion module: query and key projections with their biases and the value projection
   * as a difference from the identity ({@code value = I + fv}, so weight decay pulls it to the
   * identity). Each frozen source adapter's parts are {@link #fusionSource}.
   */
  public static final String FUSION_QUERY_W = "fq";
  public static final String FUSION_QUERY_B = "fqb";
  public static final String FUSION_KEY_W = "fk";
  public static final String FUSION_KEY_B = "fkb";
  public static final String FUSION_VALUE = "fv";
  /** Parts of a per-example (UniPELT) module gate: weight and bias. */
  public static final String EXAMPLE_GATE_W = "gw";
  public static final String EXAMPLE_GATE_B = "gb";

  /** Part {@code part} of module {@code m}: {@code m<index>_<part>}. */
  public static String of(Module m, String part) {
    return "m" + m.index() + "_" + part;
  }

  /** Part {@code part} ({@link #DOWN_W}, ...) of fusion module {@code m}'s frozen source {@code n}: {@code m<index>_s<n><part>}. */
  public static String fusionSource(Module m, int n, String part) {
    return of(m, "s" + n + part);
  }

  /** A bias module's delta on the frozen bias of {@code role}. */
  public static String biasDelta(Module m, String role) {
    return of(m, "b_" + role);
  }

  /** BitFit's delta on layer {@code layer}'s frozen bias of {@code role}. */
  public static String bitfit(int layer, String role) {
    return "bf" + layer + "_" + role;
  }

  /** A trainable backbone tensor (full fine-tuning), by its backbone name. */
  public static String backbone(String name) {
    return "bb_" + name;
  }
}
