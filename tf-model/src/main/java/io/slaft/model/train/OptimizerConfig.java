package io.slaft.model.train;

import com.google.common.base.Preconditions;

/**
 * AdamW with decoupled weight decay, linear warm-up then linear decay, global-norm clipping.
 * Structure parameters (gate, activation, channel logits) use {@code structureLr} and no decay;
 * backbone tensors (full fine-tuning only) use {@code backboneLr}.
 */
public record OptimizerConfig(
    float lr, float structureLr, float backboneLr, float weightDecay, float warmupRatio, float clipNorm,
    float beta1, float beta2, float eps) {

  public OptimizerConfig {
    Preconditions.checkArgument(lr > 0, "optimizer.lr must be > 0, got %s", lr);
    Preconditions.checkArgument(structureLr >= 0, "optimizer.structure_lr must be >= 0, got %s", structureLr);
    Preconditions.checkArgument(backboneLr > 0, "optimizer.backbone_lr must be > 0, got %s", backboneLr);
    Preconditions.checkArgument(weightDecay >= 0, "optimizer.weight_decay must be >= 0");
    Preconditions.checkArgument(warmupRatio >= 0 && warmupRatio < 1, "optimizer.warmup_ratio must be in [0, 1)");
    Preconditions.checkArgument(clipNorm > 0, "optimizer.clip_norm must be > 0");
    Preconditions.checkArgument(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "optimizer betas must be in [0, 1)");
  }

  public static OptimizerConfig defaults() {
    return new OptimizerConfig(1e-3f, 5e-2f, 5e-5f, 0.01f, 0.06f, 1.0f, 0.9f, 0.999f, 1e-8f);
  }

  /** Learning-rate multiplier at {@code step} of {@code total}: warm-up then linear decay to 0. */
  public double schedule(int step, int total) {
    int warm = Math.round(warmupRatio * total);
    if (step < warm) {
      return (step + 1) / (double) warm;
    }
    return Math.max(0.0, (total - step) / (double) Math.max(1, total - warm));
  }
}
