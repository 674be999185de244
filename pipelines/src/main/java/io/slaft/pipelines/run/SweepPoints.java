package io.slaft.pipelines.run;

import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.transforms.sweep.Distribution;
import io.slaft.transforms.sweep.SweepPoint;
import io.slaft.transforms.sweep.SweepSpec;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sweep points of a config ({@code sweep.grid.*}, {@code sweep.random.*}, {@code sweep.seeds}); one point when none. */
public final class SweepPoints {
  private static final Pattern DIST = Pattern.compile("(uniform|loguniform|intuniform|choice)\\((.*)\\)");

  private SweepPoints() {}

  public static SweepSpec spec(ExperimentConfig c) {
    SweepSpec.Builder b = SweepSpec.builder().seedKey("seed");
    for (Map.Entry<String, String> e : c.withPrefix("sweep.grid.").entrySet()) {
      b.grid(e.getKey(), List.of(e.getValue().split(",")).stream().map(String::trim).toList());
    }
    Map<String, String> random = c.withPrefix("sweep.random.");
    for (Map.Entry<String, String> e : random.entrySet()) {
      b.random(e.getKey(), distribution(c, e.getKey(), e.getValue()));
    }
    if (!random.isEmpty()) {
      int n = c.integer("sweep.samples");
      if (n <= 0) {
        throw new ConfigException(c.source() + ": sweep.random.* needs sweep.samples > 0");
      }
      b.samples(n, c.integer("seed"));
    }
    List<String> seeds = c.list("sweep.seeds");
    if (!seeds.isEmpty()) {
      b.seeds(seeds.stream().mapToLong(Long::parseLong).toArray());
    }
    return b.build();
  }

  /** Expanded points, in order. */
  public static List<SweepPoint> of(ExperimentConfig c) {
    return spec(c).expand();
  }

  private static Distribution distribution(ExperimentConfig c, String key, String v) {
    Matcher m = DIST.matcher(v.trim());
    if (!m.matches()) {
      throw new ConfigException(c.source() + ": sweep.random." + key + ": expected uniform(a,b), loguniform(a,b), "
          + "intuniform(a,b) or choice(x,y,...), got '" + v + "'");
    }
    String[] args = m.group(2).split(",");
    return switch (m.group(1)) {
      case "uniform" -> Distribution.uniform(Double.parseDouble(args[0].trim()), Double.parseDouble(args[1].trim()));
      case "loguniform" -> Distribution.logUniform(Double.parseDouble(args[0].trim()), Double.parseDouble(args[1].trim()));
      case "intuniform" -> Distribution.intUniform(Long.parseLong(args[0].trim()), Long.parseLong(args[1].trim()));
      default -> Distribution.choice(java.util.Arrays.stream(args).map(String::trim).toArray(String[]::new));
    };
  }
}
