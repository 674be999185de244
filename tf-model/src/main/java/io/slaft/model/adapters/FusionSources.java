package io.slaft.model.adapters;

import com.google.common.base.Preconditions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The frozen adapters an AdapterFusion module ({@link Site#FUSION}) attends over (Pfeiffer et al.,
 * 2021): one source per trained task, each with a bottleneck adapter after the FFN of every layer
 * (what a {@code pfeiffer} run exports). The first stage of AdapterFusion trains them; the second
 * keeps them frozen and learns, per layer, which of them to use for each token. Immutable; equal
 * when names and weights are (compared by {@link #digest}).
 */
public final class FusionSources {
  /** No sources: a space without a fusion site. */
  public static final FusionSources NONE = new FusionSources(List.of(), "");

  /**
   * A source's trained adapter in one layer, its gate folded in as the export stores it.
   *
   * @param width bottleneck channels
   * @param downW {@code [hidden, width]}
   * @param downB {@code [width]}
   * @param upW {@code [width, hidden]}
   * @param upB {@code [hidden]}
   */
  public record Adapter(int width, float[] downW, float[] downB, float[] upW, float[] upB) {
    public Adapter {
      Preconditions.checkArgument(width > 0 && downB.length == width && downW.length % width == 0
          && upW.length == downW.length && upB.length == downW.length / width,
          "adapter tensors do not fit a bottleneck of width %s", width);
    }

    /** The hidden size the adapter reads and writes. */
    public int hidden() {
      return upB.length;
    }

    /** Parameters of the adapter. */
    public long params() {
      return 2L * downW.length / width * width + width + upB.length;
    }
  }

  /**
   * One source: a task's adapters by layer.
   *
   * @param name the source's name in reports (its task, or {@code task@export} when names repeat)
   * @param activation its adapters' activation
   * @param layers its adapter after the FFN of each layer it has one in
   */
  public record Source(String name, Activation activation, Map<Integer, Adapter> layers) {
    public Source {
      Preconditions.checkArgument(name != null && !name.isBlank(), "a fusion source needs a name");
      layers = java.util.Collections.unmodifiableMap(new TreeMap<>(layers));
    }

    /** Its adapter in {@code layer}. */
    public Adapter layer(int layer) {
      Adapter a = layers.get(layer);
      if (a == null) {
        throw new IllegalArgumentException("fusion source '" + name + "' has no adapter after the FFN of layer " + layer
            + " (it has layers " + layers.keySet() + "); AdapterFusion needs every source in every fused layer");
      }
      return a;
    }
  }

  private final List<Source> sources;
  private final String backboneDigest;
  private final String digest;

  /**
   * @param sources in the order the fusion attends over them
   * @param backboneDigest the digest of the backbone every source was trained on ({@code ""} with no sources)
   */
  public FusionSources(List<Source> sources, String backboneDigest) {
    this.sources = List.copyOf(sources);
    this.backboneDigest = backboneDigest;
    Preconditions.checkArgument(this.sources.stream().map(Source::name).distinct().count() == this.sources.size(),
        "fusion sources repeat a name: %s", this.sources.stream().map(Source::name).toList());
    this.digest = this.sources.isEmpty() ? "" : digestOf(this.sources, backboneDigest);
  }

  public List<Source> sources() {
    return sources;
  }

  public Source get(int n) {
    return sources.get(n);
  }

  public int count() {
    return sources.size();
  }

  public boolean isEmpty() {
    return sources.isEmpty();
  }

  /** The digest of the backbone the sources were trained on. */
  public String backboneDigest() {
    return backboneDigest;
  }

  /** A content digest of names, activations and weights (16 hex digits; empty with no sources). */
  public String digest() {
    return digest;
  }

  /** Parameters of every source's adapter in {@code layer}. */
  public long params(int layer) {
    long n = 0;
    for (Source s : sources) {
      n += s.layer(layer).params();
    }
    return n;
  }

  private static String digestOf(List<Source> sources, String backboneDigest) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(backboneDigest.getBytes(StandardCharsets.UTF_8));
      for (Source s : sources) {
        md.update((s.name() + "/" + s.activation().id()).getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<Integer, Adapter> e : s.layers().entrySet()) {
          md.update(ByteBuffer.allocate(4).putInt(e.getKey()).array());
          Adapter a = e.getValue();
          for (float[] t : List.of(a.downW(), a.downB(), a.upW(), a.upB())) {
            ByteBuffer b = ByteBuffer.allocate(t.length * 4);
            b.asFloatBuffer().put(t);
            md.update(b.array());
          }
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FusionSources f && f.digest.equals(digest);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  /** Names and digest, e.g. {@code [mrpc, rte]@3f2a...}, stable across JVMs (fingerprints use it). */
  @Override
  public String toString() {
    return sources.isEmpty() ? "none" : sources.stream().map(Source::name).toList() + "@" + digest;
  }
}
