package io.slaft.cli;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.bench.BackboneBenchmark;
import io.slaft.model.bench.BenchStats;
import io.slaft.pipelines.config.ConfigKeys;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code slaft bench ...}: benchmarks that print the command, the machine and medians. */
@Command(name = "bench", description = "Benchmarks (medians over runs, ratios against a reference in the same process).",
    subcommands = {BenchCommand.BackboneBench.class, BenchCommand.TrainBench.class, BenchCommand.InferenceBench.class, BenchCommand.GlueBenchCommand.class, BenchCommand.RecipeBenchCommand.class})
public final class BenchCommand {

  /** How sessions ran: XLA JIT or op by op for inference, Grappler and settle-phase graph rebuilds for training. */
  static String xlaNote() {
    return (io.slaft.model.runtime.TfRuntime.xla() ? ", XLA JIT for fp32 inference sessions (bf16 ones run op by op)" : ", XLA off")
        + (io.slaft.model.runtime.TfRuntime.grappler() ? ", Grappler on for training (SLAFT_GRAPPLER=on)" : ", Grappler off for training")
        + (io.slaft.model.train.Trainer.rebuildsSettledByDefault() ? ", settled modules leave the training graph"
            : ", full training graph throughout (SLAFT_SETTLE_REBUILD=off)");
  }

  /** The flag that reproduces the XLA setting in a printed command: empty when XLA is on (the default). */
  static String xlaFlag() {
    return io.slaft.model.runtime.TfRuntime.xla() ? "" : " --no-xla";
  }

  /** The precisions a benchmark measures: {@code --precision} alone, or fp32 and bf16 side by side. */
  static java.util.List<io.slaft.model.backbone.Precision> precisions(BackboneOptions backbone, boolean compareBf16) {
    return compareBf16 ? java.util.List.of(io.slaft.model.backbone.Precision.FP32, io.slaft.model.backbone.Precision.BF16)
        : java.util.List.of(backbone.precision());
  }

  /** The flags that reproduce the precision setting in a printed command. */
  static String precisionFlags(BackboneOptions backbone, boolean compareBf16) {
    return compareBf16 ? " --compare-bf16" : " --precision " + backbone.precision;
  }

  /** What the precision setting resolved to on this CPU, for the machine line. */
  static String precisionNote(BackboneOptions backbone, boolean compareBf16) {
    return compareBf16 ? ", precision fp32 and bf16 side by side"
        : ", precision " + backbone.precision().id() + (backbone.precision.equals(io.slaft.model.backbone.Precision.AUTO)
            ? " (auto: the CPU " + (io.slaft.model.runtime.CpuFeatures.bf16() ? "has" : "has no") + " native bf16)" : "");
  }

  /** Medians need enough runs; fewer is a usage error. */
  static void requireRuns(int runs) {
    if (runs < 5) {
      throw new IllegalArgumentException("--runs must be >= 5 for a meaningful median, got " + runs);
    }
  }

  /** The two lines every benchmark prints first: the exact command and the machine. */
  static void printHeader(String command, String machineDetail) {
    System.out.println("command: " + command);
    System.out.println("machine: " + BenchStats.machine() + machineDetail);
    System.out.println();
  }

  @Command(name = "backbone", mixinStandardHelpOptions = true,
      description = "Forward tokens/s of slaft's TF encoder vs ONNX Runtime, batch 32 at lengths 64 and 128.")
  static final class BackboneBench implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin BackboneOptions backbone;

    @Option(names = "--runs", defaultValue = "7", description = "Timed runs per shape (median reported). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up runs. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lengths", defaultValue = "64,128", split = ",", description = "Sequence lengths. Default: ${DEFAULT-VALUE}.")
    int[] lengths;

    @Option(names = "--compare-bf16", description = "Measure slaft's encoder in fp32 and in bf16 side by side (ignores --precision).")
    boolean compareBf16;

