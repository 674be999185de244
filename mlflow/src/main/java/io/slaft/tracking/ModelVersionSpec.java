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
  /** The rule for model aliases ({@code champion}, {@code prod}). */
  public static final String ALIAS_PATTERN = "[A-Za-z][A-Za-z0-9_-]{0,255}";

  /** What is wrong with {@code name} as a registered model name, if anything (for messages that name the key or option). */
  public static java.util.Optional<String> nameProblem(String name) {
    return name != null && name.matches(NAME_PATTERN) ? java.util.Optional.empty() : java.util.Optional.of("'" + name
        + "' is not a registered model name: use letters, digits, '.', '_' and '-' (at most 128, starting with a letter or digit)");
  }

  /** What is wrong with {@code alias} as a model alias, if anything. */
  public static java.util.Optional<String> aliasProblem(String alias) {
    return alias != null && alias.matches(ALIAS_PATTERN) ? java.util.Optional.empty() : java.util.Optional.of("'" + alias
        + "' is not a model alias: start with a letter, then letters, digits, '_' and '-' (at most 256)");
  }

  public ModelVersionSpec {
    checkNotNull(name, "name must not be null");
    nameProblem(name).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    ArtifactPaths.validate(artifactPath);
    files = ImmutableMap.copyOf(files);
    tags = ImmutableMap.copyOf(tags);
    description = description == null ? "" : description;
    for (String file : files.keySet()) {
      ArtifactPaths.validate(file);
    }
  }
}
