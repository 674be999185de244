package io.slaft.transforms.sweep;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A sensitivity sweep over a flat config of dotted keys: a base config, grid axes (every
 * combination), random axes ({@code samples} draws from a seeded generator) and a list of seeds.
 *
 * <p>{@link #expand()} yields grid combinations (first axis varies slowest) × random samples ×
 * seeds, in that nesting. It is deterministic: the same spec gives the same points in the same
 * order on every JVM ({@link SplittableRandom} is specified). Points whose full configs coincide
 * (possible only with random axes) are kept once, at their first position. Immutable; validated by
 * {@link Builder#build()}.
 */
public final class SweepSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  /** Upper bound on the number of points, to catch accidental combinatorial explosions. */
  public static final int MAX_POINTS = 10_000;

  private final ImmutableMap<String, String> base;
  private final ImmutableMap<String, ImmutableList<String>> grid;
  private final ImmutableMap<String, Distribution> random;
  private final int samples;
  private final long randomSeed;
  private final String seedKey;
  private final ImmutableList<Long> seeds;

  private SweepSpec(Builder b) {
    this.base = ImmutableMap.copyOf(new TreeMap<>(b.base));
    ImmutableMap.Builder<String, ImmutableList<String>> g = ImmutableMap.builder();
    b.grid.forEach((k, v) -> g.put(k, ImmutableList.copyOf(v)));
    this.grid = g.build();
    this.random = ImmutableMap.copyOf(b.random);
    this.samples = b.samples;
    this.randomSeed = b.randomSeed;
    this.seedKey = b.seedKey;
    this.seeds = ImmutableList.copyOf(b.seeds);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<String, String> base() {
    return base;
  }

  public Map<String, List<String>> grid() {
    return ImmutableMap.copyOf(grid);
  }

  public Map<String, Distribution> random() {
    return random;
  }

  public List<Long> seeds() {
    return seeds;
  }

  public String seedKey() {
    return seedKey;
  }

  /** The number of points before duplicates are removed: grid size × samples × seeds. */
  public long plannedSize() {
    return plannedSize(grid, random.isEmpty() ? 1 : samples, seeds.size());
  }

  private static long plannedSize(Map<String, ? extends List<String>> grid, int samples, int seeds) {
    long n = 1;
    for (List<String> values : grid.values()) {
      n *= values.size();
      if (n > Integer.MAX_VALUE) {
        return n;
      }
    }
    return n * samples * Math.max(1, seeds);
  }

  /** The points, in sweep order, indexed from 0. */
  public List<SweepPoint> expand() {
    List<Map<String, String>> gridCombos = new ArrayList<>();
    gridCombos.add(new LinkedHashMap<>());
    for (Map.Entry<String, ImmutableList<String>> axis : grid.entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> combo : gridCombos) {
        for (String value : axis.getValue()) {
          Map<String, String> c = new LinkedHashMap<>(combo);
          c.put(axis.getKey(), value);
          next.add(c);
        }
      }
      gridCombos = next;
    }
    List<Map<String, String>> draws = new ArrayList<>();
    if (random.isEmpty()) {
      draws.add(Map.of());
    } else {
      SplittableRandom rng = new SplittableRandom(randomSeed);
      for (int i = 0; i < samples; i++) {
        Map<String, String> d = new LinkedHashMap<>();
        random.forEach((k, dist) -> d.put(k, dist.sample(rng)));
        draws.add(d);
      }
    }
    List<SweepPoint> points = new ArrayList<>();
    Set<Map<String, String>> seen = new HashSet<>();
    for (Map<String, String> combo : gridCombos) {
      for (Map<String, String> draw : draws) {
        List<Long> seedList = seeds.isEmpty() ? java.util.Collections.singletonList(null) : seeds;
        for (Long seed : seedList) {
          Map<String, String> overrides = new LinkedHashMap<>(combo);
          overrides.putAll(draw);
          if (seed != null) {
            overrides.put(seedKey, Long.toString(seed));
          }
          Map<String, String> config = new TreeMap<>(base);
          config.putAll(overrides);
          if (seen.add(config)) {
            points.add(new SweepPoint(points.size(), config, overrides));
          }
        }
      }
    }
    return points;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof SweepSpec)) {
      return false;
    }
    SweepSpec s = (SweepSpec) o;
    return samples == s.samples
        && randomSeed == s.randomSeed
        && base.equals(s.base)
        && grid.equals(s.grid)
        && random.equals(s.random)
        && seedKey.equals(s.seedKey)
        && seeds.equals(s.seeds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(base, grid, random, samples, randomSeed, seedKey, seeds);
  }

  @Override
  public String toString() {
    return "SweepSpec{grid=" + grid + ", random=" + random + " x" + samples + " (seed " + randomSeed
        + "), " + seedKey + "=" + seeds + ", base=" + base.size() + " keys}";
  }

  /** Mutable builder; not thread-safe. Axes keep the order in which they are added. */
  public static final class Builder {
    private final Map<String, String> base = new LinkedHashMap<>();
    private final Map<String, List<String>> grid = new LinkedHashMap<>();
    private final Map<String, Distribution> random = new LinkedHashMap<>();
    private int samples;
    private long randomSeed;
    private String seedKey = "seed";
    private final List<Long> seeds = new ArrayList<>();

    private Builder() {}

    private static String key(String key) {
      checkArgument(
          key != null && KEY.matcher(key).matches(),
          "config key '%s' must be dotted words of letters, digits, '_' or '-' (e.g. train.learning_rate)",
          key);
      return key;
    }

    /** Adds every entry of {@code config} to the base config. */
    public Builder base(Map<String, String> config) {
      config.forEach(this::set);
      return this;
    }

    /** Sets one base config value. */
    public Builder set(String key, String value) {
      base.put(key(key), checkNotNull(value, "value of %s", key));
      return this;
    }

    /** A grid axis: every point takes each of {@code values} in turn. Values must be distinct. */
    public Builder grid(String key, String... values) {
      return grid(key, List.of(values));
    }

    public Builder grid(String key, List<String> values) {
      key(key);
      checkArgument(!grid.containsKey(key), "grid axis %s is given twice", key);
      checkArgument(!values.isEmpty(), "grid axis %s needs at least one value", key);
      checkArgument(
          new LinkedHashSet<>(values).size() == values.size(), "grid axis %s repeats a value: %s", key, values);
      grid.put(key, List.copyOf(values));
      return this;
    }

    /** A random axis drawn from {@code distribution}; needs {@link #samples}. */
    public Builder random(String key, Distribution distribution) {
      key(key);
      checkArgument(!random.containsKey(key), "random axis %s is given twice", key);
      random.put(key, checkNotNull(distribution, "distribution of %s", key));
      return this;
    }

    /** Draws {@code n} random configurations with generator seed {@code seed}. */
    public Builder samples(int n, long seed) {
      checkArgument(n >= 1, "samples(n, seed) needs n >= 1, got %s", n);
      this.samples = n;
      this.randomSeed = seed;
      return this;
    }

    /** Repeats every configuration once per seed, written to {@link #seedKey}. Seeds must be distinct. */
    public Builder seeds(long... seeds) {
      checkArgument(seeds.length > 0, "seeds(..) needs at least one seed");
      this.seeds.clear();
      for (long s : seeds) {
        checkArgument(!this.seeds.contains(s), "seed %s is given twice", s);
        this.seeds.add(s);
      }
      return this;
    }

    /** The config key the seed is written to; default {@code seed}. */
    public Builder seedKey(String key) {
      this.seedKey = key(key);
      return this;
    }

    /**
     * @throws IllegalStateException when an axis is repeated across kinds, random axes lack
     *     samples (or samples lack axes), or the sweep exceeds {@link #MAX_POINTS} points
     */
    public SweepSpec build() {
      for (String k : random.keySet()) {
        checkState(!grid.containsKey(k), "key %s is both a grid and a random axis: keep one", k);
      }
      if (!seeds.isEmpty()) {
        checkState(
            !grid.containsKey(seedKey) && !random.containsKey(seedKey),
            "seed key %s is also a sweep axis: use seeds(..) or the axis, not both",
            seedKey);
      }
      checkState(
          random.isEmpty() || samples >= 1,
          "random axes %s need samples(n, seed)",
          random.keySet());
      checkState(
          !random.isEmpty() || samples == 0,
          "samples(%s, ..) is set but there are no random axes: add random(key, distribution)",
          samples);
      long planned = plannedSize(grid, random.isEmpty() ? 1 : samples, seeds.size());
      checkState(
          planned <= MAX_POINTS,
          "the sweep has %s points, above the limit of %s: shrink the grid, samples or seeds",
          planned,
          MAX_POINTS);
      return new SweepSpec(this);
    }
  }
}
