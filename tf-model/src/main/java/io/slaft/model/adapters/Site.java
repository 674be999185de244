package io.slaft.model.adapters;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Insertion points of the search space, one module of each per layer. */
public enum Site {
  /** Series bottleneck adapter on the attention output, before residual and LayerNorm. */
  ATTN("attn", true),
  /** Series bottleneck adapter on the FFN output, before residual and LayerNorm. */
  FFN("ffn", true),
  /** Parallel bottleneck adapter beside the FFN (reads the FFN input, adds to its output). */
  PARALLEL("parallel", true),
  /** LoRA on the attention query and value projections. */
  LORA("lora", false);

  private final String id;
  private final boolean bottleneck;

  Site(String id, boolean bottleneck) {
    this.id = id;
    this.bottleneck = bottleneck;
  }

  public String id() {
    return id;
  }

  /** Whether the module is a bottleneck adapter (has activation paths and channel gates). */
  public boolean isBottleneck() {
    return bottleneck;
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
