package io.slaft.pipelines.experiment;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.eval.MetricKind;
import io.slaft.model.tokenize.TextTokenizer;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.TrainTask;
import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.robustness.TrainingDataNoise;
import io.slaft.transforms.cache.DataDigest;
import io.slaft.transforms.data.Column;
import io.slaft.transforms.data.ColumnMapping;
import io.slaft.transforms.data.DataFile;
import io.slaft.transforms.data.DataRoot;
import io.slaft.transforms.data.DeadLetter;
import io.slaft.transforms.data.DeadLetterPolicy;
import io.slaft.transforms.data.Example;
import io.slaft.transforms.data.GlueTasks;
import io.slaft.transforms.data.HeldOut;
import io.slaft.transforms.data.PreparedSplit;
import io.slaft.transforms.data.ReadReport;
import io.slaft.transforms.data.ReadResult;
import io.slaft.transforms.data.Split;
import io.slaft.transforms.data.TaskDataException;
import io.slaft.transforms.data.TaskReader;
import io.slaft.transforms.data.TaskSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads, validates and tokenizes the config's tasks without Beam (the library path used by
 * {@code slaft train} and inside Beam training stages). Rows that fail validation become dead
 * letters; more than {@code data.max_dead_letter_fraction} of them fails with a message naming the
 * file.
 */
public final class TaskLoader {
  private TaskLoader() {}

  /**
   * The task spec for a name, bound without reading any data: a {@code task_defs.<name>} entry or
   * a built-in GLUE task. A classification entry with empty {@code labels} gets labels to be
   * inferred from its training file ({@link #resolveLabels} fixes them). Its primary metric is
   * {@code task_defs.<name>.metric}, or the same default a GLUE task gets ({@link
   * io.slaft.model.eval.MetricKind#forTask}).
   *
   * @throws ConfigException naming the key: an unknown task, a metric that does not fit the task
   *     (a classification metric for a regression task or the reverse; f1 with other than two
   *     labels), a {@code task_defs} entry without {@code train}
   */
  public static TaskSpec spec(ExperimentConfig c, String name) {
    if (!c.has(ConfigKeys.TASK_TRAIN, name)) {
      if (c.has(ConfigKeys.TASK_METRIC, name)) {
        throw new ConfigException(c.source() + ": " + ConfigKeys.TASK_METRIC.at(name) + " is set but "
            + ConfigKeys.TASK_TRAIN.at(name) + " is not: a task_defs entry defines a whole task (train, dev, text, label,"
            + " labels, metric); built-in GLUE tasks keep their own metric");
      }
      try {
        return GlueTasks.spec(name);
      } catch (RuntimeException e) {
        throw new ConfigException(c.source() + ": tasks: unknown task '" + name + "'; built-in tasks are "
            + String.join(", ", GlueTasks.names()) + ", or define it under task_defs." + name + " (train, dev, text, label, labels)");
      }
    }
    boolean header = c.get(ConfigKeys.TASK_HEADER, name);
    Column text = column(c.get(ConfigKeys.TASK_TEXT, name), header);
    Column label = column(c.get(ConfigKeys.TASK_LABEL, name), header);
    String pair = c.get(ConfigKeys.TASK_PAIR, name);
    ColumnMapping cols = pair.isEmpty() ? ColumnMapping.of(text, label) : ColumnMapping.pair(text, column(pair, header), label);
    TaskSpec.Builder b = TaskSpec.builder(name);
    List<String> reg = c.get(ConfigKeys.TASK_REGRESSION, name);
    List<String> labels = c.get(ConfigKeys.TASK_LABELS, name);
    if (!reg.isEmpty()) {
      if (reg.size() != 2) {
        throw new ConfigException(c.source() + ": " + ConfigKeys.TASK_REGRESSION.at(name) + " must be [min, max], got " + reg);
      }
      b.regression(Double.parseDouble(reg.get(0)), Double.parseDouble(reg.get(1)));
    } else if (!labels.isEmpty()) {
      b.labels(labels.toArray(String[]::new));
    } else {
      b.inferLabels();
    }
    String metric = c.get(ConfigKeys.TASK_METRIC, name);
    if (!metric.isEmpty()) {
      MetricKind kind = MetricKind.of(metric);
      if (kind.isRegression() != !reg.isEmpty()) {
        throw new ConfigException(c.source() + ": " + ConfigKeys.TASK_METRIC.at(name) + ": '" + metric + "' scores "
            + (kind.isRegression() ? "regression" : "classification") + " tasks, but task_defs." + name + " is a "
            + (reg.isEmpty() ? "classification task (labels); use one of " + metricIds(false)
                + ", or set " + ConfigKeys.TASK_REGRESSION.at(name) + " [min, max]"
                : "regression task (" + ConfigKeys.TASK_REGRESSION.at(name) + " is set); use one of " + metricIds(true)));
      }
      if (kind == MetricKind.F1 && !labels.isEmpty() && labels.size() != 2) {
        throw new ConfigException(c.source() + ": " + ConfigKeys.TASK_METRIC.at(name) + ": 'f1' is the binary F1 of the"
            + " second label and needs exactly 2 labels, but " + ConfigKeys.TASK_LABELS.at(name) + " has " + labels.size()
            + " (" + String.join(", ", labels) + "); use macro-f1");
      }
      b.metric(kind);
    }
    for (Split s : new Split[] {Split.TRAIN, Split.DEV}) {
      String file = c.get(s == Split.TRAIN ? ConfigKeys.TASK_TRAIN : ConfigKeys.TASK_DEV, name);
      DataFile f = switch (c.get(ConfigKeys.TASK_FORMAT, name)) {
        case "csv" -> DataFile.csv(file, cols);
        case "jsonl" -> DataFile.jsonl(file, cols);
        default -> DataFile.tsv(file, cols);
      };
      if (!header && c.get(ConfigKeys.TASK_COLUMNS, name) <= 0) {
        throw new ConfigException(c.source() + ": " + ConfigKeys.TASK_COLUMNS.at(name)
            + " (the number of columns) is required when " + ConfigKeys.TASK_HEADER.at(name) + " is false");
      }
      b.file(s, header ? f : f.withoutHeader(c.get(ConfigKeys.TASK_COLUMNS, name)));
    }
    return b.build();
  }

