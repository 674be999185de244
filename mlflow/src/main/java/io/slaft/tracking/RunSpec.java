package io.slaft.tracking;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a run is when it starts: its reference (experiment + run key), a display name, an optional
 * parent run (stored as the tag {@value #PARENT_RUN_ID_TAG}) and initial tags.
 *
 * @param run the run's identity
 * @param runName display name ({@code mlflow.runName})
 * @param parent parent run in the same experiment, or {@code null} for a top-level run
 * @param tags initial tags; must not use the reserved keys {@link RunRef#RUN_KEY_TAG} and
 *     {@value #PARENT_RUN_ID_TAG}
 */
public record RunSpec(RunRef run, String runName, RunRef parent, Map<String, String> tags) {

  /** MLflow's tag that nests a run under its parent in the UI. */
  public static final String PARENT_RUN_ID_TAG = "mlflow.parentRunId";

  public RunSpec {
    checkNotNull(run, "run must not be null");
    checkNotNull(runName, "runName must not be null");
    checkArgument(!runName.isBlank(), "runName must not be blank");
    tags = tags == null ? ImmutableMap.of() : ImmutableMap.copyOf(tags);
    if (parent != null) {
      checkArgument(
          parent.experiment().equals(run.experiment()),
          "a child run must be in its parent's experiment: parent in '%s', child in '%s'",
          parent.experiment(),
          run.experiment());
      checkArgument(!parent.equals(run), "a run cannot be its own parent: %s", run.runKey());
    }
    checkArgument(!tags.containsKey(RunRef.RUN_KEY_TAG), "tag %s is reserved for the run key", RunRef.RUN_KEY_TAG);
    checkArgument(!tags.containsKey(PARENT_RUN_ID_TAG), "tag %s is set from parent, not from tags", PARENT_RUN_ID_TAG);
  }

  /** A top-level run. */
  public static RunSpec root(String experiment, String runKey, String runName) {
    return new RunSpec(new RunRef(experiment, runKey), runName, null, Map.of());
  }

  /** A run nested under {@code parent}, in the parent's experiment. */
  public static RunSpec child(RunRef parent, String runKey, String runName) {
    return new RunSpec(new RunRef(parent.experiment(), runKey), runName, parent, Map.of());
  }

  public RunSpec withTags(Map<String, String> moreTags) {
    return new RunSpec(
        run, runName, parent, ImmutableMap.<String, String>builder().putAll(tags).putAll(moreTags).buildKeepingLast());
  }

  public Optional<RunRef> parentRun() {
    return Optional.ofNullable(parent);
  }
}
