package io.slaft.model.adapters;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Insertion points of the search space, one module of each per layer. */
public enum Site {
  /** Series bottleneck adapter on the attention output, before residual and LayerNorm. */
  ATTN("attn", Kind.BOTTLENECK),
  /** Series bottleneck adapter on the FFN output, before residual and LayerNorm. */
  FFN("ffn", Kind.BOTTLENECK),
  /** Parallel bottleneck adapter beside the FFN (reads the FFN input, adds to its output). */
  PARALLEL("parallel", Kind.BOTTLENECK),
  /** LoRA on the attention query and value projections. */
  LORA("lora", Kind.LORA),
  /**
   * BitFit as a module: gated deltas on every frozen bias of the layer (query, key, value,
   * attention output, intermediate, output; {@code 5 * hidden + intermediate} parameters). Lets the
   * search trade bias tuning in some layers against adapters in others; merged into the frozen
   * biases on export. Not in the default pool.
   */
  BIAS("bias", Kind.BIAS),
  /**
   * Prefix-tuning as a module: {@code adapters.prefix_length} learned key and value vectors that
   * every query of the layer's attention also attends to (Li &amp; Liang, 2021). During training
   * they come from a small per-layer MLP over a learned prefix embedding (the reparameterisation
   * that keeps prefix-tuning stable); the export folds the MLP away and keeps only the keys and
   * values ({@code 2 * prefix_length * hidden} parameters). Its gate scales the attention the
   * prefix receives (a closed gate removes it exactly). Not in the default pool.
   */
  PREFIX("prefix", Kind.PREFIX),
  /**
   * AdapterFusion (Pfeiffer et al., 2021) as a module: the frozen adapters of several trained tasks
   * ({@link FusionSources}, each an adapter after the FFN) all read the FFN output, and a learned
   * attention per token (query from the FFN output, keys and values from each adapter's output,
   * softmax over the sources) mixes them; the mix is added to the FFN output. Trained: query and
   * key projections with biases and the value projection ({@code 3 * hidden^2 + 2 * hidden}); the
   * sources stay frozen but count as served parameters. Not in the default pool.
   */
  FUSION("fusion", Kind.FUSION);

  /** What a module of a site is made of. */
  public enum Kind {
    /** Down-projection, activation mix, up-projection ({@code adapters.bottleneck} wide). */
    BOTTLENECK,
    /** Low-rank updates {@code A B} of the query and value projections ({@code adapters.lora_rank}). */
    LORA,
    /** Deltas added to the frozen biases. */
    BIAS,
    /** Key/value prefixes of the layer's attention ({@code adapters.prefix_length}), MLP-reparameterised in training. */
    PREFIX,
    /** Frozen source adapters and the attention over them ({@link FusionSources}). */
    FUSION
  }

  /** The pool of the method: the four adapter sites (attn, ffn, parallel, lora); {@link #BIAS}, {@link #PREFIX} and {@link #FUSION} are opt-in. */
  public static final Set<Site> DEFAULT_POOL = Collections.unmodifiableSet(EnumSet.of(ATTN, FFN, PARALLEL, LORA));

  private final String id;
  private final Kind kind;

  Site(String id, Kind kind) {
    this.id = id;
    this.kind = kind;
  }

  public String id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the module is a bottleneck adapter (has activation paths and channel gates). */
  public boolean isBottleneck() {
    return kind == Kind.BOTTLENECK;
  }

  public static Site byId(String id) {
    for (Site s : values()) {
      if (s.id.equals(id.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown site '" + id + "'; allowed: "
        + Arrays.stream(values()).map(Site::id).collect(Collectors.joining(", ")));
  }
}
