package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Locale;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Fails the pipeline when a file's dead-letter fraction exceeds a limit. Applied to the {@link
 * ReadTask#REPORT} output, it passes every report through unchanged and throws a {@link
 * TaskDataException} for the first one above the limit; the message names the task, the file, the
 * fraction, the limit and where the dead letters were written. {@link #check} applies the same rule
 * without Beam.
 *
 * <p>With {@link #afterWriting} the check waits until the dead-letter file is written, so the file
 * named in the message exists when the pipeline fails. Immutable.
 */
public final class DeadLetterPolicy extends PTransform<PCollection<ReadReport>, PCollection<ReadReport>> {
  private static final long serialVersionUID = 1L;

  private final double maxFraction;
  private final @Nullable String deadLetterLocation;
  private final transient @Nullable PCollection<?> signal;

  private DeadLetterPolicy(double maxFraction, @Nullable String location, @Nullable PCollection<?> signal) {
    this.maxFraction = maxFraction;
    this.deadLetterLocation = location;
    this.signal = signal;
  }

  /**
   * Allows at most {@code fraction} of a file's rows to be dead letters.
   *
   * @throws IllegalArgumentException unless {@code 0 <= fraction <= 1}
   */
  public static DeadLetterPolicy maxFraction(double fraction) {
    checkArgument(
        fraction >= 0.0 && fraction <= 1.0,
        "the maximum dead-letter fraction must be in [0, 1], got %s (e.g. 0.1 for 10%%)",
        fraction);
    return new DeadLetterPolicy(fraction, null, null);
  }

  /** A copy whose failure message says the dead letters are in {@code location}. */
  public DeadLetterPolicy reportingLocation(String location) {
    checkArgument(location != null && !location.isBlank(), "the dead-letter location must be non-blank");
    return new DeadLetterPolicy(maxFraction, location, signal);
  }

  /**
   * A copy that checks only after {@code signal} is complete, e.g. the output of {@link
   * WriteDeadLetters}.
   */
  public DeadLetterPolicy afterWriting(PCollection<?> signal) {
    return new DeadLetterPolicy(maxFraction, deadLetterLocation, checkNotNull(signal, "signal"));
  }

  public double maxFraction() {
    return maxFraction;
  }

  /**
   * Throws when {@code report} exceeds the limit; returns it otherwise.
   *
   * @throws TaskDataException describing the violation and the fix
   */
  public ReadReport check(ReadReport report) {
    check(report, maxFraction, deadLetterLocation);
    return report;
  }

  private static void check(ReadReport report, double maxFraction, @Nullable String location) {
    if (report.deadLetterFraction() <= maxFraction) {
      return;
    }
    throw new TaskDataException(
        String.format(
            Locale.ROOT,
            "too many dead letters in task %s %s, file %s: %d of %d rows (%.2f%%) failed validation, above the"
                + " limit of %.2f%% (DeadLetterPolicy.maxFraction(%s)); by reason %s. Dead letters were"
                + " written to %s. Fix the rows listed there, or raise the limit.",
            report.task(),
            report.split().lowerName(),
            report.file(),
            report.deadLetters(),
            report.rowsRead(),
            100.0 * report.deadLetterFraction(),
            100.0 * maxFraction,
            maxFraction,
            report.deadLettersByReason(),
            location == null ? "the dead-letter output (no location configured)" : location));
  }

  @Override
  public PCollection<ReadReport> expand(PCollection<ReadReport> reports) {
    PCollection<ReadReport> ready =
        signal == null ? reports : reports.apply("WaitForDeadLetterFile", Wait.on(signal));
    return ready
        .apply("CheckFraction", ParDo.of(new CheckFn(maxFraction, deadLetterLocation)))
        .setCoder(SerializableCoder.of(ReadReport.class));
  }

  private static final class CheckFn extends DoFn<ReadReport, ReadReport> {
    private static final long serialVersionUID = 1L;
    private final double maxFraction;
    private final @Nullable String location;

    CheckFn(double maxFraction, @Nullable String location) {
      this.maxFraction = maxFraction;
      this.location = location;
    }

    @ProcessElement
    public void process(@Element ReadReport report, OutputReceiver<ReadReport> out) {
      check(report, maxFraction, location);
      out.output(report);
    }
  }
}
