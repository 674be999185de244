package io.slaft.model.adapters;

import com.google.common.base.Preconditions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The adapter search space: which sites exist in which layers, their sizes, the candidate
 * activations, and whether bottleneck widths are learned through channel gates.
 *
 * @param sites insertion points present in every chosen layer
 * @param layers chosen layers (empty = all layers of the backbone)
 * @param bottleneck bottleneck width of series/parallel adapters
 * @param loraRank LoRA rank r
 * @param loraAlpha LoRA scaling numerator (update scaled by alpha / r)
 * @param activations candidate activations mixed by softmax; one entry = fixed activation
 * @param channelGates learn per-channel gates on adapter bottlenecks
 * @param bitfit train deltas on every frozen bias (BitFit)
 * @param exampleGates UniPELT-style per-example gates: each module's output is scaled by
 *     {@code sigmoid(w · mean(input) + b)}, the mean over the example's unmasked tokens
 * @param fullModel every backbone tensor is trainable too (full fine-tuning)
 * @param initScale standard deviation of down-projection and LoRA A initialization
 * @param prefixLength key/value vectors per prefix module ({@link Site#PREFIX})
 * @param prefixHidden width of the prefix modules' reparameterisation MLP (training only; folded on export)
 * @param fusion the frozen adapters {@link Site#FUSION} modules attend over ({@link FusionSources#NONE} without that site)
 */
public record SearchSpace(
    Set<Site> sites,
    List<Integer> layers,
    int bottleneck,
    int loraRank,
    float loraAlpha,
    List<Activation> activations,
    boolean channelGates,
    boolean bitfit,
    boolean exampleGates,
    boolean fullModel,
    float initScale,
    int prefixLength,
    int prefixHidden,
    FusionSources fusion) {
  /** Default {@link #prefixLength}: 10 virtual tokens per layer (Li &amp; Liang's table-to-text setting). */
  public static final int DEFAULT_PREFIX_LENGTH = 10;
  /** Default {@link #prefixHidden}: the reparameterisation MLP's width. */
  public static final int DEFAULT_PREFIX_HIDDEN = 128;

  /** Sites iterate in enum order in every JVM (so {@link #toString()} and fingerprints are stable). */
  public SearchSpace {
    sites = java.util.Collections.unmodifiableSet(sites.isEmpty() ? EnumSet.noneOf(Site.class) : EnumSet.copyOf(sites));
    layers = List.copyOf(layers);
    activations = List.copyOf(activations);
    Preconditions.checkArgument(bottleneck > 0, "adapters.bottleneck must be > 0, got %s", bottleneck);
    Preconditions.checkArgument(loraRank > 0, "adapters.lora_rank must be > 0, got %s", loraRank);
    Preconditions.checkArgument(loraAlpha > 0, "adapters.lora_alpha must be > 0, got %s", loraAlpha);
    Preconditions.checkArgument(!activations.isEmpty(), "adapters.activations must name at least one activation");
    Preconditions.checkArgument(activations.stream().distinct().count() == activations.size(),
        "adapters.activations has duplicates: %s", activations);
    Preconditions.checkArgument(initScale > 0, "adapters.init_scale must be > 0");
    Preconditions.checkArgument(prefixLength > 0, "adapters.prefix_length must be > 0, got %s", prefixLength);
    Preconditions.checkArgument(prefixHidden > 0, "adapters.prefix_hidden must be > 0, got %s", prefixHidden);
    for (int l : layers) {
      Preconditions.checkArgument(l >= 0, "adapters.layers must be >= 0, got %s", l);
    }
    Preconditions.checkNotNull(fusion, "fusion sources (FusionSources.NONE for none)");
    Preconditions.checkArgument(!sites.contains(Site.FUSION) || !fusion.isEmpty(),
        "the fusion site (method adapterfusion) attends over trained adapters: set adapters.fusion_sources to the"
            + " export directories of pfeiffer runs, one per task (e.g. slaft train --method pfeiffer --export DIR)");
    Preconditions.checkArgument(sites.contains(Site.FUSION) || fusion.isEmpty(),
        "adapters.fusion_sources is set but nothing uses it: it is read by method adapterfusion (or site fusion in"
            + " the SLA pool); remove it or choose that method");
  }

  /** A space without fusion sources. */
  public SearchSpace(Set<Site> sites, List<Integer> layers, int bottleneck, int loraRank, float loraAlpha,
      List<Activation> activations, boolean channelGates, boolean bitfit, boolean exampleGates, boolean fullModel,
      float initScale, int prefixLength, int prefixHidden) {
    this(sites, layers, bottleneck, loraRank, loraAlpha, activations, channelGates, bitfit, exampleGates, fullModel,
        initScale, prefixLength, prefixHidden, FusionSources.NONE);
  }

  /** The full search space of the paper: every adapter site ({@link Site#DEFAULT_POOL}) in every layer, all four activations. */
  public static SearchSpace full(int bottleneck, int loraRank) {
    return new SearchSpace(Site.DEFAULT_POOL, List.of(), bottleneck, loraRank, 2f * loraRank,
        List.of(Activation.values()), false, false, false, false, 0.02f);
  }

  /** A space with the default prefix sizes ({@link #DEFAULT_PREFIX_LENGTH}, {@link #DEFAULT_PREFIX_HIDDEN}). */
  public SearchSpace(Set<Site> sites, List<Integer> layers, int bottleneck, int loraRank, float loraAlpha,
      List<Activation> activations, boolean channelGates, boolean bitfit, boolean exampleGates, boolean fullModel,
      float initScale) {
    this(sites, layers, bottleneck, loraRank, loraAlpha, activations, channelGates, bitfit, exampleGates, fullModel,
        initScale, DEFAULT_PREFIX_LENGTH, DEFAULT_PREFIX_HIDDEN);
  }

  /**
   * Whether a trained model of this space can be discretized into a compact export: not with
   * input-dependent gates (nothing to merge) nor with a fine-tuned backbone (the export holds no
   * backbone copy).
   */
  public boolean exportable() {
    return !exampleGates && !fullModel;
  }

  /**
   * The record's text (checkpoint fingerprints are built from it); {@code fusion} is appended only
   * when there are sources, so checkpoints written before fusion existed still resume.
   */
  @Override
  public String toString() {
    return "SearchSpace[sites=" + sites + ", layers=" + layers + ", bottleneck=" + bottleneck + ", loraRank=" + loraRank
        + ", loraAlpha=" + loraAlpha + ", activations=" + activations + ", channelGates=" + channelGates + ", bitfit="
        + bitfit + ", exampleGates=" + exampleGates + ", fullModel=" + fullModel + ", initScale=" + initScale
        + ", prefixLength=" + prefixLength + ", prefixHidden=" + prefixHidden
        + (fusion.isEmpty() ? "" : ", fusion=" + fusion) + "]";
  }

  /** The scale of a LoRA update, {@code alpha / r}: training multiplies it in, the export folds it into B. */
  public float loraScale() {
    return loraAlpha / loraRank;
  }

  /** The sites in a fixed order (enum order), for stable layouts. */
  public List<Site> orderedSites() {
    return List.copyOf(sites);
  }

  /** The chosen layers for a backbone of {@code total} layers; fails on an out-of-range layer. */
  public List<Integer> layersOf(int total) {
    if (layers.isEmpty()) {
      return java.util.stream.IntStream.range(0, total).boxed().toList();
    }
    for (int l : layers) {
      Preconditions.checkArgument(l < total, "adapters.layers contains %s but the backbone has %s layers", l, total);
    }
    return layers.stream().sorted().distinct().toList();
  }
}