  private static String metricIds(boolean regression) {
    return Arrays.stream(MetricKind.values()).filter(k -> k.isRegression() == regression).map(MetricKind::id)
        .collect(Collectors.joining(", "));
  }

  private static Column column(String v, boolean header) {
    if (!header || v.matches("\\d+")) {
      return Column.at(Integer.parseInt(v));
    }
    return Column.named(v);
  }

  /**
   * {@code spec} with its labels fixed: as it is unless its labels are to be inferred; then the
   * distinct label values of its whole training file (rows that pass every other check;
   * {@code data.train_limit} does not apply, so a limited run has the full run's classes), sorted
   * numerically when all are numbers, else lexicographically ({@link TaskReader#labelValues}),
   * reported to {@code inferred}. Reads the training file only in that case.
   *
   * @throws TaskDataException when the file is missing, or holds fewer than two distinct labels
   * @throws ConfigException when the metric is f1 and there are not exactly two labels
   */
  public static TaskSpec resolveLabels(ExperimentConfig c, TaskSpec spec, DataRoot root, Consumer<InferredLabels> inferred) {
    if (!spec.target().isInferred()) {
      return spec;
    }
    TaskReader reader = TaskReader.of(spec).withDataRoot(root);
    String file = reader.locate(Split.TRAIN).toString();
    List<String> labels = reader.labelValues(Split.TRAIN);
    String name = spec.name();
    if (labels.size() < 2) {
      throw new TaskDataException("task " + name + ": " + ConfigKeys.TASK_LABELS.at(name) + " is empty, so the labels are"
          + " inferred from " + file + ", but its valid rows hold " + (labels.isEmpty() ? "no label" : "only the label '"
          + labels.get(0) + "'") + "; a classification task needs at least 2. Fix: check that " + ConfigKeys.TASK_LABEL.at(name)
          + " names the label column, or list the labels in " + ConfigKeys.TASK_LABELS.at(name));
    }
    if (spec.metric() == MetricKind.F1 && labels.size() != 2) {
      throw new ConfigException(c.source() + ": " + ConfigKeys.TASK_METRIC.at(name) + ": 'f1' is the binary F1 of the"
          + " second label and needs exactly 2 labels, but the labels inferred from " + file + " are " + labels.size()
          + " (" + clip(labels) + "); use macro-f1");
    }
    TaskSpec fixed = spec.withLabels(labels);
    inferred.accept(new InferredLabels(name, file, labels));
    return fixed;
  }

