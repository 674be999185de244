package io.slaft.pipelines.config;

import io.slaft.transforms.sweep.SweepPoint;
import io.slaft.transforms.sweep.SweepSpec;
import java.util.List;
import java.util.Map;

/** The sweep points of a config ({@code sweep.grid.*}, {@code sweep.random.*}, {@code sweep.seeds}); one point when none. */
public final class SweepPoints {
  private SweepPoints() {}

  public static SweepSpec spec(ExperimentConfig c) {
    SweepSpec.Builder b = SweepSpec.builder().seedKey(ConfigKeys.SEED.key());
    for (Map.Entry<String, String> e : c.withPrefix(ConfigKeys.GRID_PREFIX).entrySet()) {
      b.grid(e.getKey(), List.of(e.getValue().split(",")).stream().map(String::trim).toList());
    }
    Map<String, String> random = c.withPrefix(ConfigKeys.RANDOM_PREFIX);
    for (Map.Entry<String, String> e : random.entrySet()) {
      // ExperimentConfig accepted every axis at load, so it parses
      b.random(e.getKey(), RandomAxis.parse(e.getValue()).distribution());
    }
    if (!random.isEmpty()) {
      int n = c.get(ConfigKeys.SWEEP_SAMPLES);
      if (n <= 0) {
        throw new ConfigException(c.source() + ": " + ConfigKeys.RANDOM_PREFIX + "* needs " + ConfigKeys.SWEEP_SAMPLES
            + " > 0 (how many random points to draw)");
      }
      b.samples(n, c.get(ConfigKeys.SEED));
    }
    List<String> seeds = c.get(ConfigKeys.SWEEP_SEEDS);
    if (!seeds.isEmpty()) {
      b.seeds(seeds.stream().mapToLong(Long::parseLong).toArray());
    }
    return b.build();
  }

  /** Expanded points, in order. */
  public static List<SweepPoint> of(ExperimentConfig c) {
    return spec(c).expand();
  }
}
