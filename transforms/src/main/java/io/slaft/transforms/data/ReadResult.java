package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * Everything read from one task file by {@link TaskReader}: examples and dead letters in file order,
 * and the counts. Immutable; {@code report().rowsRead() == examples().size() + deadLetters().size()}.
 */
public final class ReadResult {
  private final ImmutableList<Example> examples;
  private final ImmutableList<DeadLetter> deadLetters;
  private final ReadReport report;

  ReadResult(List<Example> examples, List<DeadLetter> deadLetters, ReadReport report) {
    this(examples, deadLetters, report, false);
  }

  private ReadResult(List<Example> examples, List<DeadLetter> deadLetters, ReadReport report, boolean deadLettersElsewhere) {
    this.examples = ImmutableList.copyOf(examples);
    this.deadLetters = ImmutableList.copyOf(deadLetters);
    this.report = checkNotNull(report);
    checkArgument(
        report.examples() == examples.size() && (deadLettersElsewhere || report.deadLetters() == deadLetters.size()),
        "report %s disagrees with %s examples and %s dead letters",
        report,
        examples.size(),
        deadLetters.size());
  }

  /**
   * A result whose dead letters live elsewhere (a prepared split: prepare wrote them out); {@link
   * #deadLetters()} is empty while the report keeps their count.
   */
  static ReadResult withoutDeadLetters(List<Example> examples, ReadReport report) {
    return new ReadResult(examples, List.of(), report, true);
  }

  public List<Example> examples() {
    return examples;
  }

  public List<DeadLetter> deadLetters() {
    return deadLetters;
  }

  public ReadReport report() {
    return report;
  }
}
