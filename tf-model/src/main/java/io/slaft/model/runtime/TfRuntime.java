package io.slaft.model.runtime;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Process-wide TensorFlow settings. The first {@link Session} in a JVM fixes TensorFlow's thread
 * pools for the whole process, so thread counts are decided here once, before any session exists,
 * and every session in slaft is created through {@link #newSession(Graph)}.
 *
 * <p>Determinism: with the same intra-op thread count, the same graph and the same inputs give
 * bit-identical results from run to run on one machine; changing the thread count can change the
 * order of floating-point reductions and so the last bits of metrics.
 */
public final class TfRuntime {
  private static volatile ConfigProto config;
  private static volatile int intraThreads;

  private TfRuntime() {}

  /**
   * Sets the thread counts; {@code intraOp <= 0} means one per available core. Calling it again
   * with different values after the first session exists fails, since TensorFlow would ignore them.
   */
  public static synchronized void configure(int intraOp, int interOp) {
    int intra = intraOp > 0 ? intraOp : Runtime.getRuntime().availableProcessors();
    int inter = interOp > 0 ? interOp : 1;
    if (config != null) {
      if (config.getIntraOpParallelismThreads() != intra || config.getInterOpParallelismThreads() != inter) {
        throw new IllegalStateException("TensorFlow threads are already fixed at intra=" + intraThreads
            + " inter=" + config.getInterOpParallelismThreads() + " for this JVM; set threads before any "
            + "model is loaded (--threads / train.threads)");
      }
      return;
    }
    intraThreads = intra;
    config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intra)
        .setInterOpParallelismThreads(inter)
        .setAllowSoftPlacement(true)
        .build();
  }

  /** The intra-op thread count in force (configuring defaults if nothing was set). */
  public static int intraOpThreads() {
    ensure();
    return intraThreads;
  }

  /** A session on {@code graph} with the process-wide configuration. */
  public static Session newSession(Graph graph) {
    ensure();
    return new Session(graph, config);
  }

  /**
   * An op builder on {@code graph}, placed on {@link #device()} when SLAFT_DEVICE=gpu (the GPU
   * build, Maven profile {@code gpu}); otherwise TensorFlow's default placement (the CPU).
   */
  public static org.tensorflow.op.Ops ops(Graph graph) {
    org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(graph);
    String d = System.getenv("SLAFT_DEVICE");
    return d != null && d.equalsIgnoreCase("gpu") ? tf.withDevice(org.tensorflow.DeviceSpec.newBuilder()
        .deviceType(org.tensorflow.DeviceSpec.DeviceType.GPU).deviceIndex(0).build()) : tf;
  }

  /** The device ops are placed on: {@code /GPU:0} when SLAFT_DEVICE=gpu, else the CPU. */
  public static String device() {
    String d = System.getenv("SLAFT_DEVICE");
    return d != null && d.equalsIgnoreCase("gpu") ? "/device:GPU:0" : "/device:CPU:0";
  }

  private static void ensure() {
    if (config == null) {
      String env = System.getenv("SLAFT_THREADS");
      configure(env == null ? 0 : Integer.parseInt(env.trim()), 1);
    }
  }
}
