package io.slaft.tracking.record;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.slaft.tracking.RunRef;

/**
 * One tracking operation, as queued, delivered, spooled and replayed. Every record has a unique
 * {@link #id()} (used to mark spooled records as replayed) and names its run by {@link RunRef},
 * so it can be delivered before the server has assigned a run id. Delivering a record twice has
 * the same effect as delivering it once.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = StartRun.class, name = "start_run"),
  @JsonSubTypes.Type(value = LogParams.class, name = "params"),
  @JsonSubTypes.Type(value = LogMetrics.class, name = "metrics"),
  @JsonSubTypes.Type(value = SetTags.class, name = "tags"),
  @JsonSubTypes.Type(value = LogInput.class, name = "input"),
  @JsonSubTypes.Type(value = LogArtifact.class, name = "artifact"),
  @JsonSubTypes.Type(value = EndRun.class, name = "end_run"),
  @JsonSubTypes.Type(value = RegisterModel.class, name = "register_model"),
  @JsonSubTypes.Type(value = SetModelAlias.class, name = "model_alias")
})
public sealed interface TrackingRecord
    permits StartRun, LogParams, LogMetrics, SetTags, LogInput, LogArtifact, EndRun, RegisterModel, SetModelAlias {

  String id();

  RunRef run();

  /** The tracker's snapshots of local files this record uploads; deleted once it is delivered. */
  default java.util.List<String> localFiles() {
    return java.util.List.of();
  }
}
