package io.slaft.model.adapters;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Training methods. SLA learns the structure; every baseline is a preset of the same engine (same
 * backbone graph, trainer, head and data), so comparisons are fair.
 */
public enum Method {
  /** Structure-learnable adapters: every configured site, learned gates and activation paths. */
  SLA("sla"),
  /** Only the task head is trained. */
  HEAD_ONLY("head-only"),
  /** BitFit: deltas on every frozen bias, plus the head. */
  BITFIT("bitfit"),
  /** Houlsby: series adapters after attention and FFN, gates fixed open. */
  HOULSBY("houlsby"),
  /** Pfeiffer: one series adapter after the FFN, gates fixed open. */
  PFEIFFER("pfeiffer"),
  /** Parallel adapter beside the FFN, gates fixed open. */
  PARALLEL("parallel"),
  /** LoRA on query and value, gates fixed open. */
  LORA("lora"),
  /**
   * UniPELT-style: a Pfeiffer adapter after the FFN and LoRA on query+value in every layer, each
   * module scaled by a learned per-example gate {@code sigmoid(w · mean(input) + b)} (the
   * prefix-tuning branch of UniPELT is not part of this engine).
   */
  UNIPELT("unipelt"),
  /**
   * Prefix-tuning (Li &amp; Liang, 2021): {@code adapters.prefix_length} learned keys and values in
   * every layer's attention, MLP-reparameterised during training and folded out for inference.
   */
  PREFIX("prefix"),
  /**
   * AdapterFusion (Pfeiffer et al., 2021), its second stage: the adapters of {@code
   * adapters.fusion_sources} (pfeiffer runs' exports, one per task; the first stage) stay frozen and
   * a fusion layer per layer learns to mix them per token, with a new head.
   */
  ADAPTERFUSION("adapterfusion"),
  /** Full fine-tuning: every backbone tensor (embeddings, attention, FFN, LayerNorms) plus the head. */
  FULL_FT("full-ft");

  private final String id;

  Method(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Method byId(String id) {
    for (Method m : values()) {
      if (m.id.equals(id.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown method '" + id + "'; allowed: "
        + Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", ")));
  }

  /** The search space this method trains, derived from the configured one. */
  public SearchSpace space(SearchSpace configured) {
    return space(configured, configured.fusion());
  }

  /** Whether this method reads fusion sources when its configured sites are {@code sites}. */
  public boolean fuses(Set<Site> sites) {
    return this == ADAPTERFUSION || this == SLA && sites.contains(Site.FUSION);
  }

  /**
   * The search space this method trains, derived from the configured one, with {@code fusion} as the
   * sources of its fusion modules (ignored when it has none).
   */
  public SearchSpace space(SearchSpace configured, FusionSources fusion) {
    Set<Site> sites = switch (this) {
      case SLA -> configured.sites();
      case HEAD_ONLY, BITFIT, FULL_FT -> Set.of();
      case HOULSBY -> EnumSet.of(Site.ATTN, Site.FFN);
      case PFEIFFER -> EnumSet.of(Site.FFN);
      case PARALLEL -> EnumSet.of(Site.PARALLEL);
      case LORA -> EnumSet.of(Site.LORA);
      case UNIPELT -> EnumSet.of(Site.FFN, Site.LORA);
      case PREFIX -> EnumSet.of(Site.PREFIX);
      case ADAPTERFUSION -> EnumSet.of(Site.FUSION);
    };
    List<Activation> acts = this == SLA ? configured.activations() : List.of(Activation.RELU);
    return new SearchSpace(sites, configured.layers(), configured.bottleneck(), configured.loraRank(),
        configured.loraAlpha(), acts, this == SLA && configured.channelGates(), this == BITFIT, this == UNIPELT,
        this == FULL_FT, configured.initScale(), configured.prefixLength(), configured.prefixHidden(),
        sites.contains(Site.FUSION) ? fusion : FusionSources.NONE);
  }

  /** The gate setting: SLA keeps the configured family; baselines fix gates open. */
  public SparsityControl sparsity(SparsityControl configured) {
    if (this == SLA) {
      return configured;
    }
    return new SparsityControl(GateFamily.FIXED, 0f, 0f, 0, 0, 1f, 1f, configured.initLogit(), configured.threshold());
  }
}