  private static String clip(List<String> labels) {
    return labels.size() <= 20 ? String.join(", ", labels) : String.join(", ", labels.subList(0, 20)) + ", ...";
  }

  /** Reads, validates and tokenizes every task of {@code c} from its raw files, printing what it read to stderr. */
  public static LoadedTasks load(ExperimentConfig c, Backbone backbone) {
    return load(c, backbone, null, System.err::println);
  }

  /**
   * Tokenizes every task of {@code c}; with {@code prepared} (whose read settings must be {@code c}'s,
   * see {@link PreparedData#covers}) the validated examples are read from the prepare stage's
   * files instead of the raw ones, with the specs, reports and digests prepare recorded. Reading
   * raw files, it sends {@code log} each task's inferred labels ({@link InferredLabels#message()})
   * and, after each split, its data line ({@link ConsoleProgress#dataLine}: rows = examples + dead
   * letters) before the dead-letter limit is checked; from {@code prepared}, nothing (prepare
   * printed them).
   */
  public static LoadedTasks load(ExperimentConfig c, Backbone backbone, PreparedData prepared, Consumer<String> log) {
    DataRoot root = prepared != null ? null : dataRoot(c);
    List<TrainTask> tasks = new ArrayList<>();
    List<TaskSpec> specs = new ArrayList<>();
    List<InferredLabels> inferred = new ArrayList<>();
    List<ReadReport> reports = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    Map<String, String> digests = new LinkedHashMap<>();
    DeadLetterPolicy policy = DeadLetterPolicy.maxFraction(c.get(ConfigKeys.DATA_MAX_DEAD_LETTER_FRACTION));
    for (String name : c.get(ConfigKeys.TASKS)) {
      TaskSpec spec;
      ReadResult train;
      ReadResult dev;
      if (prepared != null) {
        spec = prepared.spec(name);
        prepared.inferredLabels().stream().filter(l -> l.task().equals(name)).forEach(inferred::add);
        train = PreparedSplit.read(PreparedSplit.file(prepared.dir(), name, Split.TRAIN));
        dev = PreparedSplit.read(PreparedSplit.file(prepared.dir(), name, Split.DEV));
        digests.put(name, prepared.digests().get(name));
      } else {
        spec = resolveLabels(c, spec(c, name), root, l -> {
          inferred.add(l);
          log.accept(l.message());
        });
        TaskReader reader = TaskReader.of(spec).withDataRoot(root);
        int trainLimit = c.get(ConfigKeys.DATA_TRAIN_LIMIT);
        int devLimit = c.get(ConfigKeys.DATA_DEV_LIMIT);
        train = (trainLimit > 0 ? reader.withLimit(trainLimit) : reader).read(Split.TRAIN);
        dev = (devLimit > 0 ? reader.withLimit(devLimit) : reader).read(Split.DEV);
        digests.put(name, digest(c, name, root));
      }
      for (ReadResult r : List.of(train, dev)) {
        reports.add(r.report());
        dead.addAll(r.deadLetters());
        if (prepared == null) {
          log.accept(ConsoleProgress.dataLine(r.report()));
        }
        policy.check(r.report());
      }
      boolean regression = spec.target().isRegression();
      int labels = regression ? 0 : spec.target().outputs();
      specs.add(spec);
      List<Example> rows = sample(c, spec, train.examples(), log);
      HeldOut.Parts parts = holdOut(c, spec, rows);
      if (parts.validation().size() > 0) {
        log.accept(validationLine(c, spec.name(), rows.size(), parts));
      }
      tasks.add(new TrainTask(spec.name(), labels, spec.metric(),
          TrainingDataNoise.apply(c, spec, parts.train(), backbone.tokenizer()),
          tokenize(dev.examples(), backbone.tokenizer()), tokenize(parts.validation(), backbone.tokenizer())));
    }
    return new LoadedTasks(tasks, specs, inferred, reports, dead, digests);
  }

