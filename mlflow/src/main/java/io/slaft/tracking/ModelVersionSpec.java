package io.slaft.tracking;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model version to register from a run's artifacts: the registered model's {@code name}, the
 * run-relative {@code artifactPath} the model's files were logged under (e.g. {@code model}), the
 * same files by name ({@code files}: uploaded again as the files of a logged model on servers that
 * have logged models, MLflow 3.x), the version's tags and its Markdown {@code description}.
 *
 * <p>One run registers at most one version per model name: registering again (a replay, a
 * continued run) finds the version by {@code (name, run id)} and adds nothing.
 */
public record ModelVersionSpec(String name, String artifactPath, Map<String, Path> files, Map<String, String> tags,
    String description) {

  /** MLflow's rule for registered model names that slaft enforces before any work. */
  public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

  public ModelVersionSpec {
    checkNotNull(name, "name must not be null");
    checkArgument(name.matches(NAME_PATTERN),
        "registered model name '%s' must match %s (letters, digits, '.', '_', '-'; at most 128)", name, NAME_PATTERN);
    ArtifactPaths.validate(artifactPath);
    files = ImmutableMap.copyOf(files);
    tags = ImmutableMap.copyOf(tags);
    description = description == null ? "" : description;
    for (String file : files.keySet()) {
      ArtifactPaths.validate(file);
    }
  }
}
