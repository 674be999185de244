package io.slaft.pipelines.config;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.Method;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.Site;
import io.slaft.model.backbone.BuiltinBackbone;
import io.slaft.model.backbone.Pooling;
import io.slaft.model.eval.MetricKind;
import io.slaft.model.train.NoiseSite;
import io.slaft.pipelines.config.ConfigKey.Type;
import io.slaft.transforms.data.Target;
import io.slaft.transforms.perturb.Perturbation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every config key slaft understands, each declared once here with its type, default, range and
 * allowed values (taken from the model library's enums where there is one), and read everywhere
 * through these constants with {@link ExperimentConfig#get(ConfigKey)}. A new key is added with
 * {@link ConfigKey#hashedOnlyWhenSet()} so existing configs keep their hash.
 */
public final class ConfigKeys {
  private static final List<ConfigKey<?>> KEYS = new ArrayList<>();

  public static final ConfigKey<String> NAME = add(ConfigKey.string("name", "experiment", "Experiment name (MLflow experiment, output labels)."));
  public static final ConfigKey<String> DESCRIPTION = add(ConfigKey.string("description", "", "Free text."));
  public static final ConfigKey<Integer> SEED = add(ConfigKey.integer("seed", "42",
      "Seed of initialization, data order, task sampling and gate noise."));
  public static final ConfigKey<String> METHOD = add(ConfigKey.string("method", "sla", "Training method.",
      ids(Method.values(), Method::id)));

  public static final ConfigKey<String> BACKBONE_NAME = add(ConfigKey.string("backbone.name", "minilm-l6", "Built-in backbone.",
      ids(BuiltinBackbone.values(), BuiltinBackbone::id)));
  public static final ConfigKey<String> BACKBONE_ONNX = add(ConfigKey.string("backbone.onnx", "",
      "Any BERT-family ONNX export (overrides backbone.name)."));
  public static final ConfigKey<String> BACKBONE_TOKENIZER = add(ConfigKey.string("backbone.tokenizer", "", "tokenizer.json of backbone.onnx."));
  public static final ConfigKey<String> BACKBONE_POOLING = add(ConfigKey.string("backbone.pooling", "",
      "Sentence pooling (default: the backbone's own).", withEmpty(ids(Pooling.values(), ConfigKeys::lower))));
  public static final ConfigKey<Integer> BACKBONE_MAX_LENGTH = add(ConfigKey.integer("backbone.max_length", "128",
      "Truncation length in tokens.").atLeast(3));
  public static final ConfigKey<String> BACKBONE_PRECISION = add(ConfigKey.string("backbone.precision", "fp32",
      "Precision of the frozen backbone's matmuls: fp32; bf16 (rounded inputs and weights, fp32 accumulation; "
          + "adapters, gates, head and optimizer stay fp32); auto = bf16 where the CPU has avx512_bf16 or amx_bf16, "
          + "else fp32. fp32 by default: the same metrics on every CPU.",
      io.slaft.model.backbone.Precision.settings().toArray(String[]::new)).hashedOnlyWhenSet());

  public static final ConfigKey<List<String>> TASKS = add(ConfigKey.list("tasks", "sst2",
      "Tasks trained together over one shared adapter pool (GLUE names or task_defs names)."));
  public static final ConfigKey<String> DATA_DIR = add(ConfigKey.string("data.dir", "", "Data root (default: $SLAFT_DATA or ../shared/datasets)."));
  public static final ConfigKey<Integer> DATA_TRAIN_LIMIT = add(ConfigKey.integer("data.train_limit", "0",
      "Use the first N training rows of each task (0 = all).").atLeast(0));
  public static final ConfigKey<Integer> DATA_DEV_LIMIT = add(ConfigKey.integer("data.dev_limit", "0",
      "Use the first N dev rows of each task (0 = all).").atLeast(0));
  public static final ConfigKey<Integer> DATA_TRAIN_SAMPLE = add(ConfigKey.integer("data.train_sample", "0",
      "Train on a seeded random sample of N of each task's training rows (after data.train_limit, before data.validation"
          + " holds its rows out; a task with no more rows keeps all). 0 = all rows.").atLeast(0).hashedOnlyWhenSet());
  public static final ConfigKey<Integer> DATA_TRAIN_SAMPLE_SEED = add(ConfigKey.integer("data.train_sample_seed", "1",
      "Seed of data.train_sample.").hashedOnlyWhenSet());
  public static final ConfigKey<Float> DATA_VALIDATION = add(ConfigKey.real("data.validation", "0",
      "Fraction of each task's training rows held out as its validation split (stratified by label or score, seeded):"
          + " evaluations during training, the best step and early stopping use it, and the dev set is evaluated once,"
          + " at the end, on the chosen model. 0 = no validation split: choices are made on dev (summary selected_on: dev).")
      .atLeast(0).below(1).hashedOnlyWhenSet());
  public static final ConfigKey<Integer> DATA_VALIDATION_MAX = add(ConfigKey.integer("data.validation_max", "1000",
      "At most this many validation rows per task (data.validation's fraction is capped at it).").atLeast(1)
      .hashedOnlyWhenSet());
  public static final ConfigKey<Integer> DATA_VALIDATION_SEED = add(ConfigKey.integer("data.validation_seed", "1",
      "Seed of the validation split; apart from train.seed, so a sweep over seeds keeps one validation split.")
      .hashedOnlyWhenSet());
  public static final ConfigKey<Float> DATA_LABEL_NOISE = add(ConfigKey.real("data.label_noise", "0",
      "Fraction of training labels flipped (regression: score σ = ratio × range).").atLeast(0).atMost(1));
  public static final ConfigKey<String> DATA_PERTURB_FAMILY = add(ConfigKey.string("data.perturb_family", "none",
      "Perturbation applied to every training example (data-perturbation study).", perturbFamilies()));
  public static final ConfigKey<Float> DATA_PERTURB_RATIO = add(ConfigKey.real("data.perturb_ratio", "0",
      "Fraction of units (characters, words or tokens) changed by data.perturb_family.").atLeast(0).atMost(1));
  public static final ConfigKey<Float> DATA_MAX_DEAD_LETTER_FRACTION = add(ConfigKey.real("data.max_dead_letter_fraction", "0.01",
      "Fail when more than this fraction of rows are malformed.").atLeast(0).atMost(1));

  public static final ConfigKey<String> TASK_FORMAT = add(ConfigKey.string("task_defs.*.format", "tsv", "Custom task file format.",
      "tsv", "csv", "jsonl"));
  public static final ConfigKey<String> TASK_TRAIN = add(ConfigKey.string("task_defs.*.train", null,
      "Custom task training file (relative to data.dir or absolute)."));
  public static final ConfigKey<String> TASK_DEV = add(ConfigKey.string("task_defs.*.dev", null, "Custom task dev file."));
  public static final ConfigKey<Boolean> TASK_HEADER = add(ConfigKey.bool("task_defs.*.header", "true", "Whether the file has a header row."));
  public static final ConfigKey<Integer> TASK_COLUMNS = add(ConfigKey.integer("task_defs.*.columns", "0",
      "Number of columns (required when header is false).").atLeast(0));
  public static final ConfigKey<String> TASK_TEXT = add(ConfigKey.string("task_defs.*.text", "sentence",
      "Text column (name, or index when header=false)."));
  public static final ConfigKey<String> TASK_PAIR = add(ConfigKey.string("task_defs.*.pair", "", "Optional second-text column."));
  public static final ConfigKey<String> TASK_LABEL = add(ConfigKey.string("task_defs.*.label", "label", "Label (or score) column."));
  public static final ConfigKey<List<String>> TASK_LABELS = add(ConfigKey.list("task_defs.*.labels", "",
      "Label values in class-index order (classification); empty: the training file's distinct labels, sorted "
          + "(numerically when all are numbers, else lexicographically)."));
  public static final ConfigKey<List<String>> TASK_REGRESSION = add(ConfigKey.numberList("task_defs.*.regression", Type.FLOAT, "",
      "min,max of a regression score (instead of labels)."));
  public static final ConfigKey<String> TASK_METRIC = add(ConfigKey.string("task_defs.*.metric", "",
      "Primary metric: picks the best dev step, is the summary's primary_metric. f1 = binary F1 of the second label in "
          + "label order (2 labels); macro-f1 = mean per-class F1; matthews = multi-class MCC; pearson, spearman for "
          + "regression only. Default: accuracy (regression: pearson; tasks named mrpc/qqp: f1, cola: matthews).",
      withEmpty(ids(MetricKind.values(), MetricKind::id))).hashedOnlyWhenSet());

  public static final ConfigKey<List<String>> ADAPTER_SITES = add(ConfigKey.list("adapters.sites", "attn,ffn,parallel,lora",
      "Insertion points of the search space; bias (gated BitFit deltas per layer) and prefix (prefix-tuning keys/values "
          + "per layer) are opt-in.", ids(Site.values(), Site::id)));
  public static final ConfigKey<List<String>> ADAPTER_LAYERS = add(ConfigKey.list("adapters.layers", "all",
      "Layers with adapters: all, or a list of indices."));
  public static final ConfigKey<Integer> ADAPTER_BOTTLENECK = add(ConfigKey.integer("adapters.bottleneck", "64",
      "Bottleneck width of series/parallel adapters.").atLeast(1));
  public static final ConfigKey<Integer> ADAPTER_LORA_RANK = add(ConfigKey.integer("adapters.lora_rank", "8", "LoRA rank.").atLeast(1));
  public static final ConfigKey<Float> ADAPTER_LORA_ALPHA = add(ConfigKey.real("adapters.lora_alpha", "16",
      "LoRA scale numerator (update scaled by alpha/rank).").above(0));
  public static final ConfigKey<List<String>> ADAPTER_ACTIVATIONS = add(ConfigKey.list("adapters.activations", "relu,gelu,silu,identity",
      "Candidate activations mixed by softmax.", ids(Activation.values(), Activation::id)));
  public static final ConfigKey<Boolean> ADAPTER_CHANNEL_GATES = add(ConfigKey.bool("adapters.channel_gates", "false",
      "Learn bottleneck widths with per-channel gates."));
  public static final ConfigKey<Float> ADAPTER_INIT_SCALE = add(ConfigKey.real("adapters.init_scale", "0.02",
      "Std of down-projection / LoRA A initialization.").atLeast(0));
  public static final ConfigKey<Integer> ADAPTER_PREFIX_LENGTH = add(ConfigKey.integer("adapters.prefix_length",
      String.valueOf(SearchSpace.DEFAULT_PREFIX_LENGTH), "Key/value positions per layer of prefix modules (method prefix, "
          + "or site prefix in the SLA pool).").atLeast(1).hashedOnlyWhenSet());
  public static final ConfigKey<Integer> ADAPTER_PREFIX_HIDDEN = add(ConfigKey.integer("adapters.prefix_hidden",
      String.valueOf(SearchSpace.DEFAULT_PREFIX_HIDDEN), "Width of the prefix reparameterisation MLP (training only; "
          + "the export keeps just the keys and values).").atLeast(1).hashedOnlyWhenSet());
  public static final ConfigKey<List<String>> ADAPTER_FUSION_SOURCES = add(ConfigKey.list("adapters.fusion_sources", "",
      "Export directories of pfeiffer runs (AdapterFusion's first stage, one per task) whose adapters method "
          + "adapterfusion keeps frozen and fuses, e.g. runs/pfeiffer-rte/model/main,runs/pfeiffer-mrpc/model/main.")
      .hashedOnlyWhenSet());

  public static final ConfigKey<String> SPARSITY_GATE = add(ConfigKey.string("sparsity.gate", "hard-concrete", "Gate family.",
      ids(GateFamily.values(), GateFamily::id)));
  public static final ConfigKey<Float> SPARSITY_LAMBDA = add(ConfigKey.real("sparsity.lambda", "1.0",
      "Sparsity weight λ of the size-weighted penalty.").atLeast(0));
  public static final ConfigKey<Float> SPARSITY_BUDGET = add(ConfigKey.real("sparsity.budget", "0",
      "Target trainable params as a fraction of backbone params (gate=budget).").atLeast(0).atMost(1));
  public static final ConfigKey<Integer> SPARSITY_WARMUP_STEPS = add(ConfigKey.integer("sparsity.warmup_steps", "0", "Steps with λ = 0.").atLeast(0));
  public static final ConfigKey<Integer> SPARSITY_RAMP_STEPS = add(ConfigKey.integer("sparsity.ramp_steps", "0",
      "Steps over which λ ramps up linearly after warm-up.").atLeast(0));
  public static final ConfigKey<Float> SPARSITY_WARMUP_FRACTION = add(ConfigKey.real("sparsity.warmup_fraction", "0",
      "λ's warm-up as a fraction of the search steps (train.steps, or what train.epochs makes of the rows), rounded;"
          + " instead of sparsity.warmup_steps, so one setting fits tasks of every size. 0 = use warmup_steps.")
      .atLeast(0).below(1).hashedOnlyWhenSet());
  public static final ConfigKey<Float> SPARSITY_RAMP_FRACTION = add(ConfigKey.real("sparsity.ramp_fraction", "0",
      "λ's ramp as a fraction of the search steps, rounded; instead of sparsity.ramp_steps. 0 = use ramp_steps.")
      .atLeast(0).below(1).hashedOnlyWhenSet());
  public static final ConfigKey<Float> SPARSITY_TEMPERATURE_START = add(ConfigKey.real("sparsity.temperature_start", "1.0",
      "Initial gate temperature.").above(0));
  public static final ConfigKey<Float> SPARSITY_TEMPERATURE_END = add(ConfigKey.real("sparsity.temperature_end", "1.0",
      "Final gate temperature (geometric annealing).").above(0));
  public static final ConfigKey<Float> SPARSITY_INIT_LOGIT = add(ConfigKey.real("sparsity.init_logit", "2.0", "Initial gate logit."));
  public static final ConfigKey<Float> SPARSITY_THRESHOLD = add(ConfigKey.real("sparsity.threshold", "0.5",
      "Gate value below which a module is removed.").above(0).below(1));
  public static final ConfigKey<Boolean> SPARSITY_SETTLE = add(ConfigKey.bool("sparsity.settle", "true",
      "Settle phase after the λ ramp: commit modules whose discrete state stopped changing; everything commits at settle_at.")
      .hashedOnlyWhenSet());
  public static final ConfigKey<Integer> SPARSITY_SETTLE_EVERY = add(ConfigKey.integer("sparsity.settle_every", "10",
      "Steps between two settle checks of the discrete structure.").atLeast(1).hashedOnlyWhenSet());
  public static final ConfigKey<Integer> SPARSITY_SETTLE_PATIENCE = add(ConfigKey.integer("sparsity.settle_patience", "5",
      "Consecutive equal settle checks that commit a module.").atLeast(1).hashedOnlyWhenSet());
  public static final ConfigKey<Float> SPARSITY_SETTLE_AT = add(ConfigKey.real("sparsity.settle_at", "0.75",
      "Fraction of search steps after which every module is committed (the structure is final).").above(0).atMost(1)
      .hashedOnlyWhenSet());

  public static final ConfigKey<Float> OPTIMIZER_LR = add(ConfigKey.real("optimizer.lr", "1e-3",
      "Learning rate of adapter and head weights.").above(0));
  public static final ConfigKey<Float> OPTIMIZER_BACKBONE_LR = add(ConfigKey.real("optimizer.backbone_lr", "5e-5",
      "Learning rate of backbone tensors (method full-ft only).").above(0));
  public static final ConfigKey<Float> OPTIMIZER_STRUCTURE_LR = add(ConfigKey.real("optimizer.structure_lr", "5e-2",
      "Learning rate of gate/activation/channel logits.").atLeast(0));
  public static final ConfigKey<Float> OPTIMIZER_WEIGHT_DECAY = add(ConfigKey.real("optimizer.weight_decay", "0.01",
      "Decoupled weight decay (AdamW) of weight matrices.").atLeast(0));
  public static final ConfigKey<Float> OPTIMIZER_WARMUP_RATIO = add(ConfigKey.real("optimizer.warmup_ratio", "0.06",
      "Fraction of steps with linear learning-rate warm-up.").atLeast(0).below(1));
  public static final ConfigKey<Float> OPTIMIZER_CLIP_NORM = add(ConfigKey.real("optimizer.clip_norm", "1.0",
      "Global gradient-norm clipping.").above(0));

  public static final ConfigKey<Integer> TRAIN_STEPS = add(ConfigKey.integer("train.steps", "400", "Training steps.").atLeast(1));
  public static final ConfigKey<Float> TRAIN_EPOCHS = add(ConfigKey.real("train.epochs", "0",
      "Budget in epochs instead of train.steps: steps = ceil(epochs × training rows of all tasks (after data.validation"
          + " held its rows out) ÷ train.batch_size), printed when the data is read. 0 = use train.steps; setting both is"
          + " refused.").atLeast(0).hashedOnlyWhenSet());
  public static final ConfigKey<Integer> TRAIN_RETRAIN_STEPS = add(ConfigKey.integer("train.retrain_steps", "0",
      "After the search, re-train the discretized structure this many steps (gates frozen, closed modules removed, "
          + "argmax activations); learned-gate methods only; 0 = off.").atLeast(0).hashedOnlyWhenSet());
  public static final ConfigKey<Integer> TRAIN_BATCH_SIZE = add(ConfigKey.integer("train.batch_size", "32", "Examples per step.").atLeast(1));
  public static final ConfigKey<Integer> TRAIN_EVAL_EVERY = add(ConfigKey.integer("train.eval_every", "100",
      "Evaluate on dev every N steps (0 = at the end only).").atLeast(0));
  public static final ConfigKey<Integer> TRAIN_EVAL_BATCH_SIZE = add(ConfigKey.integer("train.eval_batch_size", "64",
      "Examples per evaluation batch.").atLeast(1));
  public static final ConfigKey<Integer> TRAIN_PATIENCE = add(ConfigKey.integer("train.patience", "0",
      "Early stopping after N evaluations without improvement (0 = off).").atLeast(0));
  public static final ConfigKey<Integer> TRAIN_CHECKPOINT_EVERY = add(ConfigKey.integer("train.checkpoint_every", "100",
      "Checkpoint every N steps (0 = off); a rerun resumes.").atLeast(0));
  public static final ConfigKey<Float> TRAIN_TASK_TEMPERATURE = add(ConfigKey.real("train.task_temperature", "1.0",
      "Task sampling ∝ size^(1/T).").above(0));
  public static final ConfigKey<Integer> TRAIN_BUCKET_WINDOW = add(ConfigKey.integer("train.bucket_window", "8",
      "Length-bucketing window, in batches.").atLeast(1));
  public static final ConfigKey<Integer> TRAIN_LOG_EVERY = add(ConfigKey.integer("train.log_every", "20", "Progress line every N steps.").atLeast(1));
  public static final ConfigKey<Integer> TRAIN_THREADS = add(ConfigKey.integer("train.threads", "0",
      "TensorFlow intra-op threads (0 = one per core).").atLeast(0));

  public static final ConfigKey<String> NOISE_SITE = add(ConfigKey.string("noise.site", "none", "Training-time representation noise site.",
      ids(NoiseSite.values(), ConfigKeys::lower)));
  public static final ConfigKey<Float> NOISE_TRAIN_SIGMA = add(ConfigKey.real("noise.train_sigma", "0",
      "Noise-injection ratio: σ relative to the tensor's std.").atLeast(0));

  public static final ConfigKey<String> TRACKING_URI = add(ConfigKey.string("tracking.uri", "auto",
      "MLflow tracking URI, 'auto' (local server if running, else spool) or 'none'."));
  public static final ConfigKey<String> TRACKING_EXPERIMENT = add(ConfigKey.string("tracking.experiment", "", "MLflow experiment (default: name)."));
  public static final ConfigKey<Integer> TRACKING_CONNECT_TIMEOUT_S = add(ConfigKey.integer("tracking.connect_timeout_s", "5",
      "Seconds to wait for a connection to the MLflow server before the call counts as failed (retried, then spooled).")
      .atLeast(1).atMost(600).hashedOnlyWhenSet());
  public static final ConfigKey<Integer> TRACKING_REQUEST_TIMEOUT_S = add(ConfigKey.integer("tracking.request_timeout_s", "30",
      "Seconds to wait for the MLflow server's whole answer to one request before it counts as failed (retried, then spooled).")
      .atLeast(1).atMost(3600).hashedOnlyWhenSet());
  public static final ConfigKey<Integer> TRACKING_SYSTEM_METRICS_INTERVAL_S = add(ConfigKey.integer("tracking.system_metrics_interval_s", "10",
      "Seconds between two samples of system metrics (host CPU, memory, disk, network; JVM CPU, RSS, heap) logged to each "
          + "training run for MLflow's System metrics tab; 0 = off.")
      .atLeast(0).atMost(86400).hashedOnlyWhenSet());
  public static final ConfigKey<String> REGISTRY_MODEL = add(ConfigKey.string("registry.model", "",
      "MLflow registered model: each trained point × task becomes a version of it (tagged with task, method, sizes, "
          + "structure digest and metrics; on MLflow 3.x also a logged model of its run); empty = no registration.")
      .hashedOnlyWhenSet());
  public static final ConfigKey<String> REGISTRY_ALIAS = add(ConfigKey.string("registry.alias", "champion",
      "Alias the sweep's best point per task gets in the registry (best by the primary metric).").hashedOnlyWhenSet());

  public static final ConfigKey<List<String>> SWEEP_GRID = add(ConfigKey.list("sweep.grid.*", null,
      "Grid axis: sweep.grid.<key> = [v1, v2, ...] for any key above."));
  public static final ConfigKey<List<String>> SWEEP_SEEDS = add(ConfigKey.numberList("sweep.seeds", Type.INT, "",
      "Seeds; each point runs once per seed."));
  public static final ConfigKey<String> SWEEP_RANDOM = add(ConfigKey.string("sweep.random.*", null,
      "Random axis: uniform(a,b) | loguniform(a,b) | intuniform(a,b) | choice(a,b,..)."));
  public static final ConfigKey<Integer> SWEEP_SAMPLES = add(ConfigKey.integer("sweep.samples", "0", "Random-search samples.").atLeast(0));
  public static final ConfigKey<String> SWEEP_EARLY_STOP = add(ConfigKey.string("sweep.early_stop", "none",
      "Stop bad sweep points early: at each rung a point reports its validation score to a rung store shared by all "
          + "workers and stops when it falls below the rule's cut among the points that reported that rung: 'median' "
          + "(below the median), 'asha' (outside the top 1/sweep.reduction_factor), 'none'. Needs data.validation and "
          + "train.eval_every.", ids(io.slaft.transforms.stopping.StopRuleKind.values(), io.slaft.transforms.stopping.StopRuleKind::id))
      .hashedOnlyWhenSet());
  public static final ConfigKey<List<String>> SWEEP_RUNGS = add(ConfigKey.numberList("sweep.rungs", Type.INT, "",
      "Steps at which points are compared (evaluation steps: multiples of train.eval_every). Empty = asha: eval_every × "
          + "reduction_factor^k; median: every evaluation.").atLeast(1).hashedOnlyWhenSet());
  public static final ConfigKey<Integer> SWEEP_REDUCTION_FACTOR = add(ConfigKey.integer("sweep.reduction_factor", "3",
      "ASHA's η: a point goes on past a rung only if its score is in the top 1/η of the points that reported there; "
          + "default rungs grow by this factor.").atLeast(2).atMost(100).hashedOnlyWhenSet());
  public static final ConfigKey<Integer> SWEEP_EARLY_STOP_MIN_POINTS = add(ConfigKey.integer("sweep.early_stop_min_points", "1",
      "Other points that must have reported a rung before a point is cut there; a point that reached the rung "
          + "before them is checked again at its later evaluations, its next rung included.").atLeast(1).hashedOnlyWhenSet());

  public static final ConfigKey<Boolean> CHAMPION_ROBUSTNESS = add(ConfigKey.bool("champion.robustness", "false",
      "After a sweep, evaluate each Pareto-front point's export (validation metric vs active parameters) under the "
          + "robustness.families input perturbations at robustness.severities, on the validation split, and choose the "
          + "champion on metric, size and robustness. Needs data.validation.").hashedOnlyWhenSet());
  public static final ConfigKey<Float> CHAMPION_MAX_COMPRESSION = add(ConfigKey.real("champion.max_compression", "0",
      "The champion's active parameters as a fraction of the backbone's (summary compression) must be at most this; "
          + "0 = no limit.").atLeast(0).hashedOnlyWhenSet());
  public static final ConfigKey<Float> CHAMPION_MAX_DROP = add(ConfigKey.real("champion.max_drop", "0",
      "With champion.robustness: the champion's largest drop of the primary metric over the input perturbation "
          + "families at severity champion.drop_at must be at most this (metric units); 0 = no limit.").atLeast(0).atMost(1)
      .hashedOnlyWhenSet());
  public static final ConfigKey<Float> CHAMPION_DROP_AT = add(ConfigKey.real("champion.drop_at", "0.15",
      "The severity champion.max_drop is measured at; one of robustness.severities.").atLeast(0).atMost(1).hashedOnlyWhenSet());

  public static final ConfigKey<List<String>> ROBUSTNESS_FAMILIES = add(ConfigKey.list("robustness.families",
      "char-swap,char-delete,char-insert,char-keyboard,word-dropout,word-swap,word-duplicate,token-random,token-unk,token-mask,embedding-noise",
      "Perturbation families evaluated."));
  public static final ConfigKey<List<String>> ROBUSTNESS_SEVERITIES = add(ConfigKey.numberList("robustness.severities", Type.FLOAT,
      "0,0.05,0.10,0.15,0.20", "Severities (ratios) evaluated.").atLeast(0).atMost(1));
  public static final ConfigKey<Integer> ROBUSTNESS_SEED = add(ConfigKey.integer("robustness.seed", "13", "Seed of the perturbations."));
  public static final ConfigKey<Boolean> ROBUSTNESS_DISCRETE = add(ConfigKey.bool("robustness.discrete", "false",
      "Evaluate the discretized structure (gates below threshold closed)."));

  /** Prefixes of the keys whose remainder is itself a config key (sweep axes). */
  public static final String GRID_PREFIX = "sweep.grid.";
  public static final String RANDOM_PREFIX = "sweep.random.";

  /**
   * Prefix of a GLUE bench profile's named rows: {@code bench.variants.<name>.<key>: value} gives row {@code name} the
   * override {@code key=value} (as {@code --variant name:key=value}). They say which rows the bench runs, not what a
   * cell trains, so they are in no hash ({@link ExperimentConfig#recordsOnly}).
   */
  public static final String BENCH_VARIANT_PREFIX = "bench.variants.";

  /**
   * Prefix of a GLUE bench profile's per-task settings: {@code bench.tasks.<task>.<key>: value} sets {@code key} in every
   * cell of {@code task}, whatever the row (e.g. a longer budget for a small task: {@code bench.tasks.rte.train.epochs}).
   * They enter those cells' hashes through the cells' overrides, and no other cell's.
   */
  public static final String BENCH_TASK_PREFIX = "bench.tasks.";

  /** Keys the GLUE bench sets per cell, so a bench row cannot set them. */
  static final Set<String> SET_PER_CELL = Set.of("tasks", "seed");

  /**
   * Splits the part of a key after {@link #BENCH_VARIANT_PREFIX} into the row name and the config key it sets, at the
   * first dot after which a known config key follows (a name may hold dots: {@code sla-l0.3.sparsity.lambda});
   * null when no such split exists.
   */
  public static Map.Entry<String, String> benchVariantKey(String rest) {
    for (int dot = rest.indexOf('.'); dot > 0; dot = rest.indexOf('.', dot + 1)) {
      String key = rest.substring(dot + 1);
      if (find(key) != null) {
        return Map.entry(rest.substring(0, dot), key);
      }
    }
    return null;
  }

  /**
   * Splits the part of a key after {@link #BENCH_TASK_PREFIX} into the task (up to the first dot) and the config key it
   * sets; null when the rest is no known key.
   */
  public static Map.Entry<String, String> benchTaskKey(String rest) {
    int dot = rest.indexOf('.');
    return dot > 0 && find(rest.substring(dot + 1)) != null ? Map.entry(rest.substring(0, dot), rest.substring(dot + 1))
        : null;
  }

  private ConfigKeys() {}

  private static <T> ConfigKey<T> add(ConfigKey<T> k) {
    KEYS.add(k);
    return k;
  }

  private static <E> String[] ids(E[] values, Function<E, String> id) {
    return Arrays.stream(values).map(id).toArray(String[]::new);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static String[] withEmpty(String[] ids) {
    List<String> l = new ArrayList<>(List.of(""));
    l.addAll(List.of(ids));
    return l.toArray(String[]::new);
  }

  private static String[] perturbFamilies() {
    List<String> f = new ArrayList<>(List.of("none"));
    f.addAll(io.slaft.transforms.perturb.Perturbations.names());
    return f.toArray(String[]::new);
  }

  /** Whether {@code key} counts in the config hash only when set away from its default. */
  public static boolean hashedOnlyWhenSet(String key) {
    ConfigKey<?> k = find(key);
    return k != null && k.isHashedOnlyWhenSet();
  }

  public static List<ConfigKey<?>> all() {
    return List.copyOf(KEYS);
  }

  /** The key definition matching {@code key}, or null. */
  public static ConfigKey<?> find(String key) {
    for (ConfigKey<?> k : KEYS) {
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
