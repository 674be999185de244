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
import io.slaft.pipelines.tracking.ExportRegistration;
import io.slaft.pipelines.tracking.TrackingSettings;
import io.slaft.tracking.ModelVersionSpec;
import io.slaft.tracking.TrackingStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

  @Option(names = "--register", paramLabel = "NAME",
      description = "Also register the export as a version of the registered model NAME on the MLflow server "
          + "(from a run of its own in the experiment; the same export registered twice is one version).")
  String register;

  @Option(names = "--alias", paramLabel = "ALIAS", description = "With --register: point this alias (e.g. champion) at the new version.")
  String alias;

  @Option(names = "--tracking-uri", paramLabel = "URI",
      description = "With --register: the MLflow server (default: the run config's tracking.uri; auto = the local server, "
          + "else MLFLOW_TRACKING_URI).")
  String trackingUri;

  @Option(names = "--experiment", paramLabel = "NAME",
      description = "With --register: the experiment of the registration run (default: the run config's, else slaft-exports).")
  String experiment;

  @Override
  public Integer call() throws IOException {
    if (register == null && (alias != null || trackingUri != null || experiment != null)) {
      throw new IllegalArgumentException("--alias, --tracking-uri and --experiment go with --register NAME; add --register or drop them");
    }
    if (register != null) {
      ModelVersionSpec.nameProblem(register).ifPresent(problem -> {
        throw new IllegalArgumentException("--register " + problem);
      });
    }
    if (alias != null) {
      ModelVersionSpec.aliasProblem(alias).ifPresent(problem -> {
        throw new IllegalArgumentException("--alias " + problem);
      });
    }
    Optional<ExportRegistration.Origin> origin = register == null ? Optional.empty() : origin();
    TrackingSettings registry = register == null ? null : registrySettings(origin);
    int code = exportOrCopy();
    if (registry != null && code == ExitCode.OK) {
      return registerExport(registry, origin);
    }
    return code;
  }

  /** Where the exported model was trained: the run directory's point, or the run an export directory sits in. */
  private Optional<ExportRegistration.Origin> origin() {
    if (ModelReference.isExport(run)) {
      return ExportRegistration.Origin.of(run);
    }
    return ExportRegistration.Origin.of(ExperimentSession.exportDir(run, point))
        .or(() -> Optional.of(new ExportRegistration.Origin(RunDirectory.pointConfig(run, point), point, List.of())));
  }

  /** Where --register sends its records, resolved before any work so that a missing server is refused at once. */
  private TrackingSettings registrySettings(Optional<ExportRegistration.Origin> origin) {
    ExperimentConfig base = origin.map(ExportRegistration.Origin::config)
        .orElse(ExperimentConfig.of("slaft export", Map.of(ConfigKeys.NAME.key(), "slaft-exports")));
    Map<String, String> overrides = new LinkedHashMap<>();
    if (trackingUri != null) {
      overrides.put(ConfigKeys.TRACKING_URI.key(), trackingUri);
    }
    if (experiment != null) {
      overrides.put(ConfigKeys.TRACKING_EXPERIMENT.key(), experiment);
    }
    Path abs = out.toAbsolutePath().normalize();
    TrackingSettings s = TrackingSettings.resolve(base.with(overrides), abs.resolveSibling(abs.getFileName() + ".register"));
    if (s == null || s.uri() == null || s.uri().isBlank()) {
      throw new IllegalArgumentException("--register needs an MLflow server: give --tracking-uri URI, set MLFLOW_TRACKING_URI, "
          + "or start one with ./slaft mlflow server start");
    }
    return s;
  }

  private int registerExport(TrackingSettings s, Optional<ExportRegistration.Origin> origin) throws IOException {
    Path exportDir = out.toAbsolutePath().normalize();
    ExportRegistration.register(s, exportDir, register, alias, origin);
    TrackingStatus st = s.close();
    if (st != null && st.rejected() > 0) {
      System.err.println("register: the server rejected " + st.rejected() + " record(s) (see the log above); " + register
          + " was not registered completely");
      return ExitCode.CHECK_FAILED;
    }
    if (st != null && st.spooled() > 0) {
      System.out.println("register: MLflow " + s.uri() + " is unreachable; the registration is spooled in " + st.spoolDir()
          + " (when it is back: ./slaft mlflow sync --spool " + st.spoolDir() + " --tracking-uri " + s.uri() + ")");
      return ExitCode.OK;
    }
    System.out.println("register: " + exportDir + " is a version of " + register + " on " + s.uri() + " (experiment '"
        + s.experiment() + "')" + (alias == null ? "" : "; load it as models:/" + register + "@" + alias));
    return ExitCode.OK;
  }

  private int exportOrCopy() {
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
      ModelReference.verify(run);
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
