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
  @JsonSubTypes.Type(value = EndRun.class, name = "end_run")
})
public sealed interface TrackingRecord permits StartRun, LogParams, LogMetrics, SetTags, LogInput, LogArtifact, EndRun {

  String id();

  RunRef run();
}
