package io.slaft.pipelines.experiment;

import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.transforms.data.TaskSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the pipeline's prepare stage materialized a run's validated task splits ({@link
 * io.slaft.transforms.data.PreparedSplit} files under {@code <run>/prepared/<task>/}), the specs
 * it read them with (labels fixed, so the class indices in those files mean what the specs say),
 * the labels it inferred, the data digests it recorded, and the read settings it read them with.
 * Training elements read these instead of the raw files. Immutable and serializable (it travels
 * with Beam DoFns).
 *
 * @param directory the prepared-data directory, as a string (serializable)
 * @param specs the spec per config task name, labels fixed ({@link TaskLoader#resolveLabels})
 * @param inferredLabels the labels prepare inferred from training files
 * @param digests provenance digest per task, as {@link TaskLoader#digest} computes it
 * @param readSettings {@link TaskLoader#readSettings} of the config prepare read with
 */
public record PreparedData(String directory, Map<String, TaskSpec> specs, List<InferredLabels> inferredLabels,
    Map<String, String> digests, String readSettings) implements Serializable {
  public PreparedData {
    specs = Map.copyOf(specs);
    inferredLabels = List.copyOf(inferredLabels);
    digests = Map.copyOf(digests);
  }

  /** The prepared-data directory of a run directory. */
  public static Path dirOf(Path out) {
    return out.resolve("prepared");
  }

  public Path dir() {
    return Path.of(directory);
  }

  /**
   * The spec prepare read config task {@code name} with.
   *
   * @throws IllegalArgumentException when prepare did not read that task
   */
  public TaskSpec spec(String name) {
    TaskSpec s = specs.get(name);
    if (s == null) {
      throw new IllegalArgumentException("the prepared data in " + directory + " has no task " + name + "; it has "
          + specs.keySet());
    }
    return s;
  }

  /** Whether a point trained with {@code c} reads exactly these rows (its sweep does not vary what is read). */
  public boolean covers(ExperimentConfig c) {
    return readSettings.equals(TaskLoader.readSettings(c));
  }
}
