package io.slaft.model.graph;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.backbone.BackboneConfig;
import io.slaft.model.backbone.BackboneWeights;
import io.slaft.model.runtime.TensorData;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.TokenBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Prefix positions in the encoder's attention: a prefix whose gate is closed ({@code log z} of the
 * smallest gate on its logits) leaves the encoder exactly as without one (to float rounding), an
 * open one changes every layer's output, and padding stays masked either way.
 */
class AttentionPrefixTest {
  private static final BackboneWeights W = BackboneWeights.random(BackboneConfig.tiny(2, 16, 2, 40), 9);
  private static final int P = 3;

  @Test
  void aClosedPrefixIsNoPrefixAndAnOpenOneChangesTheEncoder() {
    TokenBatch b = Bf16EncoderTest.randomBatch(4, 9, 40, new SplittableRandom(2));
    float[] none = hidden(b, null);
    float[] closed = hidden(b, (float) Math.log(1e-12));
    float[] open = hidden(b, 0f);
    double closedDiff = 0;
    double openDiff = 0;
    for (int i = 0; i < none.length; i++) {
      closedDiff = Math.max(closedDiff, Math.abs(none[i] - closed[i]));
      openDiff = Math.max(openDiff, Math.abs(none[i] - open[i]));
    }
    assertTrue(closedDiff < 1e-5, "closed prefix vs none: max diff " + closedDiff);
    assertTrue(openDiff > 1e-2, "an open prefix must change the hidden states: max diff " + openDiff);
    assertFalse(java.util.Arrays.equals(none, open));
  }

  /**
   * TensorFlow's gradient of a loss with respect to the prefix keys, values and gate logit (the
   * broadcast batch matmuls, the two-block softmax) agrees with central finite differences.
   */
  @Test
  void gradientsThroughThePrefixMatchFiniteDifferences() {
    int h = W.config().hidden();
    TokenBatch b = Bf16EncoderTest.randomBatch(3, 7, 40, new SplittableRandom(4));
    SplittableRandom r = new SplittableRandom(5);
    float[][] start = {uniform(r, P * h), uniform(r, P * h), {-0.3f}};
    float[] probe = uniform(r, b.batch() * b.length() * h);
    try (Graph g = new Graph()) {
      Ops tf = TfRuntime.ops(g);
      var keys = tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(Shape.of(P, h)));
      var values = tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(Shape.of(P, h)));
      var logGate = tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(Shape.scalar()));
      BertEncoderGraph enc = BertEncoderGraph.build(tf, W, new EncoderHooks() {
        @Override
        public AttentionPrefix prefix(Ops ops, int layer) {
          return new AttentionPrefix(keys, values, P, logGate);
        }
      });
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(tf.reshape(enc.hidden(), tf.constant(new int[] {-1})),
          tf.constant(probe)), tf.constant(0));
      var grads = tf.gradients(loss, java.util.List.of(keys, values, logGate));
      java.util.List<org.tensorflow.op.core.Placeholder<TFloat32>> inputs = java.util.List.of(keys, values, logGate);
      try (Session session = TfRuntime.newSession(g)) {
        java.util.function.Function<float[][], float[][]> run = x -> {
          Shape s = Shape.of(b.batch(), b.length());
          try (TInt32 ids = TInt32.tensorOf(s, DataBuffers.of(b.ids(), true, false));
               TInt32 types = TInt32.tensorOf(s, DataBuffers.of(b.typeIds(), true, false));
               TInt32 mask = TInt32.tensorOf(s, DataBuffers.of(b.mask(), true, false));
               TFloat32 k = TFloat32.tensorOf(Shape.of(P, h), DataBuffers.of(x[0], true, false));
               TFloat32 v = TFloat32.tensorOf(Shape.of(P, h), DataBuffers.of(x[1], true, false));
               TFloat32 z = TFloat32.scalarOf(x[2][0]);
               Result res = session.runner().feed(enc.ids(), ids).feed(enc.typeIds(), types).feed(enc.mask(), mask)
                   .feed(keys, k).feed(values, v).feed(logGate, z).fetch(loss).fetch(grads.dy(0)).fetch(grads.dy(1))
                   .fetch(grads.dy(2)).run()) {
            float[][] out = new float[4][];
            for (int i = 0; i < 4; i++) {
              out[i] = TensorData.floats((TFloat32) res.get(i));
            }
            return out;
          }
        };
        float[][] at = run.apply(start);
        double eps = 1e-2;
        for (int which = 0; which < inputs.size(); which++) {
          for (int idx : which == 2 ? new int[] {0} : new int[] {0, 7, h + 3, P * h - 1}) {
            float[][] plus = copy(start);
            float[][] minus = copy(start);
            plus[which][idx] += (float) eps;
            minus[which][idx] -= (float) eps;
            double numeric = (run.apply(plus)[0][0] - run.apply(minus)[0][0]) / (2 * eps);
            double analytic = at[1 + which][idx];
            assertTrue(Math.abs(numeric - analytic) <= 2e-2 * Math.max(1, Math.abs(numeric)),
                "input " + which + "[" + idx + "]: TensorFlow " + analytic + " vs finite differences " + numeric);
          }
        }
      }
    }
  }

  private static float[][] copy(float[][] x) {
    float[][] c = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      c[i] = x[i].clone();
    }
    return c;
  }

  private static float[] uniform(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return v;
  }

  /** Last hidden states with a random prefix in every layer whose logits get {@code logGate}, or none when null. */
  private static float[] hidden(TokenBatch b, Float logGate) {
    int h = W.config().hidden();
    try (Graph g = new Graph()) {
      Ops tf = TfRuntime.ops(g);
      SplittableRandom r = new SplittableRandom(7);
      EncoderHooks hooks = logGate == null ? EncoderHooks.NONE : new EncoderHooks() {
        @Override
        public AttentionPrefix prefix(Ops ops, int layer) {
          return new AttentionPrefix(random(tf, r, P, h), random(tf, r, P, h), P, tf.constant(logGate));
        }
      };
      BertEncoderGraph enc = BertEncoderGraph.build(tf, W, hooks);
      Shape s = Shape.of(b.batch(), b.length());
      try (Session session = TfRuntime.newSession(g);
           TInt32 ids = TInt32.tensorOf(s, DataBuffers.of(b.ids(), true, false));
           TInt32 types = TInt32.tensorOf(s, DataBuffers.of(b.typeIds(), true, false));
           TInt32 mask = TInt32.tensorOf(s, DataBuffers.of(b.mask(), true, false));
           Result res = session.runner().feed(enc.ids(), ids).feed(enc.typeIds(), types).feed(enc.mask(), mask)
               .fetch(enc.hidden()).run()) {
        return TensorData.floats((TFloat32) res.get(0));
      }
    }
  }

  private static Operand<TFloat32> random(Ops tf, SplittableRandom r, int rows, int cols) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return tf.constant(Shape.of(rows, cols), DataBuffers.of(v, true, false));
  }
}