  /**
   * {@code train}, or with {@code data.train_sample} N a seeded sample of N of its rows ({@link
   * HeldOut#sample}, seed {@code data.train_sample_seed}), reported to {@code log} when it drops rows.
   */
  public static List<Example> sample(ExperimentConfig c, TaskSpec spec, List<Example> train, Consumer<String> log) {
    int n = c.get(ConfigKeys.DATA_TRAIN_SAMPLE);
    if (n == 0 || train.size() <= n) {
      return train;
    }
    List<Example> kept = HeldOut.sample(train, n, c.get(ConfigKeys.DATA_TRAIN_SAMPLE_SEED));
    log.accept(String.format(java.util.Locale.ROOT, "[data] %s train sample: %d of %d training rows (%s %d, seed %d)",
        spec.name(), kept.size(), train.size(), ConfigKeys.DATA_TRAIN_SAMPLE.key(), n, c.get(ConfigKeys.DATA_TRAIN_SAMPLE_SEED)));
    return kept;
  }

  /**
   * {@code train} split into the rows trained on and the validation rows held out of them, by
   * {@code data.validation} (fraction), {@code data.validation_max} and {@code data.validation_seed}
   * ({@link HeldOut}); with {@code data.validation} 0, all of {@code train} and no validation. The
   * held-out rows are clean: training-data noise ({@code data.label_noise}, {@code data.perturb_*})
   * applies only to the rows trained on.
   *
   * @throws TaskDataException when the task has fewer than two training rows to split
   */
  public static HeldOut.Parts holdOut(ExperimentConfig c, TaskSpec spec, List<Example> train) {
    float fraction = c.get(ConfigKeys.DATA_VALIDATION);
    if (fraction == 0f) {
      return new HeldOut.Parts(train, List.of());
    }
    try {
      return HeldOut.split(train, fraction, c.get(ConfigKeys.DATA_VALIDATION_MAX), c.get(ConfigKeys.DATA_VALIDATION_SEED));
    } catch (IllegalArgumentException e) {
      throw new TaskDataException("task " + spec.name() + ": " + ConfigKeys.DATA_VALIDATION.key() + " " + fraction + ": "
          + e.getMessage() + ". Fix: give the task more training rows (data.train_limit), or set "
          + ConfigKeys.DATA_VALIDATION.key() + " 0");
    }
  }

  /** {@code [data] SST-2 validation: 100 of 1000 training rows held out (stratified, seed 1, cap 1000); 900 trained on}. */
  static String validationLine(ExperimentConfig c, String task, int trainRows, HeldOut.Parts parts) {
    return String.format(java.util.Locale.ROOT, "[data] %s validation: %d of %d training rows held out (%s %s, seed %d,"
        + " cap %d); %d trained on", task, parts.validation().size(), trainRows, ConfigKeys.DATA_VALIDATION.key(),
        c.get(ConfigKeys.DATA_VALIDATION), c.get(ConfigKeys.DATA_VALIDATION_SEED), c.get(ConfigKeys.DATA_VALIDATION_MAX),
        parts.train().size());
  }

