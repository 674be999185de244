package io.slaft.transforms.sweep;

import static com.google.common.base.Preconditions.checkNotNull;

import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Emits the points of a {@link SweepSpec} as a {@code PCollection<SweepPoint>}, one element per
 * point. The points are computed when the pipeline is built, so every runner sees the same set;
 * consumers that need order use {@link SweepPoint#index()}.
 */
public final class ExpandSweep extends PTransform<PBegin, PCollection<SweepPoint>> {
  private static final long serialVersionUID = 1L;

  private final SweepSpec spec;

  private ExpandSweep(SweepSpec spec) {
    this.spec = checkNotNull(spec, "spec");
  }

  public static ExpandSweep of(SweepSpec spec) {
    return new ExpandSweep(spec);
  }

  @Override
  public PCollection<SweepPoint> expand(PBegin input) {
    return input.apply("SweepPoints", Create.of(spec.expand()).withCoder(SweepPointCoder.of()));
  }
}
