package io.slaft.model.adapters;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Candidate nonlinearities of a bottleneck adapter's activation path. */
public enum Activation {
  RELU("relu"),
  GELU("gelu"),
  SILU("silu"),
  IDENTITY("identity");

  private final String id;

  Activation(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Activation byId(String id) {
    for (Activation a : values()) {
      if (a.id.equals(id.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown activation '" + id + "'; allowed: "
        + Arrays.stream(values()).map(Activation::id).collect(Collectors.joining(", ")));
  }
}
