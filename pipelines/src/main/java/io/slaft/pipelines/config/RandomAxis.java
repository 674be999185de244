package io.slaft.pipelines.config;

import io.slaft.transforms.sweep.Distribution;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser of a random sweep axis ({@code sweep.random.<key>: loguniform(1e-4, 1e-2)}):
 * {@code uniform(a,b)}, {@code loguniform(a,b)}, {@code intuniform(a,b)} or {@code choice(x,y,...)}.
 * The values a distribution can produce are bounded by its arguments, so checking each argument
 * against the swept key's type and range (done by {@link ExperimentConfig} at load) checks every
 * sample before anything runs.
 *
 * @param text the axis as written
 * @param kind the distribution name
 * @param args its arguments, trimmed
 */
public record RandomAxis(String text, String kind, List<String> args) {
  private static final Pattern FORM = Pattern.compile("(uniform|loguniform|intuniform|choice)\\((.*)\\)");

  /**
   * Parses {@code text}.
   *
   * @return the axis, or null when {@code text} is not one of the four forms or has the wrong arguments
   */
  public static RandomAxis parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    List<String> args = Arrays.stream(m.group(2).split(",")).map(String::trim).toList();
    boolean twoNumbers = args.size() == 2 && args.stream().allMatch(RandomAxis::isNumber);
    if (!m.group(1).equals("choice") && !twoNumbers || args.stream().anyMatch(String::isEmpty)) {
      return null;
    }
    if (m.group(1).equals("loguniform") && Double.parseDouble(args.get(0)) <= 0) {
      return null;
    }
    return new RandomAxis(text, m.group(1), args);
  }

  /** The forms, for messages. */
  public static String forms() {
    return "uniform(a,b), loguniform(a,b) with a > 0, intuniform(a,b) or choice(x,y,...)";
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The sampler of this axis. */
  public Distribution distribution() {
    return switch (kind) {
      case "uniform" -> Distribution.uniform(Double.parseDouble(args.get(0)), Double.parseDouble(args.get(1)));
      case "loguniform" -> Distribution.logUniform(Double.parseDouble(args.get(0)), Double.parseDouble(args.get(1)));
      case "intuniform" -> Distribution.intUniform((long) Double.parseDouble(args.get(0)), (long) Double.parseDouble(args.get(1)));
      default -> Distribution.choice(args.toArray(String[]::new));
    };
  }
}
