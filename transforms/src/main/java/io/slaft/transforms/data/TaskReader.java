package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads and validates task files without Beam, for the trainer library and tools. Uses the same
 * parser as {@link ReadTask}, so both produce identical examples and dead letters.
 *
 * <p>Immutable and thread-safe; each call opens its own stream. Rows come out in file order, and
 * with a limit the first {@code limit} rows (examples and dead letters together) are read.
 */
public final class TaskReader {
  private final TaskSpec spec;
  private final @Nullable DataRoot root;
  private final long limit;

  private TaskReader(TaskSpec spec, @Nullable DataRoot root, long limit) {
    this.spec = checkNotNull(spec, "spec");
    this.root = root;
    this.limit = limit;
  }

  /** A reader of {@code spec} whose data root is resolved by {@link DataRoot#resolve(String)}. */
  public static TaskReader of(TaskSpec spec) {
    return new TaskReader(spec, null, Long.MAX_VALUE);
  }

  /** Reads {@code split} of {@code spec} from the default data root, without a limit. */
  public static ReadResult read(TaskSpec spec, Split split) {
    return of(spec).read(split);
  }

  public TaskReader withDataRoot(DataRoot root) {
    return new TaskReader(spec, checkNotNull(root, "root"), limit);
  }

  /** A copy that reads at most the first {@code rows} rows of each file ({@code rows >= 0}). */
  public TaskReader withLimit(long rows) {
    checkArgument(rows >= 0, "the row limit must be >= 0, got %s", rows);
    return new TaskReader(spec, root, rows);
  }

  /**
   * The absolute path of {@code split}'s file.
   *
   * @throws TaskDataException naming the file, the task, the data root and the fix when the file
   *     does not exist
   */
  public Path locate(Split split) {
    return locate(spec, split, root == null ? DataRoot.resolve(null) : root);
  }

  static Path locate(TaskSpec spec, Split split, DataRoot root) {
    DataFile f = spec.file(split);
    Path p = root.resolveFile(f.path());
    if (!Files.isRegularFile(p)) {
      throw new TaskDataException(
          "task "
              + spec.name()
              + " "
              + split.lowerName()
              + ": data file "
              + p
              + " does not exist (data root "
              + root
              + "). Fix: pass --data-dir DIR or set "
              + DataRoot.ENV
              + "=DIR so that DIR/"
              + f.path()
              + " exists"
              + (Path.of(f.path()).isAbsolute() ? ", or correct the absolute path in the task spec." : "."));
    }
    return p;
  }

  /** Reads {@code split} into memory. */
  public ReadResult read(Split split) {
    List<Example> examples = new ArrayList<>();
    List<DeadLetter> deadLetters = new ArrayList<>();
    ReadReport report = stream(split, examples::add, deadLetters::add);
    return new ReadResult(examples, deadLetters, report);
  }

  /**
   * Streams {@code split} to the sinks in file order, on the calling thread.
   *
   * @throws TaskDataException when the file is missing, unreadable or its header lacks a column
   */
  public ReadReport stream(Split split, Consumer<Example> examples, Consumer<DeadLetter> deadLetters) {
    Path p = locate(split);
    try (InputStream in = Files.newInputStream(p)) {
      return parse(spec, split, p.toString(), limit, in, examples, deadLetters);
    } catch (IOException e) {
      throw new TaskDataException("task " + spec.name() + ": cannot read " + p + ": " + e, e);
    }
  }

  /**
   * The distinct label values of {@code split} for a task whose labels are to be inferred ({@link
   * Target#inferredLabels()}): the label text of every row that passes every check but the label's
   * (so a malformed row contributes none, and an empty label is none), within this reader's row
   * limit. Sorted numerically (ties in text order) when every value is a decimal number, else
   * lexicographically ({@link String#compareTo}): {@code 2, 10} but {@code ham, spam}.
   *
   * @throws IllegalStateException when the task's labels are not to be inferred
   * @throws TaskDataException when the file is missing, unreadable or its header lacks a column
   */
  public List<String> labelValues(Split split) {
    Set<String> values = new HashSet<>();
    Path p = locate(split);
    try (InputStream in = Files.newInputStream(p)) {
      new TaskParser(spec, split, p.toString(), limit).scanLabels(in, values::add);
    } catch (IOException e) {
      throw new TaskDataException("task " + spec.name() + ": cannot read " + p + ": " + e, e);
    }
    return inferredOrder(values);
  }

  /** {@code values} in {@link #labelValues} order. */
  static List<String> inferredOrder(Set<String> values) {
    List<String> sorted = new ArrayList<>(values);
    Map<String, BigDecimal> numbers = new HashMap<>();
    for (String v : sorted) {
      if (!TaskParser.Scores.isDecimal(v)) {
        numbers = null;
        break;
      }
      try {
        numbers.put(v, new BigDecimal(v));
      } catch (NumberFormatException e) {
        // an exponent beyond int range: not a number one sorts by
        numbers = null;
        break;
      }
    }
    if (numbers != null) {
      Map<String, BigDecimal> n = numbers;
      sorted.sort(Comparator.comparing((String v) -> n.get(v)).thenComparing(Comparator.naturalOrder()));
    } else {
      sorted.sort(Comparator.naturalOrder());
    }
    return sorted;
  }

  /**
   * Beam counter (namespace {@link ReadTask#METRICS_NAMESPACE}) of raw task files parsed, counted
   * when parsing runs inside a Beam step (a no-op elsewhere): a run's pipeline parses each task
   * split once.
   */
  public static final String RAW_FILE_READS = "raw_file_reads";

  /** Parses an already open stream; {@code fileName} is recorded in examples and dead letters. */
  static ReadReport parse(
      TaskSpec spec,
      Split split,
      String fileName,
      long limit,
      InputStream in,
      Consumer<Example> examples,
      Consumer<DeadLetter> deadLetters)
      throws IOException {
    org.apache.beam.sdk.metrics.Metrics.counter(ReadTask.METRICS_NAMESPACE, RAW_FILE_READS).inc();
    return new TaskParser(spec, split, fileName, limit).parse(in, examples, deadLetters);
  }
}
