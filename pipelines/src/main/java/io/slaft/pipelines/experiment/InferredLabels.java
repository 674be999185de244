package io.slaft.pipelines.experiment;

import java.io.Serializable;
import java.util.List;

/**
 * The labels a task took from its training file because its {@code task_defs.<name>.labels} is
 * empty (see {@link TaskLoader#resolveLabels}): printed once when they are read, and recorded in
 * each run's {@link Provenance}. Immutable and serializable (it travels with {@link PreparedData}).
 *
 * @param task the task name
 * @param file the training file they were read from (absolute)
 * @param labels the labels in class-index order
 */
public record InferredLabels(String task, String file, List<String> labels) implements Serializable {
  public InferredLabels {
    labels = List.copyOf(labels);
  }

  /** {@code task spam: labels inferred from /data/spam/train.tsv: ham, spam}. */
  public String message() {
    return "task " + task + ": labels inferred from " + file + ": " + String.join(", ", labels);
  }
}
