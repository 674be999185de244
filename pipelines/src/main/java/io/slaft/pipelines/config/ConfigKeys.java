package io.slaft.pipelines.config;

import io.slaft.pipelines.config.ConfigKey.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Every config key slaft understands, with type, default and allowed values. */
public final class ConfigKeys {
  private static final List<ConfigKey> KEYS = new ArrayList<>();
  private static final java.util.Set<String> HASHED_WHEN_SET = new java.util.HashSet<>();

  static {
    add("name", Type.STRING, "experiment", "Experiment name (MLflow experiment, output labels).");
    add("description", Type.STRING, "", "Free text.");
    add("seed", Type.INT, "42", "Seed of initialization, data order, task sampling and gate noise.");
    add("method", Type.STRING, "sla", "Training method.", "sla", "head-only", "bitfit", "houlsby", "pfeiffer", "parallel", "lora", "unipelt",
        "full-ft");
    add("backbone.name", Type.STRING, "minilm-l6", "Built-in backbone.", "minilm-l6", "bge-small");
    add("backbone.onnx", Type.STRING, "", "Any BERT-family ONNX export (overrides backbone.name).");
    add("backbone.tokenizer", Type.STRING, "", "tokenizer.json of backbone.onnx.");
    add("backbone.pooling", Type.STRING, "", "Sentence pooling (default: the backbone's own).", "", "cls", "mean");
    add("backbone.max_length", Type.INT, "128", "Truncation length in tokens.");
    add("tasks", Type.LIST, "sst2", "Tasks trained together over one shared adapter pool (GLUE names or task_defs names).");
    add("data.dir", Type.STRING, "", "Data root (default: $SLAFT_DATA or ../shared/datasets).");
    add("data.train_limit", Type.INT, "0", "Use the first N training rows of each task (0 = all).");
    add("data.dev_limit", Type.INT, "0", "Use the first N dev rows of each task (0 = all).");
    add("data.label_noise", Type.FLOAT, "0", "Fraction of training labels flipped (regression: score σ = ratio × range).");
    add("data.perturb_family", Type.STRING, "none", "Perturbation applied to every training example (data-perturbation study).",
        perturbFamilies());
    add("data.perturb_ratio", Type.FLOAT, "0", "Fraction of units (characters, words or tokens) changed by data.perturb_family.");
    add("data.max_dead_letter_fraction", Type.FLOAT, "0.01", "Fail when more than this fraction of rows are malformed.");
    add("task_defs.*.format", Type.STRING, "tsv", "Custom task file format.", "tsv", "csv", "jsonl");
    add("task_defs.*.train", Type.STRING, null, "Custom task training file (relative to data.dir or absolute).");
    add("task_defs.*.dev", Type.STRING, null, "Custom task dev file.");
    add("task_defs.*.header", Type.BOOL, "true", "Whether the file has a header row.");
    add("task_defs.*.columns", Type.INT, "0", "Number of columns (required when header is false).");
    add("task_defs.*.text", Type.STRING, "sentence", "Text column (name, or index when header=false).");
    add("task_defs.*.pair", Type.STRING, "", "Optional second-text column.");
    add("task_defs.*.label", Type.STRING, "label", "Label (or score) column.");
    add("task_defs.*.labels", Type.LIST, "", "Label values in class-index order (classification).");
    add("task_defs.*.regression", Type.LIST, "", "min,max of a regression score (instead of labels).");
    add("adapters.sites", Type.LIST, "attn,ffn,parallel,lora",
        "Insertion points of the search space; bias (gated BitFit deltas per layer) is opt-in.", "attn", "ffn", "parallel",
        "lora", "bias", "unipelt", "full-ft");
    add("adapters.layers", Type.LIST, "all", "Layers with adapters: all, or a list of indices.");
    add("adapters.bottleneck", Type.INT, "64", "Bottleneck width of series/parallel adapters.");
    add("adapters.lora_rank", Type.INT, "8", "LoRA rank.");
    add("adapters.lora_alpha", Type.FLOAT, "16", "LoRA scale numerator (update scaled by alpha/rank).");
    add("adapters.activations", Type.LIST, "relu,gelu,silu,identity", "Candidate activations mixed by softmax.", "relu", "gelu", "silu", "identity");
    add("adapters.channel_gates", Type.BOOL, "false", "Learn bottleneck widths with per-channel gates.");
    add("adapters.init_scale", Type.FLOAT, "0.02", "Std of down-projection / LoRA A initialization.");
    add("sparsity.gate", Type.STRING, "hard-concrete", "Gate family.", "sigmoid", "hard-concrete", "budget", "fixed");
    add("sparsity.lambda", Type.FLOAT, "1.0", "Sparsity weight λ of the size-weighted penalty.");
    add("sparsity.budget", Type.FLOAT, "0", "Target trainable params as a fraction of backbone params (gate=budget).");
    add("sparsity.warmup_steps", Type.INT, "0", "Steps with λ = 0.");
    add("sparsity.ramp_steps", Type.INT, "0", "Steps over which λ ramps up linearly after warm-up.");
    add("sparsity.temperature_start", Type.FLOAT, "1.0", "Initial gate temperature.");
    add("sparsity.temperature_end", Type.FLOAT, "1.0", "Final gate temperature (geometric annealing).");
    add("sparsity.init_logit", Type.FLOAT, "2.0", "Initial gate logit.");
    add("sparsity.threshold", Type.FLOAT, "0.5", "Gate value below which a module is removed.");
    add("optimizer.lr", Type.FLOAT, "1e-3", "Learning rate of adapter and head weights.");
    add("optimizer.backbone_lr", Type.FLOAT, "5e-5", "Learning rate of backbone tensors (method full-ft only).");
    add("optimizer.structure_lr", Type.FLOAT, "5e-2", "Learning rate of gate/activation/channel logits.");
    add("optimizer.weight_decay", Type.FLOAT, "0.01", "Decoupled weight decay (AdamW) of weight matrices.");
    add("optimizer.warmup_ratio", Type.FLOAT, "0.06", "Fraction of steps with linear learning-rate warm-up.");
    add("optimizer.clip_norm", Type.FLOAT, "1.0", "Global gradient-norm clipping.");
    add("train.steps", Type.INT, "400", "Training steps.");
    addLater("train.retrain_steps", Type.INT, "0", "After the search, re-train the discretized structure this many steps"
        + " (gates frozen, closed modules removed, argmax activations); learned-gate methods only; 0 = off.");
    add("train.batch_size", Type.INT, "32", "Examples per step.");
    add("train.eval_every", Type.INT, "100", "Evaluate on dev every N steps (0 = at the end only).");
    add("train.eval_batch_size", Type.INT, "64", "Examples per evaluation batch.");
    add("train.patience", Type.INT, "0", "Early stopping after N evaluations without improvement (0 = off).");
    add("train.checkpoint_every", Type.INT, "100", "Checkpoint every N steps (0 = off); a rerun resumes.");
    add("train.task_temperature", Type.FLOAT, "1.0", "Task sampling ∝ size^(1/T).");
    add("train.bucket_window", Type.INT, "8", "Length-bucketing window, in batches.");
    add("train.log_every", Type.INT, "20", "Progress line every N steps.");
    add("train.threads", Type.INT, "0", "TensorFlow intra-op threads (0 = one per core).");
    add("noise.site", Type.STRING, "none", "Training-time representation noise site.", "none", "embeddings", "hidden");
    add("noise.train_sigma", Type.FLOAT, "0", "Noise-injection ratio: σ relative to the tensor's std.");
    add("tracking.uri", Type.STRING, "auto", "MLflow tracking URI, 'auto' (local server if running, else spool) or 'none'.");
    add("tracking.experiment", Type.STRING, "", "MLflow experiment (default: name).");
    add("sweep.grid.*", Type.LIST, null, "Grid axis: sweep.grid.<key> = [v1, v2, ...] for any key above.");
    add("sweep.seeds", Type.LIST, "", "Seeds; each point runs once per seed.");
    add("sweep.random.*", Type.STRING, null, "Random axis: uniform(a,b) | loguniform(a,b) | choice(a,b,..).");
    add("sweep.samples", Type.INT, "0", "Random-search samples.");
    add("robustness.families", Type.LIST, "char-swap,char-delete,char-insert,char-keyboard,word-dropout,word-swap,word-duplicate,token-random,token-unk,token-mask,embedding-noise", "Perturbation families evaluated.");
    add("robustness.severities", Type.LIST, "0,0.05,0.10,0.15,0.20", "Severities (ratios) evaluated.");
    add("robustness.seed", Type.INT, "13", "Seed of the perturbations.");
    add("robustness.discrete", Type.BOOL, "false", "Evaluate the discretized structure (gates below threshold closed).");
  }

