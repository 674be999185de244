package io.slaft.pipelines.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.export.Exporter;
import io.slaft.model.train.TaskResult;
import io.slaft.model.train.TrainListener;
import io.slaft.model.train.TrainResult;
import io.slaft.model.train.TrainSpec;
import io.slaft.model.train.Trainer;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.transforms.data.DeadLetterTsv;
import io.slaft.transforms.data.ReadReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one training configuration end to end without Beam: load backbone (shared per JVM) and
 * data, train (resuming from {@code out/checkpoints/<point>} if a checkpoint is there), and return
 * one {@link RunRecord} per task. Beam stages and {@code slaft train} both call it.
 */
public final class ExperimentRunner {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ExperimentRunner() {}

  /** The outcome of one point: records plus the trained model's results. */
  public record PointResult(List<Map<String, Object>> records, TrainResult result, LoadedTasks data,
      Provenance provenance, Path exportDir) {}

  /**
   * Trains {@code config}.
   *
   * @param out run directory (checkpoints under {@code out/checkpoints/<pointId>}, the discretized
   *     export under {@code out/model/<pointId>}; {@link PointResult#exportDir()} is null for
   *     methods without a compact export, see {@link io.slaft.model.adapters.SearchSpace#exportable()})
   * @param pointId sweep point id ("main" for a single run)
   * @param overrides the point's overrides (recorded)
   * @param listener progress
   */
  public static PointResult train(ExperimentConfig config, Path out, String pointId, Map<String, String> overrides,
      TrainListener listener) {
    Backbone backbone = Backbone.shared(Specs.backbone(config), config.integer("backbone.max_length"));
    TrainSpec spec = Specs.train(config);
    LoadedTasks data = TaskLoader.load(config, backbone);
    Provenance prov = Provenance.of(config, data, backbone);
    TrainResult result;
    Path exportDir = out.resolve("model").resolve(pointId);
    try (Trainer t = Trainer.create(backbone, spec, data.tasks())) {
      t.listener(listener);
      if (spec.checkpointEvery() > 0) {
        t.checkpointDir(out.resolve("checkpoints").resolve(pointId));
      }
      result = t.run();
      int retrain = config.integer("train.retrain_steps");
      if (retrain > 0 && t.learnsStructure()) {
        result = t.retrainDiscrete(result, retrain);
      }
      if (spec.space().exportable()) {
        Exporter.export(t, TaskLoader.labelNames(config), prov.asTags(), exportDir);
      } else {
        exportDir = null;
      }
    }
    List<Map<String, Object>> records = new ArrayList<>();
    for (TaskResult tr : result.tasks()) {
      records.add(RunRecord.of(result, tr, pointId, overrides, prov));
    }
    return new PointResult(records, result, data, prov, exportDir);
  }

  /** Writes {@code summary.json}, the resolved config and the dead letters into {@code out}. */
  public static Path writeSummary(ExperimentConfig config, Path out, List<Map<String, Object>> records,
      List<ReadReport> reports, List<io.slaft.transforms.data.DeadLetter> deadLetters, Map<String, Object> extra) {
    try {
      Files.createDirectories(out);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("experiment", config.get("name"));
      s.put("config_hash", config.hash());
      s.put("git_commit", Provenance.currentCommit());
      s.put("slaft_version", Provenance.VERSION);
      s.put("created", Instant.now().toString());
      s.put("runs", records);
      List<Object> rep = new ArrayList<>();
      for (ReadReport r : reports) {
        rep.add(JSON.readValue(r.toJson(), Map.class));
      }
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("reports", rep);
      data.put("dead_letters", deadLetters.size());
      data.put("dead_letter_file", out.resolve("dead_letters.tsv").toString());
      s.put("data", data);
      s.putAll(extra);
      DeadLetterTsv.write(out.resolve("dead_letters.tsv"), deadLetters);
      write(out.resolve("config.resolved.yaml"), config.toYaml());
      Path summary = out.resolve("summary.json");
      write(summary, JSON.writeValueAsString(s));
      return summary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results into " + out, e);
    }
  }

  static void write(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static ObjectMapper json() {
    return JSON;
  }
}
