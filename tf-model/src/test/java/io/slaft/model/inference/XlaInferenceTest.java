package io.slaft.model.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneSource;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TextTokenizer;
import io.slaft.model.tokenize.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inference sessions are XLA-compiled by default. Every run of a shape — the first ones, which
 * TensorFlow may still run op by op, and the compiled ones — must agree with the op-by-op kernels
 * within the ONNX Runtime parity bound (1e-4); once compiled, runs repeat bit for bit.
 */
class XlaInferenceTest {
  @Test
  void compiledForwardMatchesKernelsWithinParityBound() {
    assertTrue(TfRuntime.xla(), "XLA is on by default for inference sessions");
    Backbone b = Backbone.shared(BackboneSource.builtin("minilm-l6"), 128);
    TextTokenizer tok = b.tokenizer();
    List<Encoded> rows = new ArrayList<>();
    rows.add(tok.encode("a gripping, funny and thoroughly satisfying film"));
    rows.add(tok.encode("The cat sat on the mat.", "A cat is sitting on a mat."));
    rows.add(tok.encode("naïve café — ünïcödé ✓"));
    rows.add(tok.encode("short"));
    TokenBatch batch = TokenBatch.pad(rows, tok.padId());
    try (FrozenEncoder xla = new FrozenEncoder(b.weights(), b.pooling());
         FrozenEncoder kernels = FrozenEncoder.withoutXla(b.weights(), b.pooling())) {
      float[] reference = kernels.hidden(batch);
      float[] previous = null;
      for (int run = 1; run <= 5; run++) {
        float[] out = xla.hidden(batch);
        float maxDiff = 0;
        for (int i = 0; i < reference.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(reference[i] - out[i]));
        }
        assertTrue(maxDiff <= 1e-4f, "run " + run + ": XLA vs kernels max abs diff " + maxDiff + " (the ONNX Runtime parity bound)");
        if (run >= 4) {
          assertArrayEquals(previous, out, "compiled runs " + (run - 1) + " and " + run + " differ");
        }
        previous = out;
      }
      assertFalse(java.util.Arrays.equals(reference, previous),
          "the compiled forward gave exactly the kernels' bits: XLA did not compile the encoder");
      float[] pooled = xla.pooled(batch);
      float[] pooledRef = kernels.pooled(batch);
      for (int i = 0; i < pooled.length; i++) {
        assertTrue(Math.abs(pooled[i] - pooledRef[i]) <= 1e-4f, "pooled " + i);
      }
    }
  }
}
