package io.slaft.tracking.record;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import io.slaft.tracking.RunRef;
import java.util.Map;

/** Tags of a run; setting a tag again overwrites it. */
public record SetTags(String id, RunRef run, Map<String, String> tags) implements TrackingRecord {

  public SetTags {
    checkNotNull(id, "id must not be null");
    checkNotNull(run, "run must not be null");
    tags = ImmutableMap.copyOf(tags);
  }
}
