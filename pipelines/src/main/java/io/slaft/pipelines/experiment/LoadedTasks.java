package io.slaft.pipelines.experiment;

import io.slaft.model.train.TrainTask;
import io.slaft.transforms.data.DeadLetter;
import io.slaft.transforms.data.ReadReport;
import io.slaft.transforms.data.TaskSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tasks ready for training, with what reading them produced.
 *
 * @param tasks tokenized tasks
 * @param specs the specs they were read with, in the same order, labels fixed ({@link
 *     TaskLoader#resolveLabels})
 * @param inferredLabels the labels of the tasks that took them from their training file
 * @param reports read reports per task and split (rows = examples + dead letters)
 * @param deadLetters every malformed row
 * @param digests data digest per task (SHA-256 of its files)
 */
public record LoadedTasks(List<TrainTask> tasks, List<TaskSpec> specs, List<InferredLabels> inferredLabels,
    List<ReadReport> reports, List<DeadLetter> deadLetters, Map<String, String> digests) {

  public LoadedTasks {
    tasks = List.copyOf(tasks);
    specs = List.copyOf(specs);
    inferredLabels = List.copyOf(inferredLabels);
    if (specs.size() != tasks.size()) {
      throw new IllegalArgumentException(specs.size() + " specs for " + tasks.size() + " tasks");
    }
  }

  /** Class names per task (task name → labels in class-index order; empty for regression), as exports record them. */
  public Map<String, List<String>> labelNames() {
    Map<String, List<String>> labels = new LinkedHashMap<>();
    for (TaskSpec spec : specs) {
      labels.put(spec.name(), spec.target().isRegression() ? List.of() : spec.target().labels());
    }
    return labels;
  }
}
