package io.slaft.pipelines.experiment;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.FusionSources;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.Method;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.SettleControl;
import io.slaft.model.adapters.Site;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.BackboneSource;
import io.slaft.model.backbone.BuiltinBackbone;
import io.slaft.model.backbone.Pooling;
import io.slaft.model.backbone.Precision;
import io.slaft.model.export.FusionSourceReader;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.OptimizerConfig;
import io.slaft.model.train.TrainSpec;
import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.transforms.stopping.EarlyStopping;
import io.slaft.transforms.stopping.StopRuleKind;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns a validated {@link ExperimentConfig} into the model library's immutable specs. */
public final class Specs {
  private Specs() {}

  public static BackboneSource backbone(ExperimentConfig c) {
    String pooling = c.get(ConfigKeys.BACKBONE_POOLING);
    Pooling p = pooling.isEmpty() ? null : Pooling.valueOf(pooling.toUpperCase(Locale.ROOT));
    if (!c.get(ConfigKeys.BACKBONE_ONNX).isEmpty()) {
      if (c.get(ConfigKeys.BACKBONE_TOKENIZER).isEmpty()) {
        throw new ConfigException(c.source() + ": backbone.onnx needs backbone.tokenizer (the model's tokenizer.json)");
      }
      return BackboneSource.files(Path.of(c.get(ConfigKeys.BACKBONE_ONNX)), Path.of(c.get(ConfigKeys.BACKBONE_TOKENIZER)),
          p == null ? Pooling.CLS : p);
    }
    BuiltinBackbone b = BuiltinBackbone.byId(c.get(ConfigKeys.BACKBONE_NAME));
    return new BackboneSource(b.id(), null, null, p == null ? b.pooling() : p);
  }

  /**
   * {@code backbone.precision} resolved on this CPU. Full fine-tuning trains every backbone weight, so
   * it has no frozen matmul: {@code auto} is fp32 for it and {@code bf16} is refused.
   */
  public static Precision precision(ExperimentConfig c) {
    String setting = c.get(ConfigKeys.BACKBONE_PRECISION);
    if (Method.byId(c.get(ConfigKeys.METHOD)) == Method.FULL_FT) {
      if (setting.equals(Precision.BF16.id())) {
        throw new ConfigException(c.source() + ": " + ConfigKeys.BACKBONE_PRECISION.key() + " = bf16 does nothing for method "
            + Method.FULL_FT.id() + " (it trains every backbone weight, and trained weights stay fp32); set it to fp32 or auto");
      }
      return Precision.FP32;
    }
    return Precision.resolve(setting);
  }

  /**
   * The sweep's early stopping ({@code sweep.early_stop}, {@code sweep.rungs}, {@code sweep.reduction_factor},
   * {@code sweep.early_stop_min_points}), checked against the point's evaluation schedule: points are compared
   * on the validation split at evaluation steps, so a rule needs {@code data.validation} and {@code
   * train.eval_every}, and every rung must be an evaluation step.
   */
  public static EarlyStopping earlyStopping(ExperimentConfig c) {
    StopRuleKind rule = StopRuleKind.byId(c.get(ConfigKeys.SWEEP_EARLY_STOP));
    List<Integer> rungs = c.get(ConfigKeys.SWEEP_RUNGS).stream().map(Integer::parseInt).toList();
    int evalEvery = c.get(ConfigKeys.TRAIN_EVAL_EVERY);
    if (rule == StopRuleKind.NONE) {
      return EarlyStopping.OFF;
    }
    String what = c.source() + ": " + ConfigKeys.SWEEP_EARLY_STOP.key() + " = " + rule.id();
    if (c.get(ConfigKeys.DATA_VALIDATION) <= 0) {
      throw new ConfigException(what + " compares points on the validation split, and " + ConfigKeys.DATA_VALIDATION.key()
          + " is 0 (nothing held out; comparing on dev would choose on the set the results report). Fix: set "
          + ConfigKeys.DATA_VALIDATION.key() + ", e.g. 0.1");
    }
    if (evalEvery <= 0) {
      throw new ConfigException(what + " compares points at evaluations during training, and " + ConfigKeys.TRAIN_EVAL_EVERY.key()
          + " is 0 (evaluate only at the end). Fix: set " + ConfigKeys.TRAIN_EVAL_EVERY.key() + " to the first rung, e.g. "
          + Math.max(1, c.get(ConfigKeys.TRAIN_STEPS) / 9));
    }
    for (int r : rungs) {
      if (r % evalEvery != 0) {
        throw new ConfigException(c.source() + ": " + ConfigKeys.SWEEP_RUNGS.key() + " " + rungs + ": rung " + r
            + " is not an evaluation step (" + ConfigKeys.TRAIN_EVAL_EVERY.key() + " = " + evalEvery + "). Fix: use multiples of "
            + evalEvery + ", or set " + ConfigKeys.TRAIN_EVAL_EVERY.key() + " to a divisor of every rung");
      }
    }
    try {
      return new EarlyStopping(rule, rungs, evalEvery, c.get(ConfigKeys.SWEEP_REDUCTION_FACTOR),
          c.get(ConfigKeys.SWEEP_EARLY_STOP_MIN_POINTS));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(what + ": " + e.getMessage(), e);
    }
  }

