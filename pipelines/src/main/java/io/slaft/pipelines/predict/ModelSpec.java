package io.slaft.pipelines.predict;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which model a {@link Predict} serves: an export directory every worker can read, the task in it,
 * and how the user named the model and which version it is (both copied into every prediction).
 *
 * @param exportDir absolute path of the export directory (workers load it from there)
 * @param task the task in the export
 * @param reference the model as the user gave it (a path or a {@code models:/} reference)
 * @param version the registry version, or {@code sha256:<16 hex>} of the export's weights
 */
public record ModelSpec(String exportDir, String task, String reference, String version) implements Serializable {
  public ModelSpec {
    Objects.requireNonNull(exportDir, "exportDir");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(version, "version");
  }
}
