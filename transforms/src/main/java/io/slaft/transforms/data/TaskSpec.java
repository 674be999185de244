package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Describes a task's data: its name, what it predicts ({@link Target}) and one {@link DataFile} per
 * split. Immutable and validated at {@link Builder#build()}. Built-in GLUE specs come from {@link
 * GlueTasks}.
 */
public final class TaskSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final String name;
  private final Target target;
  private final EnumMap<Split, DataFile> files;

  private TaskSpec(String name, Target target, EnumMap<Split, DataFile> files) {
    this.name = name;
    this.target = target;
    this.files = files;
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

  /** A copy whose files for the given splits are replaced or added. */
  public TaskSpec withFile(Split split, DataFile file) {
    EnumMap<Split, DataFile> copy = new EnumMap<>(files);
    copy.put(checkNotNull(split, "split"), checkNotNull(file, "file"));
    return new TaskSpec(name, target, copy);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof TaskSpec)) {
      return false;
    }
    TaskSpec t = (TaskSpec) o;
    return name.equals(t.name) && target.equals(t.target) && files.equals(t.files);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, target, files);
  }

  @Override
  public String toString() {
    return "TaskSpec{" + name + " " + target + " " + files + "}";
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private final String name;
    private @Nullable Target target;
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

    public Builder target(Target target) {
      checkState(this.target == null, "task %s: the target is already set to %s", name, this.target);
      this.target = checkNotNull(target, "target");
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
     * @throws IllegalStateException when the target or every file is missing
     */
    public TaskSpec build() {
      checkState(
          target != null, "task %s needs a target: call labels(..) or regression(min, max)", name);
      checkState(!files.isEmpty(), "task %s needs at least one file: call file(split, DataFile)", name);
      return new TaskSpec(name, target, new EnumMap<>(files));
    }
  }

  Map<Split, DataFile> files() {
    return Collections.unmodifiableMap(files);
  }
}
