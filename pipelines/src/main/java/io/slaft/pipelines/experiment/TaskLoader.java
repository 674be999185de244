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
import io.slaft.transforms.data.PreparedSplit;
import io.slaft.transforms.data.ReadReport;
import io.slaft.transforms.data.ReadResult;
import io.slaft.transforms.data.Split;
import io.slaft.transforms.data.TaskReader;
import io.slaft.transforms.data.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads, validates and tokenizes the config's tasks without Beam (the library path used by
 * {@code slaft train} and inside Beam training stages). Rows that fail validation become dead
 * letters; more than {@code data.max_dead_letter_fraction} of them fails with a message naming the
 * file.
 */
public final class TaskLoader {
  private TaskLoader() {}

  /** The task spec for a name: a {@code task_defs.<name>} entry or a built-in GLUE task. */
  public static TaskSpec spec(ExperimentConfig c, String name) {
    if (!c.has(ConfigKeys.TASK_TRAIN, name)) {
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
      throw new ConfigException(c.source() + ": " + ConfigKeys.TASK_LABELS.at(name) + " (class values) or "
          + ConfigKeys.TASK_REGRESSION.at(name) + " [min, max] is required");
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

  private static Column column(String v, boolean header) {
    if (!header || v.matches("\\d+")) {
      return Column.at(Integer.parseInt(v));
    }
    return Column.named(v);
  }

  /** Class names per task (spec name → labels in class-index order; empty for regression). */
  public static Map<String, List<String>> labelNames(ExperimentConfig c) {
    Map<String, List<String>> labels = new LinkedHashMap<>();
    for (String name : c.get(ConfigKeys.TASKS)) {
      TaskSpec spec = spec(c, name);
      labels.put(spec.name(), spec.target().isRegression() ? List.of() : spec.target().labels());
    }
    return labels;
  }

  /** Reads, validates and tokenizes every task of {@code c} from its raw files. */
  public static LoadedTasks load(ExperimentConfig c, Backbone backbone) {
    return load(c, backbone, null);
  }

  /**
   * Tokenizes every task of {@code c}; with {@code prepared} (whose read settings must be {@code c}'s,
   * see {@link PreparedData#covers}) the validated examples are read from the prepare stage's
   * files instead of the raw ones, with the reports and digests prepare recorded.
   */
  public static LoadedTasks load(ExperimentConfig c, Backbone backbone, PreparedData prepared) {
    DataRoot root = prepared != null ? null : dataRoot(c);
    List<TrainTask> tasks = new ArrayList<>();
    List<ReadReport> reports = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    Map<String, String> digests = new LinkedHashMap<>();
    DeadLetterPolicy policy = DeadLetterPolicy.maxFraction(c.get(ConfigKeys.DATA_MAX_DEAD_LETTER_FRACTION));
    for (String name : c.get(ConfigKeys.TASKS)) {
      TaskSpec spec = spec(c, name);
      ReadResult train;
      ReadResult dev;
      if (prepared != null) {
        train = PreparedSplit.read(PreparedSplit.file(prepared.dir(), name, Split.TRAIN));
        dev = PreparedSplit.read(PreparedSplit.file(prepared.dir(), name, Split.DEV));
        digests.put(name, prepared.digests().get(name));
      } else {
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
        policy.check(r.report());
      }
      boolean regression = spec.target().isRegression();
      int labels = regression ? 0 : spec.target().outputs();
      tasks.add(new TrainTask(spec.name(), labels, MetricKind.forTask(spec.name(), regression),
          TrainingDataNoise.apply(c, spec, train.examples(), backbone.tokenizer()),
          tokenize(dev.examples(), backbone.tokenizer())));
    }
    return new LoadedTasks(tasks, reports, dead, digests);
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
   * The raw dev examples of task {@code name}, read exactly as {@link #load} reads them (same data
   * root and {@code data.dev_limit}), so element i is the source of the task's i-th dev example.
   */
  public static List<Example> readDev(ExperimentConfig c, String name) {
    TaskReader reader = TaskReader.of(spec(c, name)).withDataRoot(dataRoot(c));
    int devLimit = c.get(ConfigKeys.DATA_DEV_LIMIT);
    return (devLimit > 0 ? reader.withLimit(devLimit) : reader).read(Split.DEV).examples();
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
