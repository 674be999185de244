package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import io.slaft.model.eval.MetricKind;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Describes a task's data: its name, what it predicts ({@link Target}), the primary metric it is
 * scored by ({@link MetricKind}) and one {@link DataFile} per split. Immutable and validated at
 * {@link Builder#build()}: the metric fits the target (a regression metric exactly for a regression
 * target; {@link MetricKind#F1}, the binary F1 of the second label, only with two labels). Built-in
 * GLUE specs come from {@link GlueTasks}.
 */
public final class TaskSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final String name;
  private final Target target;
  private final MetricKind metric;
  private final EnumMap<Split, DataFile> files;

  private TaskSpec(String name, Target target, MetricKind metric, EnumMap<Split, DataFile> files) {
    this.name = name;
    this.target = target;
    this.metric = metric;
    this.files = files;
    checkState(metric.isRegression() == target.isRegression(), "task %s: metric %s scores %s tasks, but the task is a %s task",
        name, metric.id(), metric.isRegression() ? "regression" : "classification",
        target.isRegression() ? "regression" : "classification");
    checkState(metric != MetricKind.F1 || target.isInferred() || target.labels().size() == 2,
        "task %s: metric f1 is the binary F1 of the second label and needs exactly 2 labels, not %s (%s); use macro-f1",
        name, target.labels().size(), target.labels());
  }

  /** Starts a spec for task {@code name} (letters, digits, {@code . _ -}; starts alphanumeric). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public Target target() {
    return target;
  }

  /** The primary metric the task is scored by. */
  public MetricKind metric() {
    return metric;
  }

  /**
   * A copy whose {@link Target#inferredLabels() inferred} target is fixed to classification over
   * {@code labels} (see {@link Target#labels}).
   *
   * @throws IllegalStateException when this spec's labels are not to be inferred, or the metric
   *     does not fit the labels (f1 with other than two)
   * @throws IllegalArgumentException when the labels are not a valid label set
   */
  public TaskSpec withLabels(List<String> labels) {
    checkState(target.isInferred(), "task %s: its target %s is not to be inferred", name, target);
    return new TaskSpec(name, Target.labels(labels.toArray(String[]::new)), metric, files);
  }

  /** The splits this task has files for, in {@link Split} order. */
  public Set<Split> splits() {
    return Collections.unmodifiableSet(files.keySet());
  }

  /**
   * The file of {@code split}.
   *
   * @throws IllegalArgumentException naming the available splits when this task has no such split
   */
  public DataFile file(Split split) {
    DataFile f = files.get(split);
    if (f == null) {
      throw new IllegalArgumentException(
          "task " + name + " has no " + split.lowerName() + " split; it has " + files.keySet());
    }
    return f;
  }

  /**
   * This task reading {@code path} as its {@link Split#TEST} split for prediction: the training file's
   * columns without the label ({@link DataFile#forPrediction}).
   */
  public TaskSpec forPrediction(String path) {
    return withFile(Split.TEST, file(Split.TRAIN).forPrediction(path));
  }

  /** A copy whose files for the given splits are replaced or added. */
  public TaskSpec withFile(Split split, DataFile file) {
    EnumMap<Split, DataFile> copy = new EnumMap<>(files);
    copy.put(checkNotNull(split, "split"), checkNotNull(file, "file"));
    return new TaskSpec(name, target, metric, copy);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof TaskSpec)) {
      return false;
    }
    TaskSpec t = (TaskSpec) o;
    return name.equals(t.name) && target.equals(t.target) && metric == t.metric && files.equals(t.files);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, target, metric.id(), files);
  }

  @Override
  public String toString() {
    return "TaskSpec{" + name + " " + target + " " + metric.id() + " " + files + "}";
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private final String name;
    private @Nullable Target target;
    private @Nullable MetricKind metric;
    private final EnumMap<Split, DataFile> files = new EnumMap<>(Split.class);

    private Builder(String name) {
      checkArgument(
          name != null && NAME.matcher(name).matches(),
          "task name '%s' must match %s (letters, digits, '.', '_', '-')",
          name,
          NAME);
      this.name = name;
    }

    /** Classification over {@code labels} (see {@link Target#labels}). */
    public Builder labels(String... labels) {
      return target(Target.labels(labels));
    }

    /** Regression with scores in {@code [min, max]}. */
    public Builder regression(double min, double max) {
      return target(Target.regression(min, max));
    }

    /** Classification over the training file's distinct label values (see {@link Target#inferredLabels()}). */
    public Builder inferLabels() {
      return target(Target.inferredLabels());
    }

    public Builder target(Target target) {
      checkState(this.target == null, "task %s: the target is already set to %s", name, this.target);
      this.target = checkNotNull(target, "target");
      return this;
    }

    /**
     * The primary metric; without one, the GLUE convention for the task's name ({@link
     * MetricKind#forTask}).
     */
    public Builder metric(MetricKind metric) {
      this.metric = checkNotNull(metric, "metric");
      return this;
    }

    /** Sets the file of {@code split}; each split may be set once. */
    public Builder file(Split split, DataFile file) {
      checkNotNull(split, "split");
      checkNotNull(file, "file");
      checkArgument(
          !files.containsKey(split), "task %s: the %s split is already set", name, split.lowerName());
      files.put(split, file);
      return this;
    }

    /**
     * @throws IllegalStateException when the target or every file is missing, or the metric does
     *     not fit the target
     */
    public TaskSpec build() {
      checkState(
          target != null, "task %s needs a target: call labels(..) or regression(min, max)", name);
      checkState(!files.isEmpty(), "task %s needs at least one file: call file(split, DataFile)", name);
      return new TaskSpec(name, target, metric != null ? metric : MetricKind.forTask(name, target.isRegression()),
          new EnumMap<>(files));
    }
  }

  Map<Split, DataFile> files() {
    return Collections.unmodifiableMap(files);
  }
}
