package io.slaft.model.inference;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneWeights;
import io.slaft.model.backbone.Pooling;
import io.slaft.model.backbone.Precision;
import io.slaft.model.graph.BertEncoderGraph;
import io.slaft.model.graph.EncoderHooks;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.TokenBatch;
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
 * The frozen backbone as a forward function: token batch → last hidden states or pooled vectors.
 * Owns one graph and session; {@link #close()} releases them. Thread-safe for concurrent calls
 * (TensorFlow sessions allow concurrent runs).
 */
public final class FrozenEncoder implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final BertEncoderGraph encoder;
  private final Operand<TFloat32> pooled;
  private final int hidden;

  /** The fp32 encoder in an inference session (XLA JIT when {@link TfRuntime#xla()} is on). */
  public FrozenEncoder(BackboneWeights weights, Pooling pooling) {
    this(weights, pooling, Precision.FP32, true);
  }

  /** {@code backbone}'s encoder, in its precision, in an inference session (XLA for fp32 only). */
  public FrozenEncoder(Backbone backbone) {
    this(backbone.weights(), backbone.pooling(), backbone.precision(), true);
  }

  /**
   * The encoder run by TensorFlow's kernels op by op, never XLA-compiled: the reference the
   * XLA-compiled forward is checked against.
   */
  public static FrozenEncoder withoutXla(BackboneWeights weights, Pooling pooling) {
    return new FrozenEncoder(weights, pooling, Precision.FP32, false);
  }

  /** {@link #withoutXla(BackboneWeights, Pooling)} in {@code precision}. */
  public static FrozenEncoder withoutXla(BackboneWeights weights, Pooling pooling, Precision precision) {
    return new FrozenEncoder(weights, pooling, precision, false);
  }

  private FrozenEncoder(BackboneWeights weights, Pooling pooling, Precision precision, boolean inference) {
    graph = new Graph();
    Ops tf = io.slaft.model.runtime.TfRuntime.ops(graph);
    encoder = BertEncoderGraph.build(tf, weights, EncoderHooks.NONE, precision);
    pooled = encoder.pooled(pooling);
    hidden = weights.config().hidden();
    session = inference ? TfRuntime.newInferenceSession(graph, precision) : TfRuntime.newSession(graph);
  }

  /** Last hidden states, row-major {@code [batch, length, hidden]}. */
  public float[] hidden(TokenBatch batch) {
    return run(batch, encoder.hidden(), (long) batch.batch() * batch.length() * hidden);
  }

  /** Pooled sentence vectors, row-major {@code [batch, hidden]}. */
  public float[] pooled(TokenBatch batch) {
    return run(batch, pooled, (long) batch.batch() * hidden);
  }

  private float[] run(TokenBatch b, Operand<TFloat32> out, long size) {
    Shape s = Shape.of(b.batch(), b.length());
    try (TInt32 ids = TInt32.tensorOf(s, DataBuffers.of(b.ids(), true, false));
         TInt32 types = TInt32.tensorOf(s, DataBuffers.of(b.typeIds(), true, false));
         TInt32 mask = TInt32.tensorOf(s, DataBuffers.of(b.mask(), true, false));
         Result r = session.runner().feed(encoder.ids(), ids).feed(encoder.typeIds(), types)
             .feed(encoder.mask(), mask).fetch(out).run()) {
      float[] a = io.slaft.model.runtime.TensorData.floats((TFloat32) r.get(0));
      if (a.length != size) {
        throw new IllegalStateException("the encoder returned " + a.length + " values, expected " + size);
      }
      return a;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