  /**
   * What makes the sweep's early stopping cut on noise without being wrong: its first rung at or before the end of
   * λ's warm-up while the sweep varies {@code sparsity.*} keys. Until λ acts, points that differ only there are the
   * same model, so the cut at that rung is on the seed (measured: every seed-2 point of the sparsity sensitivity
   * sweep cut at step 10 with identical scores). Empty when there is no such caveat.
   */
  public static java.util.Optional<String> earlyStoppingCaveat(ExperimentConfig c) {
    EarlyStopping es = earlyStopping(c);
    int steps = c.get(ConfigKeys.TRAIN_STEPS);
    int[] schedule = lambdaSchedule(c, steps);
    int warmup = schedule[0];
    boolean sweepsSparsity = c.resolved().keySet().stream().anyMatch(k -> k.startsWith(ConfigKeys.GRID_PREFIX + "sparsity.")
        || k.startsWith(ConfigKeys.RANDOM_PREFIX + "sparsity."));
    if (!es.enabled() || !sweepsSparsity) {
      return java.util.Optional.empty();
    }
    for (int step = es.evalEvery(); step < steps; step += es.evalEvery()) {
      if (es.isRung(step)) {
        return step > warmup ? java.util.Optional.empty() : java.util.Optional.of(String.format(Locale.ROOT,
            "%s: the first rung of %s is step %d, and λ is still warming up until step %d (%s): points that differ only in "
                + "sparsity.* keys are the same model there, so the cut is on the seed. Fix: set %s to steps after the λ ramp, "
                + "e.g. [%d]", c.source(), ConfigKeys.SWEEP_EARLY_STOP.key(), step, warmup, ConfigKeys.SPARSITY_WARMUP_STEPS.key(),
            ConfigKeys.SWEEP_RUNGS.key(), firstEvalFrom(schedule[0] + schedule[1], es.evalEvery())));
      }
    }
    return java.util.Optional.empty();
  }

  /** The first evaluation step at or after {@code step}. */
  private static int firstEvalFrom(int step, int evalEvery) {
    return (step + evalEvery - 1) / evalEvery * evalEvery;
  }

  /** The training spec of {@code c} for {@code train.steps} steps (an epochs budget rebinds it: {@link #train(ExperimentConfig, int)}). */
  public static TrainSpec train(ExperimentConfig c) {
    return train(c, c.get(ConfigKeys.TRAIN_STEPS));
  }

  /**
   * λ's warm-up and ramp steps for a search of {@code steps} steps: {@code sparsity.warmup_steps} and
   * {@code ramp_steps}, or {@code round(fraction × steps)} where {@code warmup_fraction} / {@code ramp_fraction}
   * is set; setting both forms of one is refused.
   */
  static int[] lambdaSchedule(ExperimentConfig c, int steps) {
    return new int[] {scheduled(c, ConfigKeys.SPARSITY_WARMUP_STEPS, ConfigKeys.SPARSITY_WARMUP_FRACTION, steps),
        scheduled(c, ConfigKeys.SPARSITY_RAMP_STEPS, ConfigKeys.SPARSITY_RAMP_FRACTION, steps)};
  }

  private static int scheduled(ExperimentConfig c, io.slaft.pipelines.config.ConfigKey<Integer> stepsKey,
      io.slaft.pipelines.config.ConfigKey<Float> fractionKey, int steps) {
    if (c.get(fractionKey) == 0f) {
      return c.get(stepsKey);
    }
    if (c.get(stepsKey) > 0) {
      throw new ConfigException(c.source() + ": " + stepsKey.key() + " " + c.get(stepsKey) + " and " + fractionKey.key() + " "
          + c.get(fractionKey) + " are both set; they say the same thing. Fix: remove one of them");
    }
    return Math.round(c.get(fractionKey) * steps);
  }

  /**
   * The adapters {@code adapters.fusion_sources} names, read from their exports when {@code method}
   * fuses (adapterfusion, or sla with site fusion); refused when it does not, or when an export cannot
   * be fused (with the file and the reason).
   */
  private static FusionSources fusionSources(ExperimentConfig c, Method method, Set<Site> sites) {
    List<String> dirs = c.get(ConfigKeys.ADAPTER_FUSION_SOURCES);
    String key = ConfigKeys.ADAPTER_FUSION_SOURCES.key();
    if (dirs.isEmpty()) {
      return FusionSources.NONE;
    }
    if (!method.fuses(sites)) {
      throw new ConfigException(c.source() + ": " + key + " " + dirs + " is set but method " + method.id()
          + " fuses nothing. Fix: remove " + key + ", or set method: adapterfusion");
    }
    try {
      return FusionSourceReader.read(dirs.stream().map(Path::of).toList());
    } catch (io.slaft.model.backbone.ModelFileException | IllegalArgumentException e) {
      throw new ConfigException(c.source() + ": " + key + " " + dirs + ": " + e.getMessage(), e);
    }
  }

