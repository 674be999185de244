package io.slaft.model.train;

import com.google.common.base.Preconditions;
import io.slaft.model.eval.MetricKind;
import java.util.List;

/**
 * One task of a (multi-task) training run.
 *
 * @param name task name (e.g. {@code sst2})
 * @param numLabels classes; 0 means a regression task with one output
 * @param metric the primary metric: a regression metric exactly when {@code numLabels} is 0, and
 *     {@link MetricKind#F1} (binary F1 of class 1) only with two classes
 * @param train training examples
 * @param dev evaluation examples
 */
public record TrainTask(String name, int numLabels, MetricKind metric, List<LabeledExample> train, List<LabeledExample> dev) {
  public TrainTask {
    Preconditions.checkArgument(name != null && !name.isBlank(), "task name must not be blank");
    Preconditions.checkArgument(numLabels == 0 || numLabels >= 2, "task %s: numLabels must be 0 (regression) or >= 2", name);
    Preconditions.checkArgument(metric != null, "task %s: metric must not be null", name);
    Preconditions.checkArgument(metric.isRegression() == (numLabels == 0), "task %s: metric %s does not score a %s task", name,
        metric.id(), numLabels == 0 ? "regression" : "classification");
    Preconditions.checkArgument(metric != MetricKind.F1 || numLabels == 2,
        "task %s: metric f1 is the binary F1 of class 1 and needs 2 classes, not %s", name, numLabels);
    Preconditions.checkArgument(!train.isEmpty(), "task %s has no training examples", name);
    Preconditions.checkArgument(!dev.isEmpty(), "task %s has no evaluation examples", name);
    train = List.copyOf(train);
    dev = List.copyOf(dev);
    for (LabeledExample e : train) {
      Preconditions.checkArgument(numLabels == 0 || (e.label() >= 0 && e.label() < numLabels),
          "task %s: example %s has label %s outside 0..%s", name, e.id(), e.label(), numLabels - 1);
    }
  }

  public boolean isRegression() {
    return numLabels == 0;
  }

  /** Outputs of the task head. */
  public int outputs() {
    return isRegression() ? 1 : numLabels;
  }
}
