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
    this.examples = ImmutableList.copyOf(examples);
    this.deadLetters = ImmutableList.copyOf(deadLetters);
    this.report = checkNotNull(report);
    checkArgument(
        report.examples() == examples.size() && report.deadLetters() == deadLetters.size(),
        "report %s disagrees with %s examples and %s dead letters",
        report,
        examples.size(),
        deadLetters.size());
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