  private ConfigKeys() {}

  private static String[] perturbFamilies() {
    List<String> f = new ArrayList<>(List.of("none"));
    f.addAll(io.slaft.transforms.perturb.Perturbations.names());
    return f.toArray(String[]::new);
  }

  private static void add(String key, Type type, String def, String description, String... allowed) {
    KEYS.add(new ConfigKey(key, type, def, List.of(allowed), description));
  }

  /**
   * A key added after configs were first hashed: {@link ExperimentConfig#hash()} leaves it out
   * while it holds its default, so adding a knob does not change the hash (and invalidate step
   * caches, checkpoints and bench cells) of every config that does not use it. Register every new
   * key this way.
   */
  private static void addLater(String key, Type type, String def, String description, String... allowed) {
    add(key, type, def, description, allowed);
    HASHED_WHEN_SET.add(key);
  }

  /** Whether {@code key} counts in the config hash only when set away from its default. */
  public static boolean hashedOnlyWhenSet(String key) {
    return HASHED_WHEN_SET.contains(key);
  }

  public static List<ConfigKey> all() {
    return List.copyOf(KEYS);
  }

  /** The key definition matching {@code key}, or null. */
  public static ConfigKey find(String key) {
    for (ConfigKey k : KEYS) {
      if (k.matches(key)) {
        return k;
      }
    }
    return null;
  }

  /** Known keys closest to an unknown one, for "did you mean" messages. */
  public static List<String> closest(String key, int n) {
    return KEYS.stream().map(ConfigKey::key)
        .sorted(Comparator.comparingInt(k -> distance(k, key)))
        .limit(n).toList();
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