  /** The data root of {@code c} ({@code data.dir}, else {@code $SLAFT_DATA}, else {@code shared/datasets} above). */
  public static DataRoot dataRoot(ExperimentConfig c) {
    return DataRoot.resolve(c.get(ConfigKeys.DATA_DIR).isEmpty() ? null : c.get(ConfigKeys.DATA_DIR));
  }

  /** The provenance digest of task {@code name}: SHA-256 of its train and dev files, plus the row limits. */
  public static String digest(ExperimentConfig c, String name, DataRoot root) {
    TaskReader reader = TaskReader.of(spec(c, name)).withDataRoot(root);
    int trainLimit = c.get(ConfigKeys.DATA_TRAIN_LIMIT);
    int devLimit = c.get(ConfigKeys.DATA_DEV_LIMIT);
    return DataDigest.of(reader.locate(Split.TRAIN), reader.locate(Split.DEV)).shortHex()
        + (trainLimit > 0 || devLimit > 0 ? "@train" + trainLimit + "/dev" + devLimit : "");
  }

  /**
   * What decides which rows are read (tasks, their definitions, the data root, the row limits), as
   * one string: two configs with the same read settings read the same examples.
   */
  public static String readSettings(ExperimentConfig c) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : c.resolved().entrySet()) {
      String k = e.getKey();
      if (k.equals(ConfigKeys.TASKS.key()) || k.equals(ConfigKeys.DATA_DIR.key()) || k.equals(ConfigKeys.DATA_TRAIN_LIMIT.key())
          || k.equals(ConfigKeys.DATA_DEV_LIMIT.key()) || k.startsWith("task_defs.")) {
        b.append(k).append('=').append(e.getValue()).append('\n');
      }
    }
    return b.toString();
  }

  /**
   * The raw dev examples of {@code spec} (one of {@link LoadedTasks#specs()}, its labels fixed),
   * read exactly as {@link #load} reads them (same data root and {@code data.dev_limit}), so
   * element i is the source of the task's i-th dev example.
   */
  public static List<Example> readDev(ExperimentConfig c, TaskSpec spec) {
    TaskReader reader = TaskReader.of(spec).withDataRoot(dataRoot(c));
    int devLimit = c.get(ConfigKeys.DATA_DEV_LIMIT);
    return (devLimit > 0 ? reader.withLimit(devLimit) : reader).read(Split.DEV).examples();
  }

  /**
   * The raw rows of {@code spec}'s validation split exactly as {@link #load} holds them out of the training rows
   * (same limit, sample and seed, in the same order as the task's tokenized {@code validation}); empty with
   * {@code data.validation} 0.
   */
  public static List<Example> readValidation(ExperimentConfig c, TaskSpec spec) {
    TaskReader reader = TaskReader.of(spec).withDataRoot(dataRoot(c));
    int trainLimit = c.get(ConfigKeys.DATA_TRAIN_LIMIT);
    List<Example> train = (trainLimit > 0 ? reader.withLimit(trainLimit) : reader).read(Split.TRAIN).examples();
    return holdOut(c, spec, sample(c, spec, train, s -> {})).validation();
  }

  /** Tokenizes examples in order; the example's line number is its id. */
  public static List<LabeledExample> tokenize(List<Example> examples, TextTokenizer tok) {
    List<LabeledExample> out = new ArrayList<>(examples.size());
    for (Example e : examples) {
      var enc = tok.encode(e.text(), e.textPair().orElse(null));
      out.add(e.isRegression()
          ? new LabeledExample(e.line(), enc, -1, e.score())
          : new LabeledExample(e.line(), enc, e.label(), 0f));
    }
    return out;
  }
}
