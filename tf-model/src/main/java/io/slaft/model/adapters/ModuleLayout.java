package io.slaft.model.adapters;

import io.slaft.model.backbone.BackboneConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The concrete modules of a search space on a backbone: one {@link Module} per (layer, site),
 * indexed in layer-major order, with its parameter count (the {@code n_m} of the size-weighted
 * penalty). Bottleneck modules also carry a bottleneck index for activation and channel logits.
 */
public final class ModuleLayout {
  /**
   * One module of the shared pool.
   *
   * @param index position in the gate vector
   * @param layer backbone layer
   * @param site insertion point
   * @param bottleneckIndex index among bottleneck modules, or -1 for LoRA, bias and prefix modules
   * @param params parameters of the module as served (a prefix module trains more: its MLP, folded on export)
   */
  public record Module(int index, int layer, Site site, int bottleneckIndex, long params) {
    /** Stable id used in parameter names and reports, e.g. {@code l3.ffn}. */
    public String id() {
      return idOf(layer, site);
    }

    /** The id of the module at ({@code layer}, {@code site}), e.g. {@code l3.ffn}. */
    public static String idOf(int layer, Site site) {
      return "l" + layer + "." + site.id();
    }
  }

  private final SearchSpace space;
  private final BackboneConfig backbone;
  private final List<Module> modules;
  private final int bottleneckCount;

  public ModuleLayout(SearchSpace space, BackboneConfig backbone) {
    this.space = space;
    this.backbone = backbone;
    List<Module> ms = new ArrayList<>();
    int b = 0;
    int h = backbone.hidden();
    for (int layer : space.layersOf(backbone.layers())) {
      for (Site s : space.orderedSites()) {
        long n = switch (s.kind()) {
          case BOTTLENECK -> 2L * h * space.bottleneck() + space.bottleneck() + h;
          case LORA -> 4L * h * space.loraRank();
          case BIAS -> biasParamsPerLayer(backbone);
          case PREFIX -> 2L * space.prefixLength() * h; // what serving keeps; the training-time MLP is folded away
          case FUSION -> fusionParams(h) + space.fusion().params(layer); // the frozen sources are served too
        };
        ms.add(new Module(ms.size(), layer, s, s.isBottleneck() ? b++ : -1, n));
      }
    }
    this.modules = Collections.unmodifiableList(ms);
    this.bottleneckCount = b;
  }

  public List<Module> modules() {
    return modules;
  }

  public int size() {
    return modules.size();
  }

  public int bottleneckCount() {
    return bottleneckCount;
  }

  public SearchSpace space() {
    return space;
  }

  public BackboneConfig backbone() {
    return backbone;
  }

  /** The module at (layer, site), or null. */
  public Module find(int layer, Site site) {
    for (Module m : modules) {
      if (m.layer() == layer && m.site() == site) {
        return m;
      }
    }
    return null;
  }

  /** Parameters of every module together. */
  public long poolParams() {
    long n = 0;
    for (Module m : modules) {
      n += m.params();
    }
    return n;
  }

  /** Trained parameters of a fusion module: query and key projections with biases, the value projection. */
  public static long fusionParams(int hidden) {
    return 3L * hidden * hidden + 2L * hidden;
  }

  /** Parameters added or removed per bottleneck channel ({@code 2 * hidden + 1}). */
  public long paramsPerChannel() {
    return 2L * backbone.hidden() + 1;
  }

  /** Sizes of all modules, in gate order. */
  public long[] sizes() {
    long[] s = new long[modules.size()];
    for (Module m : modules) {
      s[m.index()] = m.params();
    }
    return s;
  }

  /** Trainable bias-delta parameters when BitFit is on. */
  public long bitfitParams() {
    return space.bitfit() ? backbone.layers() * biasParamsPerLayer(backbone) : 0;
  }

  /** Frozen bias values of one layer (query, key, value, attention output, intermediate, output): BitFit's deltas per layer. */
  static long biasParamsPerLayer(BackboneConfig backbone) {
    return 5L * backbone.hidden() + backbone.intermediate();
  }
}
