package io.slaft.pipelines.champion;

import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.robustness.RobustnessSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the sweep's champion is chosen ({@code champion.*}): the best validation metric among the points whose
 * compression is at most {@code maxCompression} (0 = no limit) and, with {@code robustness}, whose largest drop over
 * the input perturbation families at severity {@code dropAt} is at most {@code maxDrop} (0 = no limit); ties go to
 * fewer active parameters, then to sweep order.
 */
public record ChampionRule(boolean robustness, double maxCompression, double maxDrop, double dropAt) {
  /** The rule when nothing is configured: the best validation metric. */
  public static final ChampionRule BEST_METRIC = new ChampionRule(false, 0, 0, 0.15);

  /**
   * The rule of {@code c}, checked before any work: a robustness rule needs a validation split and at least one
   * input perturbation family, a drop limit needs {@code champion.robustness} and a severity that is evaluated.
   */
  public static ChampionRule from(ExperimentConfig c) {
    ChampionRule rule = new ChampionRule(c.get(ConfigKeys.CHAMPION_ROBUSTNESS), exact(c.get(ConfigKeys.CHAMPION_MAX_COMPRESSION)),
        exact(c.get(ConfigKeys.CHAMPION_MAX_DROP)), exact(c.get(ConfigKeys.CHAMPION_DROP_AT)));
    if (rule.maxDrop > 0 && !rule.robustness) {
      throw new ConfigException(c.source() + ": " + ConfigKeys.CHAMPION_MAX_DROP.key() + " = " + rule.maxDrop
          + " limits a robustness drop, and " + ConfigKeys.CHAMPION_ROBUSTNESS.key() + " is false (nothing measures it). Fix: set "
          + ConfigKeys.CHAMPION_ROBUSTNESS.key() + ": true, or remove " + ConfigKeys.CHAMPION_MAX_DROP.key());
    }
    if (!rule.robustness) {
      return rule;
    }
    if (c.get(ConfigKeys.DATA_VALIDATION) <= 0) {
      throw new ConfigException(c.source() + ": " + ConfigKeys.CHAMPION_ROBUSTNESS.key() + " = true measures robustness on the "
          + "validation split to choose with it, and " + ConfigKeys.DATA_VALIDATION.key() + " is 0 (choosing on dev would choose "
          + "on the set the results report). Fix: set " + ConfigKeys.DATA_VALIDATION.key() + ", e.g. 0.1");
    }
    RobustnessSettings settings = RobustnessSettings.from(c);
    if (settings.families().stream().allMatch(RobustnessSettings::isNoise)) {
      throw new ConfigException(c.source() + ": " + ConfigKeys.CHAMPION_ROBUSTNESS.key() + " = true evaluates exports, which take "
          + "input perturbations only, and " + ConfigKeys.ROBUSTNESS_FAMILIES.key() + " = " + settings.families()
          + " has none. Fix: add an input family, e.g. word-dropout, char-swap");
    }
    if (rule.maxDrop > 0 && settings.severities().levels().stream().noneMatch(s -> Math.abs(s - rule.dropAt) < 1e-6)) {
      throw new ConfigException(c.source() + ": " + ConfigKeys.CHAMPION_DROP_AT.key() + " = " + rule.dropAt + " is not one of "
          + ConfigKeys.ROBUSTNESS_SEVERITIES.key() + " " + settings.severities().levels() + ". Fix: add it to "
          + ConfigKeys.ROBUSTNESS_SEVERITIES.key() + " or choose one of them");
    }
    return rule;
  }

  /** Whether a point of this compression and drop (NaN when not measured) meets the rule. */
  public boolean admits(double compression, double drop) {
    boolean size = maxCompression <= 0 || compression <= maxCompression;
    boolean robust = maxDrop <= 0 || (!Double.isNaN(drop) && drop <= maxDrop);
    return size && robust;
  }

  /** E.g. {@code best validation metric with compression ≤ 0.02 and drop@15% ≤ 0.05}. */
  public String describe() {
    StringBuilder s = new StringBuilder("best validation metric");
    String and = " with ";
    if (maxCompression > 0) {
      s.append(and).append(String.format(Locale.ROOT, "compression ≤ %s", trim(maxCompression)));
      and = " and ";
    }
    if (maxDrop > 0) {
      s.append(and).append(String.format(Locale.ROOT, "drop@%s%% ≤ %s", trim(dropAt * 100), trim(maxDrop)));
    }
    return s.toString();
  }

  /** The rule as summary.json shows it. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", describe());
    m.put("robustness", robustness);
    m.put("max_compression", maxCompression);
    m.put("max_drop", maxDrop);
    m.put("drop_at", dropAt);
    return m;
  }

  /** The decimal the config wrote ({@code 0.02f} is 0.02, not 0.0199999995). */
  private static double exact(float f) {
    return Double.parseDouble(Float.toString(f));
  }

  private static String trim(double v) {
    return java.math.BigDecimal.valueOf(v).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }
}
