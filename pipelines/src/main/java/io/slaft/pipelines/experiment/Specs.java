package io.slaft.pipelines.experiment;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.adapters.Method;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.Site;
import io.slaft.model.adapters.SparsityControl;
import io.slaft.model.backbone.BackboneSource;
import io.slaft.model.backbone.BuiltinBackbone;
import io.slaft.model.backbone.Pooling;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.OptimizerConfig;
import io.slaft.model.train.TrainSpec;
import io.slaft.pipelines.config.ConfigException;
import io.slaft.pipelines.config.ExperimentConfig;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns a validated {@link ExperimentConfig} into the model library's immutable specs. */
public final class Specs {
  private Specs() {}

  public static BackboneSource backbone(ExperimentConfig c) {
    String pooling = c.get("backbone.pooling");
    Pooling p = pooling.isEmpty() ? null : Pooling.valueOf(pooling.toUpperCase(Locale.ROOT));
    if (!c.get("backbone.onnx").isEmpty()) {
      if (c.get("backbone.tokenizer").isEmpty()) {
        throw new ConfigException(c.source() + ": backbone.onnx needs backbone.tokenizer (the model's tokenizer.json)");
      }
      return BackboneSource.files(Path.of(c.get("backbone.onnx")), Path.of(c.get("backbone.tokenizer")),
          p == null ? Pooling.CLS : p);
    }
    BuiltinBackbone b = BuiltinBackbone.byId(c.get("backbone.name"));
    return new BackboneSource(b.id(), null, null, p == null ? b.pooling() : p);
  }

  public static TrainSpec train(ExperimentConfig c) {
    try {
      Set<Site> sites = EnumSet.noneOf(Site.class);
      for (String s : c.list("adapters.sites")) {
        sites.add(Site.byId(s));
      }
      List<String> layerList = c.list("adapters.layers");
      List<Integer> layers = layerList.isEmpty() || layerList.equals(List.of("all"))
          ? List.of() : layerList.stream().map(Integer::parseInt).toList();
      List<Activation> acts = c.list("adapters.activations").stream().map(Activation::byId).toList();
      SearchSpace space = new SearchSpace(sites, layers, c.integer("adapters.bottleneck"), c.integer("adapters.lora_rank"),
          c.real("adapters.lora_alpha"), acts, c.bool("adapters.channel_gates"), false, false, false,
          c.real("adapters.init_scale"));
      SparsityControl sp = new SparsityControl(GateFamily.byId(c.get("sparsity.gate")), c.real("sparsity.lambda"),
          c.real("sparsity.budget"), c.integer("sparsity.warmup_steps"), c.integer("sparsity.ramp_steps"),
          c.real("sparsity.temperature_start"), c.real("sparsity.temperature_end"), c.real("sparsity.init_logit"),
          c.real("sparsity.threshold"));
      Method method = Method.byId(c.get("method"));
      OptimizerConfig opt = new OptimizerConfig(c.real("optimizer.lr"), c.real("optimizer.structure_lr"),
          c.real("optimizer.backbone_lr"),
          c.real("optimizer.weight_decay"), c.real("optimizer.warmup_ratio"), c.real("optimizer.clip_norm"),
          0.9f, 0.999f, 1e-8f);
      return new TrainSpec(method.id(), method.space(space), method.sparsity(sp), opt, c.integer("train.steps"),
          c.integer("train.batch_size"), c.integer("train.eval_every"), c.integer("train.eval_batch_size"),
          c.integer("train.patience"), c.integer("train.checkpoint_every"), c.integer("seed"),
          c.real("train.task_temperature"), c.integer("train.bucket_window"), c.integer("train.log_every"),
          NoiseSite.valueOf(c.get("noise.site").toUpperCase(Locale.ROOT)), c.real("noise.train_sigma"));
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(c.source() + ": " + e.getMessage(), e);
    }
  }
}
