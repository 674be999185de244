package io.slaft.model.runtime;

import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Copies tensor contents out of TensorFlow into Java arrays (the one place slaft reads a fetched tensor's floats). */
public final class TensorData {
  private TensorData() {}

  /** Every element of {@code t}, row-major. */
  public static float[] floats(TFloat32 t) {
    float[] a = new float[Math.toIntExact(t.size())];
    t.copyTo(DataBuffers.of(a, false, false));
    return a;
  }
}
