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
 * @param dev the reported evaluation examples (the official dev set): with {@code validation}, evaluated
 *     once, on the model chosen on validation; without it, also the examples every choice is made on
 * @param validation examples held out from the training rows on which the trainer makes every choice
 *     (evaluations during training, best step, early stopping); empty when none were held out
 */
public record TrainTask(String name, int numLabels, MetricKind metric, List<LabeledExample> train, List<LabeledExample> dev,
    List<LabeledExample> validation) {
  /** Name of the split choices are made on when a task holds validation examples out of its training rows. */
  public static final String VALIDATION = "validation";
  /** Name of the split choices are made on when it does not: the reported dev set itself. */
  public static final String DEV = "dev";

  /** A task without held-out validation examples: every choice is made on {@code dev}. */
  public TrainTask(String name, int numLabels, MetricKind metric, List<LabeledExample> train, List<LabeledExample> dev) {
    this(name, numLabels, metric, train, dev, List.of());
  }

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
    validation = validation == null ? List.of() : List.copyOf(validation);
    for (LabeledExample e : train) {
      Preconditions.checkArgument(numLabels == 0 || (e.label() >= 0 && e.label() < numLabels),
          "task %s: example %s has label %s outside 0..%s", name, e.id(), e.label(), numLabels - 1);
    }
  }

  /** The examples every choice during training is made on: {@link #validation()} when held out, else {@link #dev()}. */
  public List<LabeledExample> selection() {
    return validation.isEmpty() ? dev : validation;
  }

  /** {@link #VALIDATION} or {@link #DEV}: the split {@link #selection()} is. */
  public String selectionSplit() {
    return validation.isEmpty() ? DEV : VALIDATION;
  }

  /**
   * The dev metrics of the trivial predictor fitted on the training rows, the floor every method
   * must clear: each dev example gets the training rows' most frequent class (ties: the lowest
   * class index); for regression a constant (their mean), whose correlations are 0 by definition.
   * Same keys, in the same order, as the task's own metrics.
   */
  public java.util.Map<String, Double> trivialMetrics() {
    if (isRegression()) {
      java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
      m.put(metric.id(), 0.0);
      m.put((metric == MetricKind.SPEARMAN ? MetricKind.PEARSON : MetricKind.SPEARMAN).id(), 0.0);
      return m;
    }
    int[] counts = new int[numLabels];
    for (LabeledExample e : train) {
      counts[e.label()]++;
    }
    int majority = 0;
    for (int k = 1; k < numLabels; k++) {
      majority = counts[k] > counts[majority] ? k : majority;
    }
    int[] pred = new int[dev.size()];
    java.util.Arrays.fill(pred, majority);
    int[] gold = dev.stream().mapToInt(LabeledExample::label).toArray();
    return io.slaft.model.eval.GlueMetrics.classification(metric, pred, gold);
  }

  public boolean isRegression() {
    return numLabels == 0;
  }

  /** Outputs of the task head. */
  public int outputs() {
    return isRegression() ? 1 : numLabels;
  }
}
