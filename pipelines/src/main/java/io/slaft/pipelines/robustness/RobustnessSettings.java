package io.slaft.pipelines.robustness;

import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.transforms.perturb.Perturbations;
import io.slaft.transforms.perturb.SeveritySchedule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a robustness evaluation visits: perturbation families, severities and the seed.
 *
 * <p>Families are the text and token perturbations of {@link Perturbations} plus
 * {@value #EMBEDDING_NOISE} and {@value #HIDDEN_NOISE} (Gaussian noise with σ = severity × the
 * tensor's std on the embedding output, or on it and every layer's output).
 *
 * @param families family names, distinct, in report order
 * @param severities ratios (or σ for the noise families), strictly increasing
 * @param seed seed of every perturbation and noise draw
 * @param discrete evaluate the discretized structure (gates below threshold closed) instead of the
 *     soft structure the training run reports
 */
public record RobustnessSettings(List<String> families, SeveritySchedule severities, long seed, boolean discrete) {
  public static final String EMBEDDING_NOISE = "embedding-noise";
  public static final String HIDDEN_NOISE = "hidden-noise";

  /**
   * Validates the families.
   *
   * @throws IllegalArgumentException if there is no family, a family repeats or is unknown
   */
  public RobustnessSettings {
    families = List.copyOf(Objects.requireNonNull(families, "families"));
    Objects.requireNonNull(severities, "severities");
    if (families.isEmpty()) {
      throw new IllegalArgumentException("robustness needs at least one family");
    }
    if (new HashSet<>(families).size() != families.size()) {
      throw new IllegalArgumentException("robustness families must be distinct, got " + families);
    }
    for (String f : families) {
      if (!isNoise(f) && !Perturbations.contains(f)) {
        throw new IllegalArgumentException("unknown robustness family '" + f + "'; allowed: "
            + String.join(", ", allFamilies()));
      }
    }
  }

  /** Every family name this evaluation understands. */
  public static List<String> allFamilies() {
    List<String> all = new ArrayList<>(Perturbations.names());
    all.add(EMBEDDING_NOISE);
    all.add(HIDDEN_NOISE);
    return List.copyOf(all);
  }

  /** Whether {@code family} is representation noise rather than an input perturbation. */
  public static boolean isNoise(String family) {
    return EMBEDDING_NOISE.equals(family) || HIDDEN_NOISE.equals(family);
  }

  /** The settings of {@code robustness.families}, {@code .severities}, {@code .seed}, {@code .discrete}. */
  public static RobustnessSettings from(ExperimentConfig c) {
    try {
      return new RobustnessSettings(c.get(ConfigKeys.ROBUSTNESS_FAMILIES),
          SeveritySchedule.parse(String.join(",", c.get(ConfigKeys.ROBUSTNESS_SEVERITIES))), c.get(ConfigKeys.ROBUSTNESS_SEED),
          c.get(ConfigKeys.ROBUSTNESS_DISCRETE));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(c.source() + ": robustness: " + e.getMessage(), e);
    }
  }
}
