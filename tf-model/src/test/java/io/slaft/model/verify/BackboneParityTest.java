package io.slaft.model.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneSource;
import io.slaft.model.backbone.Precision;
import org.junit.jupiter.api.Test;

/** The real MiniLM backbone rebuilt in TensorFlow matches ONNX Runtime on the original export. */
class BackboneParityTest {
  @Test
  void minilmMatchesOnnxRuntime() {
    Backbone b = Backbone.shared(BackboneSource.builtin("minilm-l6"), 128);
    assertEquals(6, b.config().layers());
    assertEquals(384, b.config().hidden());
    assertEquals(12, b.config().heads());
    assertEquals(1536, b.config().intermediate());
    assertEquals(22_565_376L, b.weights().allArrays().stream().mapToLong(a -> a.length).sum()
        - b.config().hidden() * 0L);
    ParityReport r = BackboneParity.run(b, s -> {});
    System.out.println(r.line());
    assertTrue(r.cases() >= 20, "at least 20 varied inputs");
    assertTrue(r.passes(), r.line());
  }

  /** bf16 frozen matmuls keep every real token of the parity cases within cosine 0.999 of ONNX Runtime fp32, on any CPU. */
  @Test
  void minilmInBf16IsWithinCosine0999OfFp32() {
    Backbone b = Backbone.shared(BackboneSource.builtin("minilm-l6"), 128).withPrecision(Precision.BF16);
    ParityReport r = BackboneParity.run(b, s -> {});
    System.out.println(r.line());
    assertEquals(Precision.BF16, r.precision());
    assertTrue(r.passes(), r.line());
    assertTrue(r.cosineMin() < ParityReport.COSINE_MIN, "bf16 must actually round (else the graph ran fp32): " + r.line());
  }
}
