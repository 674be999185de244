package io.slaft.pipelines.tracking;

import io.slaft.model.export.ExportManifest;
import io.slaft.model.export.Exporter;
import io.slaft.model.train.ModuleGate;
import io.slaft.model.train.TaskNames;
import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.tracking.ModelVersionSpec;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code slaft export --register}: an export directory becomes a version of a registered model,
 * from a run of its own in the tracking experiment (named {@code export · SST-2 · sla}, the export
 * files logged under {@link TrackingObserver#MODEL_ARTIFACTS}, the point's config as params). The
 * run key is the export's content digest, so registering the same export again continues that run
 * and adds no version. Version tags and description come from the export's manifest and, when the
 * export sits in a run directory ({@code RUN/model/POINT}), from that point's summary records.
 */
public final class ExportRegistration {

  private ExportRegistration() {}

  /** Where an export was made: the point's config and its summary records (one per task); empty for a bare export. */
  public record Origin(ExperimentConfig config, String point, List<Map<String, Object>> records) {

    public Origin {
      records = List.copyOf(records);
    }

    /** The origin of {@code exportDir} when it is {@code RUN/model/POINT} of a run directory with a summary, else empty. */
    @SuppressWarnings("unchecked")
    public static Optional<Origin> of(Path exportDir) {
      Path dir = exportDir.toAbsolutePath().normalize();
      Path run = dir.getParent() == null ? null : dir.getParent().getParent();
      if (run == null || !dir.getParent().getFileName().toString().equals("model")
          || !Files.isRegularFile(run.resolve(RunSummary.SUMMARY_FILE))) {
        return Optional.empty();
      }
      String point = dir.getFileName().toString();
      try {
        Map<String, Object> s = RunSummary.json().readValue(run.resolve(RunSummary.SUMMARY_FILE).toFile(), Map.class);
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) s.get("runs")) {
          if (point.equals(r.get("point_id"))) {
            records.add(r);
          }
        }
        if (records.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new Origin(io.slaft.pipelines.experiment.RunDirectory.pointConfig(run, point), point, records));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + run.resolve(RunSummary.SUMMARY_FILE), e);
      }
    }
  }

  /**
   * Logs {@code exportDir} to its registration run and registers it as a version of {@code model},
   * pointing {@code alias} at it when not null. Records go through {@code settings}' tracker (so a
   * server that is down leaves them in the spool for {@code slaft mlflow sync}).
   *
   * @return the registration run
   */
  public static RunRef register(TrackingSettings settings, Path exportDir, String model, String alias, Optional<Origin> origin)
      throws IOException {
    ExportManifest manifest = io.slaft.model.export.CompactModel.manifest(exportDir);
    Optional<ExperimentConfig> config = origin.map(Origin::config);
    List<String> tasks = manifest.tasks().stream().map(t -> configTask(config, t.name())).toList();
    String method = config.map(c -> c.get(ConfigKeys.METHOD)).orElse(null);
    Tracker t = settings.tracker();
    Map<String, String> runTags = new LinkedHashMap<>(RunPages.sourceTags());
    runTags.putAll(manifest.provenance());
    runTags.put("slaft.export", exportDir.toAbsolutePath().normalize().toString());
    origin.ifPresent(o -> runTags.put("slaft.point", o.point()));
    String title = String.join(", ", manifest.tasks().stream().map(e -> RunPages.taskTitle(e.name())).toList());
    RunRef run = t.startRun(RunSpec.root(settings.experiment(), "export/" + contentDigest(exportDir),
        "export · " + title + (method == null ? "" : " · " + method)).withTags(runTags));
    config.ifPresent(c -> t.logParams(run, c.resolved()));
    Map<String, Path> files = new LinkedHashMap<>();
    for (String f : Exporter.FILES) {
      Path p = exportDir.resolve(f);
      if (Files.isRegularFile(p)) {
        t.logArtifact(run, p, TrackingObserver.MODEL_ARTIFACTS + "/" + f);
        files.put(f, p);
      }
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("slaft.task", String.join(",", tasks));
    if (method != null) {
      tags.put("slaft.method", method);
    }
    origin.ifPresent(o -> tags.put("slaft.point", o.point()));
    if (manifest.provenance().containsKey("slaft.seed")) {
      tags.put("slaft.seed", manifest.provenance().get("slaft.seed"));
    }
    tags.put("slaft.active_params", String.valueOf(manifest.tasks().stream().mapToLong(ExportManifest.TaskEntry::activeParams).sum()));
    tags.put("slaft.structure_digest", String.join(",", manifest.tasks().stream().map(RunPages::structureDigest).toList()));
    StringBuilder note = new StringBuilder();
    for (ExportManifest.TaskEntry task : manifest.tasks()) {
      Optional<Map<String, Object>> rec = origin.flatMap(o -> o.records().stream()
          .filter(r -> TaskNames.same(String.valueOf(r.get("task")), task.name())).findFirst());
      String prefix = manifest.tasks().size() == 1 ? "" : configTask(config, task.name()) + "_";
      rec.ifPresent(r -> {
        tags.put("slaft." + prefix + "compression", String.valueOf(r.get("compression")));
        tags.putAll(RunPages.metricTags(r, prefix));
      });
      note.append(RunPages.taskSection(task.name(), method, rec.map(ExportRegistration::metrics).orElse(Map.of()),
          String.valueOf(task.modules().size()), task.activeParams(), rec.map(r -> r.get("compression")).orElse(null),
          RunPages.structureDigest(task), task.modules().stream().map(m -> new ModuleGate(m.module(), m.layer(), m.site(),
              m.gate(), true, m.activation(), Map.of(), m.width())).toList())).append('\n');
    }
    note.append("Registered by `slaft export --register ").append(model).append("` from ")
        .append(exportDir.toAbsolutePath().normalize()).append(".\n");
    t.setTags(run, Map.of(RunPages.NOTE_TAG, note.toString()));
    if (!files.isEmpty()) {
      t.registerModel(run, new ModelVersionSpec(model, TrackingObserver.MODEL_ARTIFACTS, files, tags, note.toString()));
    }
    if (alias != null) {
      t.setModelAlias(run, model, alias);
    }
    t.endRun(run, RunStatus.FINISHED);
    return run;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Double> metrics(Map<String, Object> record) {
    Map<String, Double> out = new LinkedHashMap<>();
    Object m = record.get("metrics");
    if (m instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).forEach((k, v) -> {
        if (v instanceof Number n) {
          out.put(k, n.doubleValue());
        }
      });
    }
    return out;
  }

  private static String configTask(Optional<ExperimentConfig> config, String shown) {
    return config.flatMap(c -> TaskNames.find(c.get(ConfigKeys.TASKS), shown)).orElse(shown);
  }

  /** SHA-256 over the export's files (name and bytes, in {@link Exporter#FILES} order), 16 hex digits. */
  static String contentDigest(Path exportDir) throws IOException {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String f : Exporter.FILES) {
        Path p = exportDir.resolve(f);
        if (Files.isRegularFile(p)) {
          d.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          try (InputStream in = new DigestInputStream(Files.newInputStream(p), d)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
          }
        }
      }
      return HexFormat.of().formatHex(d.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
