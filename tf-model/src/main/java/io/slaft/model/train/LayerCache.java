package io.slaft.model.train;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.graph.BertEncoderGraph;
import io.slaft.model.graph.EncoderHooks;
import io.slaft.model.runtime.TensorData;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.Encoded;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The frozen layers below the lowest layer with a module in the training graph ({@link
 * GraphPlan#frozenBelow()}): their output for an example never changes during a run (no module,
 * no BitFit delta, no noise there), so it is computed once per example and kept, and the training
 * graph starts at the first layer with a module. Each example runs alone (a batch of one at its own
 * length), so its cached output does not depend on which examples it was batched with and a
 * resumed run rebuilds the same cache bit for bit.
 *
 * <p>Only the run's own examples ({@code cacheable}: its tasks' training, validation and dev rows)
 * are kept; any other example (a perturbed copy in a robustness evaluation) is computed when asked
 * and not kept. Memory: {@link #bytes} of the kept examples; the trainer does not cache above
 * {@link #limitBytes()}. Not thread-safe: owned by one trainer.
 */
final class LayerCache implements AutoCloseable {
  /**
   * The memory limit: {@code SLAFT_LAYER_CACHE_MB} megabytes (0 switches the cache off; 1,024 when
   * unset), and never more than a quarter of the JVM's maximum heap (a small worker JVM, e.g. a
   * Flink task manager, caches less or nothing rather than running out of memory).
   */
  private static final long LIMIT_BYTES = Math.min(Runtime.getRuntime().maxMemory() / 4, 1024L * 1024 * Long.parseLong(
      System.getenv().getOrDefault("SLAFT_LAYER_CACHE_MB", "1024").trim()));

  private final int layers;
  private final int hidden;
  private final Graph graph;
  private final Session session;
  private final BertEncoderGraph encoder;
  private final Set<LabeledExample> cacheable;
  private final Map<LabeledExample, float[]> kept = new IdentityHashMap<>();
  private int computed;

  /** A cache of the output of the frozen layers {@code [0, layers)} of {@code backbone}, for {@code cacheable}. */
  LayerCache(Backbone backbone, int layers, Collection<LabeledExample> cacheable) {
    this.layers = layers;
    this.hidden = backbone.config().hidden();
    this.graph = new Graph();
    Ops tf = TfRuntime.ops(graph);
    this.encoder = BertEncoderGraph.build(tf, backbone.weights(), EncoderHooks.NONE, backbone.precision(), 0, layers);
    this.session = TfRuntime.newSession(graph);
    this.cacheable = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    this.cacheable.addAll(cacheable);
  }

  /** The memory the trainer may give the cache (from {@code SLAFT_LAYER_CACHE_MB} and the heap; 0: no cache). */
  static long limitBytes() {
    return LIMIT_BYTES;
  }

  /** What caching {@code examples} takes: a {@code [length, hidden]} float row block per example. */
  static long bytes(Collection<LabeledExample> examples, int hidden) {
    long n = 0;
    for (LabeledExample e : examples) {
      n += (long) e.tokens().ids().length * hidden * Float.BYTES;
    }
    return n;
  }

  /** The layers this cache computes: {@code [0, layers)}. */
  int layers() {
    return layers;
  }

  /** The output of the frozen layers for {@code e}, {@code [length, hidden]} row-major. */
  float[] hidden(LabeledExample e) {
    float[] h = kept.get(e);
    if (h != null) {
      return h;
    }
    h = compute(e.tokens());
    if (cacheable.contains(e)) {
      kept.put(e, h);
    }
    return h;
  }

  /** How many examples were run through the frozen layers (each kept one once). */
  int computed() {
    return computed;
  }

  private float[] compute(Encoded x) {
    computed++;
    int len = x.ids().length;
    Shape s = Shape.of(1, len);
    int[] mask = new int[len];
    java.util.Arrays.fill(mask, 1);
    try (TInt32 ids = TInt32.tensorOf(s, DataBuffers.of(x.ids(), true, false));
         TInt32 types = TInt32.tensorOf(s, DataBuffers.of(x.typeIds(), true, false));
         TInt32 m = TInt32.tensorOf(s, DataBuffers.of(mask, true, false));
         Result r = session.runner().feed(encoder.ids(), ids).feed(encoder.typeIds(), types).feed(encoder.mask(), m)
             .fetch(encoder.hidden2d()).run()) {
      float[] out = TensorData.floats((TFloat32) r.get(0));
      if (out.length != len * hidden) {
        throw new IllegalStateException("frozen layers gave " + out.length + " values for " + len + " tokens");
      }
      return out;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
