package io.slaft.transforms.sweep;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.hash.Hashing;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One configuration of a sweep: the full flat config (base plus overrides), the overrides alone in
 * axis order, its position in the sweep, and a stable id.
 *
 * <p>The id is the first 12 hex digits of SHA-256 over the canonical config ({@code key=value\n}
 * lines sorted by key), so equal configs get equal ids across runs and machines. Immutable.
 */
@DefaultCoder(SweepPointCoder.class)
public final class SweepPoint implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int index;
  private final String id;
  private final ImmutableSortedMap<String, String> config;
  private final ImmutableMap<String, String> overrides;

  SweepPoint(int index, Map<String, String> config, Map<String, String> overrides) {
    checkArgument(index >= 0, "index must be >= 0, got %s", index);
    this.index = index;
    this.config = ImmutableSortedMap.copyOf(checkNotNull(config));
    this.overrides = ImmutableMap.copyOf(checkNotNull(overrides));
    this.id = idOf(this.config);
  }

  /** The stable id of a flat config. */
  public static String idOf(Map<String, String> config) {
    StringBuilder canonical = new StringBuilder();
    for (Map.Entry<String, String> e : ImmutableSortedMap.copyOf(config).entrySet()) {
      canonical.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    return Hashing.sha256().hashString(canonical, StandardCharsets.UTF_8).toString().substring(0, 12);
  }

  /** The 0-based position in {@link SweepSpec#expand()}. */
  public int index() {
    return index;
  }

  public String id() {
    return id;
  }

  /** The full config, sorted by key. */
  public Map<String, String> config() {
    return config;
  }

  /** The keys this point sets beyond the base, in axis order (grid, random, seed). */
  public Map<String, String> overrides() {
    return overrides;
  }

  /** A short display name such as {@code 3-ab12cd34ef56 lambda=1.0 seed=7}. */
  public String label() {
    StringBuilder sb = new StringBuilder().append(index).append('-').append(id);
    overrides.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    return sb.toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof SweepPoint)) {
      return false;
    }
    SweepPoint p = (SweepPoint) o;
    return index == p.index && config.equals(p.config) && overrides.equals(p.overrides);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, config, overrides);
  }

  @Override
  public String toString() {
    return "SweepPoint{" + label() + "}";
  }
}
