package io.slaft.cli;

import io.slaft.files.AtomicFiles;
import io.slaft.model.export.CompactModel;
import io.slaft.model.export.Exporter;
import io.slaft.model.export.WeightFile;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.train.CheckpointFile;
import io.slaft.model.train.LabeledExample;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.TrainListener;
import io.slaft.model.train.TrainTask;
import io.slaft.model.train.Trainer;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.ExperimentSession;
import io.slaft.pipelines.experiment.ModelReference;
import io.slaft.pipelines.experiment.RunDirectory;
import io.slaft.pipelines.experiment.TrainedPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code slaft export}: discretize a trained run's best structure into a compact export, and check parity. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Rebuild a trained run's served model (its config, final checkpoint and the discrete re-training the run did),",
        "and write it as an export:",
        "export.json, structure.json, weights.bin (kept adapters and heads only; LoRA merged at load).",
        "Checks that the compact model equals the hard-gated model on dev (max |diff| <= 1e-4)."})
public final class ExportCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Option(names = "--model", required = true, paramLabel = "MODEL",
      description = "Output directory of slaft train or slaft run (exported from its checkpoint), or an export directory "
          + "(verified and copied).")
  Path run;

  @Option(names = "--point", defaultValue = "main", description = "Sweep point id (default: ${DEFAULT-VALUE}).")
  String point;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Export directory.")
  Path out;

  @Override
  public Integer call() {
    if (ModelReference.isExport(run)) {
      return copyExport();
    }
    Path ckpt = ExperimentSession.checkpointDir(run, point);
    if (CheckpointFile.resumable(ckpt).isEmpty()) {
      throw new IllegalArgumentException(ckpt.resolve(CheckpointFile.NAME) + " not found: export needs a run trained with "
          + "train.checkpoint_every > 0 (slaft train writes the export to RUN_DIR/model/ itself)");
    }
    ExperimentConfig c = RunDirectory.pointConfig(run, point);
    global.defaultThreads(c.get(ConfigKeys.TRAIN_THREADS));
    global.apply();
    ExperimentSession session = ExperimentSession.open(c);
    try (TrainedPoint p = session.train(run, point, TrainListener.NONE, NoiseSite.NONE)) {
      p.export(out);
      boolean ok = true;
      for (TrainTask task : session.data().tasks()) {
        List<LabeledExample> dev = task.dev().subList(0, Math.min(256, task.dev().size()));
        float[][] gated = p.trainer().outputs(task, dev, Trainer.EvalControls.discretized());
        List<Encoded> enc = new ArrayList<>();
        dev.forEach(e -> enc.add(e.tokens()));
        double diff = 0;
        try (CompactModel m = CompactModel.load(out, task.name(), session.backbone())) {
          float[][] compact = m.outputs(enc);
          for (int i = 0; i < gated.length; i++) {
            for (int k = 0; k < gated[i].length; k++) {
              diff = Math.max(diff, Math.abs(gated[i][k] - compact[i][k]));
            }
          }
          System.out.printf(Locale.ROOT, "%s: %d active modules, %,d active params, parity max_abs_diff=%.2e on %d dev rows%n",
              task.name(), m.task().modules().size(), m.task().activeParams(), diff, dev.size());
        }
        ok &= diff <= 1e-4;
      }
      System.out.println("export: " + out.toAbsolutePath());
      return ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }
  }

  /** An export given as --model: its weights verified (checksum), then its files published at --out at once. */
  private int copyExport() {
    try {
      WeightFile.read(run.resolve(WeightFile.NAME));
      CompactModel.manifest(run);
      AtomicFiles.replaceDirectory(out, tmp -> {
        for (String f : Exporter.FILES) {
          if (Files.isRegularFile(run.resolve(f))) {
            AtomicFiles.copy(run.resolve(f), tmp.resolve(f));
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    System.out.println("export: " + out.toAbsolutePath() + " (copied from " + run + ", weights verified)");
    return ExitCode.OK;
  }
}
