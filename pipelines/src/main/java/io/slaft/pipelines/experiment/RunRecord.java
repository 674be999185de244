package io.slaft.pipelines.experiment;

import io.slaft.model.train.ModuleGate;
import io.slaft.model.train.TaskResult;
import io.slaft.model.train.TrainResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code summary.json}'s {@code runs[]}: one task of one training run (sweep point ×
 * seed). {@code metrics} are the official dev set's; {@code selected_on} says which split chose the
 * step ({@code validation}, held out of the training rows, whose figures are {@code
 * validation_metrics}; or {@code dev} when none was held out). Plain maps and numbers so it serializes to JSON as is and travels through Beam as JSON.
 */
public final class RunRecord {
  private RunRecord() {}

  /**
   * The record of {@code task} in {@code result}; {@code trivial} are the dev metrics of the task's
   * trivial predictor ({@link io.slaft.model.train.TrainTask#trivialMetrics}), recorded as {@code
   * trivial_metrics} beside the method's.
   */
  public static Map<String, Object> of(TrainResult result, TaskResult task, String pointId,
      Map<String, String> overrides, Provenance provenance, Map<String, Double> trivial) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("task", task.task());
    r.put("method", result.spec().method());
    r.put("seed", result.spec().seed());
    r.put("point_id", pointId);
    r.put("overrides", overrides);
    r.put("metrics", task.metrics());
    result.searchTasks().stream().filter(s -> s.task().equals(task.task())).findFirst()
        .ifPresent(s -> r.put("search_metrics", s.metrics()));
    r.put("selected_on", result.selectionSplit());
    result.validation(task.task()).ifPresent(v -> r.put("validation_metrics", v.metrics()));
    r.put("trivial_metrics", trivial);
    r.put("primary_metric", task.metrics().keySet().iterator().next());
    r.put("trainable_params", result.trainableParams());
    r.put("active_params", task.activeParams());
    r.put("backbone_params", result.backboneParams());
    r.put("compression", result.compression(task));
    r.put("trainable_pct", 100.0 * result.trainableParams() / result.backboneParams());
    r.put("active_modules", task.activeModules());
    r.put("total_modules", task.structure().size());
    r.put("gates", gates(task.structure()));
    r.put("structure", task.structure().stream().map(RunRecord::module).toList());
    List<Map<String, Object>> flips = new java.util.ArrayList<>();
    int lastQuarter = 0;
    for (io.slaft.model.train.TrainListener.EvalInfo e : result.history()) {
      Integer n = e.flips().get(task.task());
      if (n == null) {
        continue;
      }
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("step", e.step());
      f.put("flips", n);
      f.put("kept", e.structure().get(task.task()).size());
      flips.add(f);
      lastQuarter += 4L * e.step() > 3L * result.spec().steps() ? n : 0;
    }
    r.put("structure_flips", flips);
    r.put("structure_flips_last_quarter", lastQuarter);
    r.put("structure_settled_step", result.settledAt().getOrDefault(task.task(), -1));
    r.put("train_tokens_per_s", result.trainTokensPerSec());
    r.put("train_real_tokens_per_s", result.trainRealTokensPerSec());
    r.put("train_seconds", result.trainSeconds());
    r.put("eval_tokens_per_s", result.evalTokensPerSec());
    r.put("steps", result.stepsRun());
    r.put("planned_steps", result.spec().steps());
    r.put("stopped_early", result.stoppedEarly() != null);
    if (result.stoppedEarly() != null) {
      r.put("stop_rung", result.stoppedEarly().rung());
      r.put("stop_reason", result.stoppedEarly().reason());
    }
    r.put("best_step", result.bestStep());
    r.put("gate_family", result.spec().sparsity().family().id());
    r.put("lambda", result.spec().sparsity().lambda());
    r.put("provenance", provenance);
    return r;
  }

  /**
   * The task result a record was made from, as far as the record holds it: task, metrics (dev),
   * structure and active parameters; no predictions (a record does not store them). For a point
   * taken from the step cache, whose trainer never ran in this process.
   */
  @SuppressWarnings("unchecked")
  public static TaskResult taskResult(Map<String, Object> record) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    ((Map<String, Object>) record.get("metrics")).forEach((k, v) -> metrics.put(k, ((Number) v).doubleValue()));
    List<ModuleGate> structure = new java.util.ArrayList<>();
    for (Map<String, Object> m : (List<Map<String, Object>>) record.get("structure")) {
      String module = (String) m.get("module");
      java.util.regex.Matcher id = MODULE_ID.matcher(module);
      if (!id.matches()) {
        throw new IllegalArgumentException("record of task " + record.get("task") + ": module id '" + module
            + "' is not l<layer>.<site>");
      }
      Map<String, Double> weights = new LinkedHashMap<>();
      Object w = m.get("activation_weights");
      if (w instanceof Map<?, ?> map) {
        map.forEach((k, v) -> weights.put((String) k, ((Number) v).doubleValue()));
      }
      structure.add(new ModuleGate(module, Integer.parseInt(id.group(1)), id.group(2), ((Number) m.get("gate")).doubleValue(),
          (Boolean) m.get("active"), (String) m.get("activation"), weights, ((Number) m.get("width")).intValue()));
    }
    return new TaskResult((String) record.get("task"), metrics, structure, ((Number) record.get("active_params")).longValue(),
        new float[0]);
  }

  /** A module id, {@code l3.ffn} ({@link io.slaft.model.adapters.ModuleLayout.Module#idOf}). */
  private static final java.util.regex.Pattern MODULE_ID = java.util.regex.Pattern.compile("l(\\d+)\\.(.+)");

  /** Gate values as {@code {"l0": {"attn": 0.93, ...}, ...}}. */
  static Map<String, Map<String, Double>> gates(List<ModuleGate> structure) {
    Map<String, Map<String, Double>> g = new LinkedHashMap<>();
    for (ModuleGate m : structure) {
      g.computeIfAbsent("l" + m.layer(), k -> new LinkedHashMap<>()).put(m.site(), m.gate());
    }
    return g;
  }

  private static Map<String, Object> module(ModuleGate m) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("module", m.module());
    r.put("gate", m.gate());
    r.put("active", m.active());
    if (m.activation() != null) {
      r.put("activation", m.activation());
      r.put("activation_weights", m.activationWeights());
    }
    r.put("width", m.width());
    return r;
  }
}
