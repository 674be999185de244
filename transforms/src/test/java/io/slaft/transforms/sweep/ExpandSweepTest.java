package io.slaft.transforms.sweep;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;

public class ExpandSweepTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void emitsEveryPointOnce() {
    SweepSpec spec = SweepSpec.builder()
        .set("task", "RTE")
        .grid("sparsity.lambda", "0.1", "1.0")
        .grid("noise.ratio", "0", "0.1")
        .seeds(11, 12)
        .build();
    PCollection<SweepPoint> points = pipeline.apply(ExpandSweep.of(spec));
    PAssert.that(points).containsInAnyOrder(spec.expand());
    PAssert.thatSingleton(points.apply(Count.globally())).isEqualTo(8L);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void sweepWithoutAxesEmitsTheBaseOnly() {
    SweepSpec spec = SweepSpec.builder().set("task", "RTE").build();
    PAssert.that(pipeline.apply(ExpandSweep.of(spec))).containsInAnyOrder(spec.expand());
    pipeline.run().waitUntilFinish();
  }
}
