package io.slaft.transforms.sweep;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A distribution for a random sweep axis. Samples are rendered as strings: real values with 6
 * significant digits in plain notation, integers exactly, choices verbatim. Immutable; sampling is
 * a pure function of the random generator's state.
 */
public final class Distribution implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final MathContext DIGITS = new MathContext(6);

  private enum Kind {
    UNIFORM,
    LOG_UNIFORM,
    INT_UNIFORM,
    CHOICE
  }

  private final Kind kind;
  private final double low;
  private final double high;
  private final ImmutableList<String> choices;

  private Distribution(Kind kind, double low, double high, List<String> choices) {
    this.kind = kind;
    this.low = low;
    this.high = high;
    this.choices = ImmutableList.copyOf(choices);
  }

  /** Uniform on {@code [low, high)}; requires finite {@code low < high}. */
  public static Distribution uniform(double low, double high) {
    checkArgument(
        Double.isFinite(low) && Double.isFinite(high) && low < high,
        "uniform(low, high) needs finite low < high, got (%s, %s)",
        low,
        high);
    return new Distribution(Kind.UNIFORM, low, high, List.of());
  }

  /** Log-uniform on {@code [low, high)}, e.g. learning rates; requires {@code 0 < low < high}. */
  public static Distribution logUniform(double low, double high) {
    checkArgument(
        low > 0 && Double.isFinite(high) && low < high,
        "logUniform(low, high) needs 0 < low < high, got (%s, %s)",
        low,
        high);
    return new Distribution(Kind.LOG_UNIFORM, low, high, List.of());
  }

  /** Uniform over the integers {@code low..high} inclusive; requires {@code low <= high}. */
  public static Distribution intUniform(long low, long high) {
    checkArgument(low <= high, "intUniform(low, high) needs low <= high, got (%s, %s)", low, high);
    checkArgument(high - low < Long.MAX_VALUE, "intUniform range too large: (%s, %s)", low, high);
    return new Distribution(Kind.INT_UNIFORM, low, high, List.of());
  }

  /** One of {@code values}, each equally likely; values must be distinct and non-empty. */
  public static Distribution choice(String... values) {
    checkArgument(values.length > 0, "choice(..) needs at least one value");
    HashSet<String> seen = new HashSet<>();
    for (String v : values) {
      checkArgument(v != null, "choice values must not be null");
      checkArgument(seen.add(v), "choice value '%s' appears twice", v);
    }
    return new Distribution(Kind.CHOICE, Double.NaN, Double.NaN, List.of(values));
  }

  /** Draws one value, consuming exactly one number from {@code random}. */
  String sample(SplittableRandom random) {
    switch (kind) {
      case UNIFORM:
        return render(low + (high - low) * random.nextDouble());
      case LOG_UNIFORM:
        return render(Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * random.nextDouble()));
      case INT_UNIFORM:
        return Long.toString((long) low + random.nextLong((long) high - (long) low + 1));
      case CHOICE:
        return choices.get(random.nextInt(choices.size()));
      default:
        throw new AssertionError(kind);
    }
  }

  static String render(double v) {
    return new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Distribution)) {
      return false;
    }
    Distribution d = (Distribution) o;
    return kind == d.kind
        && Double.compare(low, d.low) == 0
        && Double.compare(high, d.high) == 0
        && choices.equals(d.choices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, low, high, choices);
  }

  @Override
  public String toString() {
    switch (kind) {
      case CHOICE:
        return "choice" + choices;
      case INT_UNIFORM:
        return "intUniform(" + (long) low + ", " + (long) high + ")";
      case LOG_UNIFORM:
        return "logUniform(" + low + ", " + high + ")";
      default:
        return "uniform(" + low + ", " + high + ")";
    }
  }
}