    @Override
    public Integer call() {
      global.apply();
      requireRuns(runs);
      Backbone b = Backbone.load(backbone.source(), Math.max(backbone.maxLength, max(lengths)));
      java.util.List<io.slaft.model.backbone.Precision> ps = precisions(backbone, compareBf16);
      BackboneBenchmark.Result r = BackboneBenchmark.run(b, ps, batch, lengths, warmup, runs, 42, m -> System.err.println("  " + m));
      printHeader("./slaft bench backbone --backbone " + b.name() + " --runs " + runs + " --warmup " + warmup
          + precisionFlags(backbone, compareBf16) + xlaFlag(), ", TF intra-op threads " + r.threads() + xlaNote()
          + precisionNote(backbone, compareBf16));
      StringBuilder head = new StringBuilder("| backbone | batch x length |");
      StringBuilder rule = new StringBuilder("|---|---|");
      for (var p : ps) {
        head.append(" slaft TF ").append(p.id()).append(" tokens/s |");
        rule.append("---:|");
      }
      head.append(" ONNX Runtime fp32 tokens/s |");
      rule.append("---:|");
      for (var p : ps) {
        head.append(" TF ").append(p.id()).append(" / ORT |");
        rule.append("---:|");
      }
      System.out.println(head);
      System.out.println(rule);
      boolean fp32Ok = true;
      boolean bf16Ok = true;
      for (BackboneBenchmark.Row row : r.rows()) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %d x %d |", r.backbone(), row.batch(), row.length()));
        ps.forEach(p -> line.append(String.format(Locale.ROOT, " %,.0f |", row.tfTokensPerSec().get(p))));
        line.append(String.format(Locale.ROOT, " %,.0f |", row.ortTokensPerSec()));
        ps.forEach(p -> line.append(String.format(Locale.ROOT, " %.2f |", row.ratio(p))));
        System.out.println(line);
        fp32Ok &= !ps.contains(io.slaft.model.backbone.Precision.FP32) || row.ratio(io.slaft.model.backbone.Precision.FP32) >= 0.85;
        bf16Ok &= !ps.contains(io.slaft.model.backbone.Precision.BF16) || row.ratio(io.slaft.model.backbone.Precision.BF16) >= 1.5;
      }
      System.out.printf(Locale.ROOT, "%npeak RSS %.0f MiB (all engines loaded); medians of %d runs after %d warm-up%n",
          r.peakRssMiB(), r.runs(), warmup);
      if (ps.contains(io.slaft.model.backbone.Precision.FP32)) {
        System.out.println("target TF fp32 >= 0.85x ONNX Runtime: " + (fp32Ok ? "met" : "NOT met"));
      }
      if (ps.contains(io.slaft.model.backbone.Precision.BF16)) {
        System.out.println("target TF bf16 >= 1.5x ONNX Runtime fp32: " + (bf16Ok ? "met" : "NOT met"));
      }
      return ExitCode.OK;
    }

    private static int max(int[] a) {
      int m = 0;
      for (int x : a) {
        m = Math.max(m, x);
      }
      return m;
    }
  }

  @Command(name = "train", mixinStandardHelpOptions = true,
      description = "Training tokens/s with the full search space (all sites, all layers) at batch x length, vs the frozen forward pass.")
  static final class TrainBench implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin BackboneOptions backbone;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs (median reported). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed warm-up runs. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--steps", defaultValue = "5", description = "Training steps per run. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--length", defaultValue = "64", description = "Sequence length. Default: ${DEFAULT-VALUE}.")
    int length;

    @Option(names = "--methods", split = ",", defaultValue = "sla", paramLabel = "M,...", description = {
        "Methods, a row each: sla (the full search space) or any baseline preset of it. Default: ${DEFAULT-VALUE}."})
    java.util.List<String> methods;

    @Option(names = "--compare-bf16", description = "Train in fp32 and in bf16 side by side, a trainer each (ignores --precision).")
    boolean compareBf16;

    @Override
    public Integer call() {
      global.apply();
      requireRuns(runs);
      java.util.List<io.slaft.model.adapters.Method> ms = methods.stream().map(io.slaft.model.adapters.Method::byId).toList();
      java.util.List<io.slaft.model.backbone.Precision> ps = precisions(backbone, compareBf16);
      Backbone b = Backbone.load(backbone.source(), Math.max(backbone.maxLength, length));
      java.util.List<io.slaft.model.bench.TrainBenchmark.Result> results = new java.util.ArrayList<>();
      for (var m : ms) {
        java.util.List<io.slaft.model.backbone.Precision> mine = m == io.slaft.model.adapters.Method.FULL_FT
            ? java.util.List.of(io.slaft.model.backbone.Precision.FP32) : ps;
        results.add(io.slaft.model.bench.TrainBenchmark.run(b, m, mine, batch, length, warmup, runs, steps,
            s -> System.err.println("  " + s)));
      }
      printHeader("./slaft bench train --backbone " + b.name() + " --methods " + String.join(",", methods) + " --batch " + batch
          + " --length " + length + " --runs " + runs + " --steps " + steps + precisionFlags(backbone, compareBf16) + xlaFlag(),
          ", TF intra-op threads " + io.slaft.model.runtime.TfRuntime.intraOpThreads() + xlaNote()
          + precisionNote(backbone, compareBf16));
      System.out.println("| method | precision | batch x length | modules | trainable params | train tokens/s | forward tokens/s "
          + "| train / forward | train bf16 / fp32 |");
      System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|");
      for (var r : results) {
        for (var a : r.arms()) {
          String vsFp32 = a.precision() == io.slaft.model.backbone.Precision.BF16 && r.arms().size() > 1
              ? String.format(Locale.ROOT, "%.2f", a.trainTokensPerSec() / r.arm(io.slaft.model.backbone.Precision.FP32)
                  .trainTokensPerSec()) : "";
          System.out.printf(Locale.ROOT, "| %s | %s | %d x %d | %d | %,d | %,.0f | %,.0f | %.2f | %s |%n", r.method(),
              a.precision().id(), r.batch(), r.length(), r.modules(), r.trainableParams(), a.trainTokensPerSec(),
              a.forwardTokensPerSec(), a.ratio(), vsFp32);
        }
      }
      double peak = results.stream().mapToDouble(io.slaft.model.bench.TrainBenchmark.Result::peakRssMiB).max().orElse(0);
      System.out.printf(Locale.ROOT, "%npeak RSS %.0f MiB; medians of %d runs of %d steps after %d warm-up%n", peak, runs,
          steps, warmup);
      results.stream().filter(r -> r.method().equals("sla")).findFirst().ifPresent(r -> {
        double fp32 = r.arms().stream().filter(a -> a.precision() == io.slaft.model.backbone.Precision.FP32)
            .mapToDouble(io.slaft.model.bench.TrainBenchmark.Arm::trainTokensPerSec).findFirst().orElse(Double.NaN);
        if (!Double.isNaN(fp32)) {
          System.out.println("target sla fp32 >= 3,000 padded tokens/s and <= 4 GB peak: "
              + (fp32 >= 3000 && peak <= 4096 ? "met" : "NOT met"));
        }
        if (r.arms().size() > 1) {
          double ratio = r.arm(io.slaft.model.backbone.Precision.BF16).trainTokensPerSec() / fp32;
          System.out.printf(Locale.ROOT, "target sla bf16 / fp32 train tokens/s >= 2.0: %s (%.2f)%n",
              ratio >= 2.0 ? "met" : "NOT met", ratio);
        }
      });
      return ExitCode.OK;
    }
  }

  @Command(name = "recipe", mixinStandardHelpOptions = true,
      description = {"Train a config's exact rows and steps with each method in this process and compare wall time "
          + "(graph build, search, re-training, evaluations), train-step time, padded and real tokens/s and the served "
          + "dev metric: the figure to compare with another tool on the same recipe."})
  static final class RecipeBenchCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment YAML (see examples/).")
    java.nio.file.Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    java.util.List<String> overrides = new java.util.ArrayList<>();

    @Option(names = "--methods", split = ",", paramLabel = "M,...",
        description = "Methods to time. Default: the config's method and the reference.")
    java.util.List<String> methods;

    @Option(names = "--reference", defaultValue = "lora", description = "Method the wall ratios divide by. Default: ${DEFAULT-VALUE}.")
    String reference;

    @Option(names = "--runs", defaultValue = "3", description = "Runs per method (median reported). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Override
    public Integer call() {
      requireRuns(runs);
      io.slaft.pipelines.config.ExperimentConfig c = io.slaft.pipelines.config.ExperimentConfig.load(config)
          .withOverrides(overrides);
      global.defaultThreads(c.get(io.slaft.pipelines.config.ConfigKeys.TRAIN_THREADS));
      global.apply();
      java.util.List<String> ms = new java.util.ArrayList<>(methods != null ? methods
          : java.util.List.of(c.get(io.slaft.pipelines.config.ConfigKeys.METHOD)));
      if (!ms.contains(reference)) {
        ms.add(reference);
      }
      java.util.List<io.slaft.pipelines.bench.RecipeBench.Run> all = io.slaft.pipelines.bench.RecipeBench.run(c, ms, runs,
          m -> System.err.println("  " + m));
      StringBuilder cmd = new StringBuilder("./slaft bench recipe --config " + config);
      overrides.forEach(o -> cmd.append(" --set ").append(o));
      cmd.append(" --methods ").append(String.join(",", ms)).append(" --reference ").append(reference)
          .append(" --runs ").append(runs).append(xlaFlag());
      printHeader(cmd.toString(), ", TF intra-op threads " + io.slaft.model.runtime.TfRuntime.intraOpThreads() + xlaNote()
          + ", precision " + io.slaft.pipelines.experiment.Specs.precision(c).id());
      System.out.println(io.slaft.pipelines.bench.RecipeBench.table(io.slaft.pipelines.bench.RecipeBench.rows(all, ms,
          reference), reference).toMarkdown());
      return ExitCode.OK;
    }
  }

  @Command(name = "inference", mixinStandardHelpOptions = true,
      description = "Inference tokens/s: frozen backbone vs the pruned+merged export of a task vs the unpruned gated model.")
  static final class InferenceBench implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = io.slaft.pipelines.experiment.ModelReference.HELP)
    java.nio.file.Path given;

    @Option(names = "--point", paramLabel = "POINT", description = io.slaft.pipelines.experiment.ModelReference.POINT_HELP)
    String point;

    @Option(names = "--task", required = true, description = "Task in the export.")
    String task;

    @Option(names = "--bottleneck", defaultValue = "64", description = "Bottleneck of the gated full search space. Default: ${DEFAULT-VALUE}.")
    int bottleneck;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs (median). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--batches", defaultValue = "3", description = "Batches per run. Default: ${DEFAULT-VALUE}.")
    int batches;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--length", defaultValue = "64", description = "Sequence length. Default: ${DEFAULT-VALUE}.")
    int length;

    @Override
    public Integer call() {
      global.apply();
      requireRuns(runs);
      java.nio.file.Path model = io.slaft.pipelines.experiment.ModelReference.exportDir(given, point);
      var m = io.slaft.model.export.CompactModel.manifest(model);
      var ref = m.backbone();
      // the frozen reference in the precision the export is served in
      Backbone b = Backbone.load(ref.source(model), Math.max(ref.maxLength(), length)).withPrecision(ref.servedPrecision());
      var r = io.slaft.model.bench.InferenceBenchmark.run(b, model, task, io.slaft.model.adapters.SearchSpace.full(bottleneck, 8),
          batch, length, 1, runs, batches, s -> System.err.println("  " + s));
      printHeader("./slaft bench inference --model " + model + " --task " + task + " --runs " + runs,
          ", served in " + b.precision().id() + " (the export's precision)");
      System.out.println("| engine | modules | tokens/s | vs frozen |");
      System.out.println("|---|---:|---:|---:|");
      System.out.printf(Locale.ROOT, "| frozen backbone | 0 | %,.0f | 1.00 |%n", r.frozenTokensPerSec());
      System.out.printf(Locale.ROOT, "| pruned + merged (%s) | %d | %,.0f | %.2f |%n", r.task(), r.activeModules(), r.compactTokensPerSec(), r.compactVsFrozen());
      System.out.printf(Locale.ROOT, "| unpruned gated | %d | %,.0f | %.2f |%n", r.gatedModules(), r.gatedTokensPerSec(),
          r.gatedTokensPerSec() / r.frozenTokensPerSec());
      System.out.println();
      System.out.printf(Locale.ROOT, "targets: compact >= 0.95x frozen: %s; compact faster than gated: %s (%.2fx)%n",
          r.compactVsFrozen() >= 0.95 ? "met" : "NOT met", r.compactVsGated() > 1 ? "met" : "NOT met", r.compactVsGated());
      return ExitCode.OK;
    }
  }

  @Command(name = "glue", mixinStandardHelpOptions = true,
      description = {"SLA and every baseline on GLUE tasks (several seeds for the small tasks), same engine and caps;",
          "resumable (finished cells are cached in OUT/cells). Writes OUT/glue-bench.md and OUT/glue-bench.json."})
  static final class GlueBenchCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Option(names = "--config", defaultValue = "examples/bench-glue.yaml", description = "Base config. Default: ${DEFAULT-VALUE}.")
    java.nio.file.Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    java.util.List<String> overrides = new java.util.ArrayList<>();

    static final String DEFAULT_METHODS = "sla,head-only,bitfit,houlsby,pfeiffer,parallel,lora,prefix,adapterfusion,unipelt,full-ft";

    @Option(names = "--methods", split = ",", description = {"Table rows: method ids, or names of the profile's",
        "bench.variants rows. Default: " + DEFAULT_METHODS + ", then every bench.variants row of --config."})
    java.util.List<String> methods;

    @Option(names = "--tasks", split = ",", defaultValue = "sst2,cola,mrpc,stsb,qnli,rte")
    java.util.List<String> tasks;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "Seeds for the small tasks (mrpc, rte, cola, stsb).")
    java.util.List<Long> seeds;

    @Option(names = "--every-task-every-seed", description = {"Run every seed on every task, not just the small ones",
        "(the full protocol of examples/bench-glue-full.yaml)."})
    boolean everyTaskEverySeed;

    @Option(names = "--out", defaultValue = "runs/bench-glue", description = "Output directory. Default: ${DEFAULT-VALUE}.")
    java.nio.file.Path out;

    @Option(names = "--variant", paramLabel = "NAME:KEY=VALUE[,KEY=VALUE]...", description = {
        "An extra table row with its own overrides (repeatable), e.g.",
        "sla-budget:method=sla,sparsity.gate=budget,sparsity.budget=0.003;",
        "a piece without = continues a list: adapters.sites=ffn,lora,bias"})
    java.util.List<String> variantSpecs = new java.util.ArrayList<>();

    @Option(names = "--budget-minutes", defaultValue = "0", description = {"Start no new cell after this many minutes;",
        "the table then covers the finished tasks (0 = no limit). Default: ${DEFAULT-VALUE}."})
    double budgetMinutes;

    @Option(names = "--robustness", split = ",", paramLabel = "TASK", description = {
        "Also evaluate these tasks' cells under the input perturbations of robustness.families",
        "(their exports on dev; e.g. sst2,mnli), drop per family as mean ± std over seeds."})
    java.util.List<String> robustnessTasks = new java.util.ArrayList<>();

    @Option(names = "--robustness-at", defaultValue = "0.15", paramLabel = "SEVERITY", description = {
        "The severity of --robustness (ratio of words, characters or tokens perturbed). Default: ${DEFAULT-VALUE}."})
    double robustnessAt;

    @Override
    public Integer call() {
      var c = io.slaft.pipelines.config.ExperimentConfig.load(config).withOverrides(overrides);
      io.slaft.pipelines.bench.BenchRobustness robustness = io.slaft.pipelines.bench.BenchRobustness.NONE;
      if (!robustnessTasks.isEmpty()) {
        try {
          if (!tasks.containsAll(robustnessTasks)) {
            throw new IllegalArgumentException("--robustness " + String.join(",", robustnessTasks)
                + " names a task --tasks does not run; --tasks is " + String.join(",", tasks));
          }
          robustness = io.slaft.pipelines.bench.BenchRobustness.of(c, robustnessTasks, robustnessAt);
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
      }
      global.defaultThreads(c.get(ConfigKeys.TRAIN_THREADS));
      global.apply();
      global.claimOutput(out);
      java.util.Map<String, java.util.List<Long>> perTask = new java.util.LinkedHashMap<>();
      for (String t : tasks) {
        boolean small = java.util.Set.of("mrpc", "rte", "cola", "stsb").contains(t);
        perTask.put(t, small || everyTaskEverySeed ? seeds : java.util.List.of(seeds.get(0)));
      }
      java.util.Map<String, java.util.Map<String, String>> variants = new java.util.LinkedHashMap<>();
      java.util.List<String> rows = new java.util.ArrayList<>(methods != null ? methods : java.util.List.of(DEFAULT_METHODS.split(",")));
      for (io.slaft.pipelines.bench.BenchVariant v : io.slaft.pipelines.bench.BenchVariant.fromConfig(c)) {
        variants.put(v.name(), v.overrides());
        if (methods == null) {
          rows.add(v.name());
        }
      }
      for (String spec : variantSpecs) {
        io.slaft.pipelines.bench.BenchVariant v;
        try {
          v = io.slaft.pipelines.bench.BenchVariant.parse(spec);
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
        c.with(v.overrides()); // validates the keys and values now, not after hours of training
        variants.put(v.name(), v.overrides());
        if (!rows.contains(v.name())) {
          rows.add(v.name());
        }
      }
      try {
        io.slaft.pipelines.bench.BenchVariant.checkRows(c, rows, variants, tasks);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
      }
      String md = io.slaft.pipelines.bench.GlueBench.run(c, rows, variants, tasks, perTask, out.toAbsolutePath(), budgetMinutes,
          robustness, s -> System.err.println("bench glue: " + s));
      printHeader("./slaft bench glue --config " + config + (methods == null ? "" : " --methods " + String.join(",", methods))
          + variantSpecs.stream().map(v -> " --variant " + v).collect(java.util.stream.Collectors.joining())
          + " --tasks " + String.join(",", tasks)
          + " --seeds " + seeds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))
          + (everyTaskEverySeed ? " --every-task-every-seed" : "")
          + (robustnessTasks.isEmpty() ? "" : " --robustness " + String.join(",", robustnessTasks) + " --robustness-at "
              + robustnessAt)
          + overrides.stream().map(o -> " --set " + o).collect(java.util.stream.Collectors.joining()), "");
      System.out.println(io.slaft.pipelines.bench.GlueBench.caps(c));
      System.out.println();
      System.out.println(md);
      return ExitCode.OK;
    }
  }
}
