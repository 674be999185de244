package io.slaft.model.verify;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.slaft.model.tokenize.TokenBatch;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * ONNX Runtime running the original export: the reference slaft's TensorFlow rebuild is checked
 * against (parity) and benchmarked against. Verification and benchmarks only; never on the
 * training or inference path.
 */
public final class OnnxReference implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final boolean hasTypeIds;

  /** Opens {@code onnx} with {@code threads} intra-op threads. */
  public OnnxReference(Path onnx, int threads) {
    try {
      env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
      opts.setIntraOpNumThreads(threads);
      opts.setInterOpNumThreads(1);
      session = env.createSession(onnx.toString(), opts);
      hasTypeIds = session.getInputNames().contains("token_type_ids");
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot open " + onnx + ": " + e.getMessage(), e);
    }
  }

  /** Last hidden states {@code [batch, length, hidden]}, row-major. */
  public float[] hidden(TokenBatch b) {
    long[] shape = {b.batch(), b.length()};
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.ids())), shape);
         OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.mask())), shape);
         OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.typeIds())), shape)) {
      Map<String, OnnxTensor> in = hasTypeIds
          ? Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types)
          : Map.of("input_ids", ids, "attention_mask", mask);
      try (OrtSession.Result r = session.run(in)) {
        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  private static long[] toLong(int[] a) {
    long[] l = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      l[i] = a[i];
    }
    return l;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
