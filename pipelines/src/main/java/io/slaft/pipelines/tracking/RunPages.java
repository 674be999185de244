package io.slaft.pipelines.tracking;

import io.slaft.model.export.ExportManifest;
import io.slaft.model.train.ModuleGate;
import io.slaft.model.train.TaskResult;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.Provenance;
import io.slaft.transforms.sweep.SweepPoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a person reads on an MLflow run page, made in one place: the run name
 * ({@code SST-2 · sla λ=1 · seed 42}: task, method, the sweep's varied keys, seed), MLflow's standard
 * source tags, the note ({@code mlflow.note.content}: the learned structure, compression and the
 * command that reproduces the run) and the tags and Markdown description of a registered version.
 */
public final class RunPages {

  /** MLflow's tag for the run description shown on the run page. */
  public static final String NOTE_TAG = "mlflow.note.content";

  private static final Map<String, String> GLUE_NAMES = Map.of("sst2", "SST-2", "mrpc", "MRPC", "cola", "CoLA", "qnli",
      "QNLI", "rte", "RTE", "stsb", "STS-B", "qqp", "QQP", "mnli", "MNLI", "wnli", "WNLI");
  private static final Map<String, String> SHORT_KEYS = Map.of("sparsity.lambda", "λ", "optim.lr", "lr", "seed", "seed");

  private RunPages() {}

  /** {@code SST-2}, {@code CoLA}, … for GLUE tasks; a custom task's own name otherwise. */
  public static String taskTitle(String task) {
    return GLUE_NAMES.getOrDefault(task.toLowerCase(Locale.ROOT), task);
  }

  /** The child run's name: task · method and varied keys · seed. */
  public static String runName(String task, ExperimentConfig config, SweepPoint point) {
    StringBuilder b = new StringBuilder(taskTitle(task)).append(" · ").append(config.get(ConfigKeys.METHOD));
    point.overrides().forEach((k, v) -> {
      if (!k.equals("seed") && !k.equals(ConfigKeys.METHOD.key())) {
        b.append(' ').append(SHORT_KEYS.getOrDefault(k, k.substring(k.lastIndexOf('.') + 1))).append('=').append(v);
      }
    });
    return b.append(" · seed ").append(config.get(ConfigKeys.SEED)).toString();
  }

  /** MLflow's standard source tags: what ran, from which commit, as which user. */
  public static Map<String, String> sourceTags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("mlflow.source.name", "slaft " + Provenance.VERSION);
    tags.put("mlflow.source.type", "LOCAL");
    String commit = Provenance.currentCommit();
    if (!commit.equals("unknown")) {
      tags.put("mlflow.source.git.commit", commit.replace("-dirty", ""));
    }
    tags.put("mlflow.user", System.getProperty("user.name", "unknown"));
    return tags;
  }

  /** Digest of a task's learned structure (its active modules, their activation and width), 12 hex digits. */
  public static String structureDigest(TaskResult task) {
    return digest(task.structure().stream().filter(ModuleGate::active)
        .map(g -> g.module() + ':' + g.activation() + ':' + g.width()).toList());
  }

  /**
   * The same digest read from an export's manifest (its modules are the active ones): equal to
   * {@link #structureDigest(TaskResult)} of the result the export was made from.
   */
  public static String structureDigest(ExportManifest.TaskEntry task) {
    return digest(task.modules().stream().map(m -> m.module() + ':' + m.activation() + ':' + m.width()).toList());
  }

  private static String digest(List<String> modules) {
    StringBuilder b = new StringBuilder();
    modules.forEach(m -> b.append(m).append('\n'));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The run's note in Markdown: metrics, structure table, compression, and how to reproduce it. */
  public static String note(TaskResult task, ExperimentConfig config, Map<String, Object> record) {
    StringBuilder b = new StringBuilder(taskSection(task.task(), config.get(ConfigKeys.METHOD), task.metrics(),
        task.activeModules() + " of " + task.structure().size(), task.activeParams(), record.get("compression"),
        structureDigest(task), task.structure()));
    b.append("\nReproduce (the resolved config is this run's artifact `config.resolved.yaml`, commit ")
        .append(Provenance.currentCommit()).append("):\n\n```\n./slaft run --config config.resolved.yaml --out runs/")
        .append(config.get(ConfigKeys.NAME)).append("\n```\n");
    return b.toString();
  }

  /**
   * One task's part of a note or version description: heading (task — method, the method left out
   * when null), dev metrics, active modules, active parameters (with the compression when not null),
   * structure digest and the structure table.
   */
  static String taskSection(String task, String method, Map<String, Double> metrics, String activeModules, long activeParams,
      Object compression, String digest, List<ModuleGate> structure) {
    StringBuilder b = new StringBuilder();
    b.append("### ").append(taskTitle(task)).append(method == null ? "" : " — " + method).append("\n\n");
    metrics.forEach((k, v) -> b.append("- dev ").append(k).append(": ").append(String.format(Locale.ROOT, "%.4f", v)).append('\n'));
    b.append("- active modules: ").append(activeModules).append('\n');
    b.append("- active parameters: ").append(activeParams)
        .append(compression == null ? "" : " (compression " + compression + ")").append('\n');
    b.append("- structure digest: ").append(digest).append("\n\n");
    b.append(structureTable(structure));
    return b.toString();
  }

  /** Active modules by layer and site, as a Markdown table. */
  static String structureTable(List<ModuleGate> structure) {
    List<String> sites = structure.stream().map(ModuleGate::site).distinct().toList();
    List<Integer> layers = structure.stream().map(ModuleGate::layer).distinct().sorted().toList();
    StringBuilder b = new StringBuilder("| layer |");
    sites.forEach(s -> b.append(' ').append(s).append(" |"));
    b.append("\n|---|");
    sites.forEach(s -> b.append("---|"));
    b.append('\n');
    for (int layer : layers) {
      b.append("| ").append(layer).append(" |");
      for (String site : sites) {
        String cell = structure.stream().filter(g -> g.layer() == layer && g.site().equals(site)).findFirst()
            .map(g -> g.active() ? "✓ " + (g.activation() == null ? "" : g.activation()) : "·").orElse(" ");
        b.append(' ').append(cell.trim()).append(" |");
      }
      b.append('\n');
    }
    return b.toString();
  }

  /**
   * Tags of a registered version: the task as the config names it ({@code slaft.task}, as on the
   * run), method, sizes, structure digest, every dev metric and, when the run held a validation split
   * out, every validation metric.
   */
  public static Map<String, String> versionTags(String taskName, TaskResult task, ExperimentConfig config,
      Map<String, Object> record, SweepPoint point) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("slaft.task", taskName);
    tags.put("slaft.method", config.get(ConfigKeys.METHOD));
    tags.put("slaft.point", point.id());
    tags.put("slaft.seed", String.valueOf(config.get(ConfigKeys.SEED)));
    tags.put("slaft.active_params", String.valueOf(task.activeParams()));
    tags.put("slaft.compression", String.valueOf(record.get("compression")));
    tags.put("slaft.structure_digest", structureDigest(task));
    tags.putAll(metricTags(record, ""));
    return tags;
  }

  /**
   * A summary record's metrics as version tags: {@code dev_<prefix><metric>} from its {@code
   * metrics} and {@code validation_<prefix><metric>} from its {@code validation_metrics}, six
   * decimals. The one rule for in-run registration and {@code slaft export --register}.
   */
  static Map<String, String> metricTags(Map<String, Object> record, String prefix) {
    Map<String, String> tags = new LinkedHashMap<>();
    putMetrics(tags, "dev_" + prefix, record.get("metrics"));
    putMetrics(tags, "validation_" + prefix, record.get("validation_metrics"));
    return tags;
  }

  /** Each number of {@code metrics} (a record's metric map, or absent) as tag {@code <keyPrefix><metric>}, six decimals. */
  private static void putMetrics(Map<String, String> tags, String keyPrefix, Object metrics) {
    if (metrics instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        if (v instanceof Number n) {
          tags.put(keyPrefix + k, String.format(Locale.ROOT, "%.6f", n.doubleValue()));
        }
      });
    }
  }
}