  /** The training spec of {@code c} for a search of {@code steps} steps (λ's schedule follows them when set as fractions). */
  public static TrainSpec train(ExperimentConfig c, int steps) {
    try {
      Set<Site> sites = EnumSet.noneOf(Site.class);
      for (String s : c.get(ConfigKeys.ADAPTER_SITES)) {
        sites.add(Site.byId(s));
      }
      List<String> layerList = c.get(ConfigKeys.ADAPTER_LAYERS);
      List<Integer> layers = layerList.isEmpty() || layerList.equals(List.of("all"))
          ? List.of() : layerList.stream().map(Integer::parseInt).toList();
      List<Activation> acts = c.get(ConfigKeys.ADAPTER_ACTIVATIONS).stream().map(Activation::byId).toList();
      Method method = Method.byId(c.get(ConfigKeys.METHOD));
      FusionSources fusion = fusionSources(c, method, sites);
      SearchSpace space = new SearchSpace(sites, layers, c.get(ConfigKeys.ADAPTER_BOTTLENECK), c.get(ConfigKeys.ADAPTER_LORA_RANK),
          c.get(ConfigKeys.ADAPTER_LORA_ALPHA), acts, c.get(ConfigKeys.ADAPTER_CHANNEL_GATES), false, false, false,
          c.get(ConfigKeys.ADAPTER_INIT_SCALE), c.get(ConfigKeys.ADAPTER_PREFIX_LENGTH), c.get(ConfigKeys.ADAPTER_PREFIX_HIDDEN),
          sites.contains(Site.FUSION) ? fusion : FusionSources.NONE);
      int[] schedule = lambdaSchedule(c, steps);
      SparsityControl sp = new SparsityControl(GateFamily.byId(c.get(ConfigKeys.SPARSITY_GATE)), c.get(ConfigKeys.SPARSITY_LAMBDA),
          c.get(ConfigKeys.SPARSITY_BUDGET), schedule[0], schedule[1],
          c.get(ConfigKeys.SPARSITY_TEMPERATURE_START), c.get(ConfigKeys.SPARSITY_TEMPERATURE_END), c.get(ConfigKeys.SPARSITY_INIT_LOGIT),
          c.get(ConfigKeys.SPARSITY_THRESHOLD), new SettleControl(c.get(ConfigKeys.SPARSITY_SETTLE),
              c.get(ConfigKeys.SPARSITY_SETTLE_EVERY), c.get(ConfigKeys.SPARSITY_SETTLE_PATIENCE), c.get(ConfigKeys.SPARSITY_SETTLE_AT)));
      if (c.get(ConfigKeys.TRAIN_EPOCHS) > 0 && c.isSet(ConfigKeys.TRAIN_STEPS)) {
        throw new ConfigException(c.source() + ": " + ConfigKeys.TRAIN_EPOCHS.key() + " " + c.get(ConfigKeys.TRAIN_EPOCHS)
            + " and " + ConfigKeys.TRAIN_STEPS.key() + " " + c.get(ConfigKeys.TRAIN_STEPS) + " are both set; an epochs budget"
            + " decides the steps from the training rows. Fix: remove one of them");
      }
      OptimizerConfig opt = new OptimizerConfig(c.get(ConfigKeys.OPTIMIZER_LR), c.get(ConfigKeys.OPTIMIZER_STRUCTURE_LR),
          c.get(ConfigKeys.OPTIMIZER_BACKBONE_LR),
          c.get(ConfigKeys.OPTIMIZER_WEIGHT_DECAY), c.get(ConfigKeys.OPTIMIZER_WARMUP_RATIO), c.get(ConfigKeys.OPTIMIZER_CLIP_NORM),
          0.9f, 0.999f, 1e-8f);
      return new TrainSpec(method.id(), method.space(space, fusion), method.sparsity(sp), opt, steps,
          c.get(ConfigKeys.TRAIN_BATCH_SIZE), c.get(ConfigKeys.TRAIN_EVAL_EVERY), c.get(ConfigKeys.TRAIN_EVAL_BATCH_SIZE),
          c.get(ConfigKeys.TRAIN_PATIENCE), c.get(ConfigKeys.TRAIN_CHECKPOINT_EVERY), c.get(ConfigKeys.SEED),
          c.get(ConfigKeys.TRAIN_TASK_TEMPERATURE), c.get(ConfigKeys.TRAIN_BUCKET_WINDOW), c.get(ConfigKeys.TRAIN_LOG_EVERY),
          NoiseSite.valueOf(c.get(ConfigKeys.NOISE_SITE).toUpperCase(Locale.ROOT)), c.get(ConfigKeys.NOISE_TRAIN_SIGMA));
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(c.source() + ": " + e.getMessage(), e);
    }
  }
}
