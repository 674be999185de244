package io.slaft.tracking.record;

import static com.google.common.base.Preconditions.checkNotNull;

import io.slaft.tracking.RunRef;

/**
 * Points alias {@code alias} of registered model {@code name} at the version registered from
 * {@code run} (moving it from any other version). Setting it again changes nothing.
 */
public record SetModelAlias(String id, RunRef run, String name, String alias) implements TrackingRecord {

  public SetModelAlias {
    checkNotNull(id, "id must not be null");
    checkNotNull(run, "run must not be null");
    checkNotNull(name, "name must not be null");
    checkNotNull(alias, "alias must not be null");
  }
}
