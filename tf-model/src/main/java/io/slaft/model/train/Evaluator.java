package io.slaft.model.train;

import io.slaft.model.eval.GlueMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Evaluates tasks on the live parameters: head outputs in length-sorted batches
 * ({@link LengthBatches}), predictions, the task's metrics, and the structure and active size
 * they were measured with. Counts the padded tokens it ran, for evaluation throughput. The search
 * model is evaluated as the search trains it: modules the settle phase committed at their served
 * gate and activation ({@link Settler#asTrained}).
 */
final class Evaluator {
  private final TrainingSession session;
  private final Discretizer discretizer;
  private final Settler settler;
  private final TrainingGraph g;
  private final int batchSize;
  private long tokens;

  /** Every task's evaluation and its throughput in padded tokens per second. */
  record Evaluation(List<TaskResult> results, double tokensPerSec) {}

  Evaluator(TrainingSession session, Discretizer discretizer, Settler settler, TrainingGraph g, int batchSize) {
    this.session = session;
    this.discretizer = discretizer;
    this.settler = settler;
    this.g = g;
    this.batchSize = batchSize;
  }

  /** Each task on its dev split (what is reported). */
  Evaluation all(List<TrainTask> tasks, Trainer.EvalControls ec) {
    return all(tasks, ec, TrainTask::dev);
  }

  /** Each task on the examples {@code split} picks from it (e.g. {@link TrainTask#selection()}). */
  Evaluation all(List<TrainTask> tasks, Trainer.EvalControls ec, Function<TrainTask, List<LabeledExample>> split) {
    List<TaskResult> results = new ArrayList<>();
    long tokens0 = tokens;
    long t0 = System.nanoTime();
    for (TrainTask t : tasks) {
      results.add(evaluate(t, split.apply(t), ec));
    }
    return new Evaluation(results, (tokens - tokens0) / Math.max(1e-9, (System.nanoTime() - t0) / 1e9));
  }

  /** {@code task}'s head and structure on {@code examples}: predictions, metrics, structure, active size. */
  TaskResult evaluate(TrainTask task, List<LabeledExample> examples, Trainer.EvalControls ec) {
    List<ModuleGate> structure = discretizer.structure(task.name());
    float[][] out = outputs(task, examples, ec);
    float[] preds = new float[examples.size()];
    for (int i = 0; i < preds.length; i++) {
      if (task.isRegression()) {
        preds[i] = out[i][0];
      } else {
        int arg = 0;
        for (int k = 1; k < task.numLabels(); k++) {
          if (out[i][k] > out[i][arg]) {
            arg = k;
          }
        }
        preds[i] = arg;
      }
    }
    Map<String, Double> metrics;
    if (task.isRegression()) {
      float[] gold = new float[examples.size()];
      for (int i = 0; i < gold.length; i++) {
        gold[i] = examples.get(i).score();
      }
      metrics = GlueMetrics.regression(task.metric(), preds, gold);
    } else {
      int[] p = new int[preds.length];
      int[] gold = new int[preds.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = (int) preds[i];
        gold[i] = examples.get(i).label();
      }
      metrics = GlueMetrics.classification(task.metric(), p, gold);
    }
    return new TaskResult(task.name(), metrics, structure, discretizer.activeParams(task, structure), preds);
  }

  /** Raw head outputs, one row per example in order: the task's logits, or the score in column 0. */
  float[][] outputs(TrainTask task, List<LabeledExample> examples, Trainer.EvalControls ec) {
    if (ec.noiseSigma() > 0 && g.noiseSite() == NoiseSite.NONE) {
      throw new IllegalStateException("representation noise needs a trainer created with createWithNoise");
    }
    GateControls c = discretizer.controls(task.name(), ec.discrete(), ec.noiseSigma(), new SplittableRandom(ec.noiseSeed()));
    if (!ec.discrete()) {
      c = settler.asTrained(task.name(), c);
    }
    List<Integer> order = new ArrayList<>(examples.size());
    for (int i = 0; i < examples.size(); i++) {
      order.add(i);
    }
    float[][] rows = new float[examples.size()][];
    int width = g.maxOutputs();
    for (List<Integer> idx : LengthBatches.of(order, i -> examples.get(i).tokens().length(), batchSize, false)) {
      List<LabeledExample> batch = idx.stream().map(examples::get).toList();
      TrainingSession.Logits out = session.logits(task, batch, c);
      tokens += out.paddedTokens();
      for (int i = 0; i < batch.size(); i++) {
        rows[idx.get(i)] = Arrays.copyOfRange(out.values(), i * width, i * width + task.outputs());
      }
    }
    return rows;
  }
}
