package io.slaft.pipelines.experiment;

import io.slaft.model.export.Exporter;
import io.slaft.model.train.TaskResult;
import io.slaft.model.train.TrainResult;
import io.slaft.model.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trained point of an {@link ExperimentSession}: the open trainer holding the served model and
 * its result (the discretized, re-trained model for learned structures). Exports and run records
 * are made from it, so the export is the model the records report. Close it to free the graph.
 */
public final class TrainedPoint implements AutoCloseable {
  private final ExperimentSession session;
  private final String pointId;
  private final Trainer trainer;
  private final TrainResult result;

  TrainedPoint(ExperimentSession session, String pointId, Trainer trainer, TrainResult result) {
    this.session = session;
    this.pointId = pointId;
    this.trainer = trainer;
    this.result = result;
  }

  /** Whether the method has a compact export ({@link io.slaft.model.adapters.SearchSpace#exportable()}). */
  public boolean exportable() {
    return session.spec().train().space().exportable();
  }

  /** Writes the compact export of the served model into {@code dir} and returns it. */
  public Path export(Path dir) {
    return Exporter.export(trainer, session.data().labelNames(), session.provenance().asTags(), dir);
  }

  /** One {@code runs[]} record per task, with the point's sweep overrides. */
  public List<Map<String, Object>> records(Map<String, String> overrides) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (TaskResult tr : result.tasks()) {
      io.slaft.model.train.TrainTask task = session.data().tasks().stream().filter(t -> t.name().equals(tr.task()))
          .findFirst().orElseThrow();
      records.add(RunRecord.of(result, tr, pointId, overrides, session.provenance(), task.trivialMetrics()));
    }
    return records;
  }

  public Trainer trainer() {
    return trainer;
  }

  public TrainResult result() {
    return result;
  }

  public String pointId() {
    return pointId;
  }

  @Override
  public void close() {
    trainer.close();
  }
}
