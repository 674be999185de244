package io.slaft.model.train;

import java.util.Arrays;

/**
 * A trainable tensor of the training graph, fed from Java each step: a shared pool weight or a
 * per-task structure/head tensor.
 *
 * @param name flat name (no scopes: optimizer-friendly)
 * @param shape dimensions
 * @param group optimizer group
 * @param perTask whether each task has its own copy
 */
public record Slot(String name, int[] shape, Group group, boolean perTask) {
  /**
   * Optimizer groups: weight matrices decay, biases and LayerNorm scales do not; structure logits
   * and backbone tensors (full fine-tuning) get their own learning rates. {@link #FROZEN} tensors
   * (AdapterFusion's source adapters) are fed like the others but never take a gradient or an update.
   */
  public enum Group {
    ADAPTER, ADAPTER_BIAS, STRUCTURE, HEAD, HEAD_BIAS, BACKBONE, BACKBONE_BIAS, FROZEN;

    /** Whether the optimizer moves it. */
    public boolean trained() {
      return this != FROZEN;
    }

    /** Whether AdamW's decoupled weight decay applies. */
    public boolean decays() {
      return this == ADAPTER || this == HEAD || this == BACKBONE;
    }

    /** Whether this group holds backbone tensors. */
    public boolean backbone() {
      return this == BACKBONE || this == BACKBONE_BIAS;
    }
  }

  public Slot {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
