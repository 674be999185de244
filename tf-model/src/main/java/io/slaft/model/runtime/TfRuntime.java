package io.slaft.model.runtime;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Process-wide TensorFlow settings. The first {@link Session} in a JVM fixes TensorFlow's thread
 * pools for the whole process, so thread counts are decided here once, before any session exists,
 * and every session in slaft is created through {@link #newSession(Graph)}.
 *
 * <p>Determinism: with the same intra-op thread count, the same graph and the same inputs give
 * bit-identical results from run to run on one machine; changing the thread count can change the
 * order of floating-point reductions and so the last bits of metrics.
 *
 * <p>XLA: inference sessions ({@link #newInferenceSession(Graph)}: the frozen encoder, exported
 * compact models) are auto-clustered and JIT-compiled by XLA on the CPU unless it is turned off
 * ({@link #configureXla(boolean)}, {@code --no-xla}, {@code SLAFT_XLA=off}). XLA fuses the
 * element-wise chains of LayerNorm, GELU and the attention softmax that TensorFlow otherwise runs
 * op by op (measured +10–25 % forward tokens/s, BENCHMARKS.md). A shape is compiled after it has
 * been run a few times; a cluster that keeps seeing new shapes falls back to TensorFlow's kernels,
 * so dynamic padding cannot turn into a compile storm. Training sessions ({@link
 * #newSession(Graph)}) are never JIT-compiled: with lazy compilation the first runs of each shape
 * would use other kernels than later ones, and a resumed run would then differ from an
 * uninterrupted one in the last bits; compiling every padded length of a training run would also
 * cost more than it saves.
 *
 * <p>Grappler: training sessions ({@link #newSession(Graph)}) run without TensorFlow's graph
 * optimizer (Grappler's meta-optimizer), unless {@code SLAFT_GRAPPLER=on}. A training graph holds
 * the whole frozen backbone as constants, and Grappler rewrites it (constant folding, arithmetic
 * and dependency passes, op fusion) again for every new feed/fetch signature the trainer runs (the
 * train step, each evaluation, each phase): seconds per signature, paid by every sweep point,
 * while the rewrites buy a training step nothing measurable. Measured on an AVX2-only EPYC, 2
 * threads ({@code ./slaft train --config examples/sst2-sla.yaml --threads 2}): SLA 227 s without
 * Grappler vs 284 s with it; the LoRA preset 169 s vs (see BENCHMARKS.md "Graph optimizer"); a
 * 3-step sweep point 17 s vs 34 s. Metrics were identical in every comparison. Inference sessions
 * keep Grappler: they are built once and then serve many batches.
 */
public final class TfRuntime {
  private static volatile ConfigProto config;
  private static volatile ConfigProto trainingConfig;
  private static volatile ConfigProto inferenceConfig;
  private static volatile int intraThreads;
  private static volatile Boolean xla;

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
            + "model is loaded: TensorFlow fixes its thread pool at the first session");
      }
      return;
    }
    boolean jit = xla != null ? xla : xlaFromEnvironment();
    if (jit) {
      TensorFlow.version(); // loads the native library
      tensorflow.TF_SetTfXlaCpuGlobalJit((byte) 1);
    }
    intraThreads = intra;
    xla = jit;
    config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intra)
        .setInterOpParallelismThreads(inter)
        .setAllowSoftPlacement(true)
        .build();
    trainingConfig = grapplerFromEnvironment() ? config : config.toBuilder()
        .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
        .build();
    inferenceConfig = !jit ? config : config.toBuilder()
        .setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(
            OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_2)))
        .build();
  }

  /**
   * Turns XLA JIT compilation of inference sessions on or off (default: on, or {@code SLAFT_XLA}).
   * Must be called before the first session; afterwards only the value in force is accepted.
   */
  public static synchronized void configureXla(boolean enabled) {
    if (config != null) {
      if (xla != enabled) {
        throw new IllegalStateException("XLA is already " + (xla ? "on" : "off") + " for this JVM; choose "
            + "whether to use XLA before any model is loaded: TensorFlow fixes it at the first session");
      }
      return;
    }
    xla = enabled;
  }

  /** Whether inference sessions are JIT-compiled by XLA (configuring defaults if nothing was set). */
  public static boolean xla() {
    ensure();
    return xla;
  }

  private static boolean xlaFromEnvironment() {
    return switchFromEnvironment("SLAFT_XLA", true);
  }

  /** Whether {@code SLAFT_GRAPPLER} turns Grappler on for training sessions (default off). */
  private static boolean grapplerFromEnvironment() {
    return switchFromEnvironment("SLAFT_GRAPPLER", false);
  }

  /** The on/off environment variable {@code name}; unset or blank: {@code unset}; anything else is refused, naming it. */
  public static boolean switchFromEnvironment(String name, boolean unset) {
    String env = System.getenv(name);
    if (env == null || env.isBlank()) {
      return unset;
    }
    return switch (env.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "1", "true" -> true;
      case "off", "0", "false" -> false;
      default -> throw new IllegalArgumentException(name + "=" + env + " is not on/off; unset it or use " + name + "="
          + (unset ? "off" : "on"));
    };
  }

  /** Whether training sessions run Grappler, TensorFlow's graph optimizer (off unless {@code SLAFT_GRAPPLER=on}). */
  public static boolean grappler() {
    ensure();
    return trainingConfig == config;
  }

  /** The intra-op thread count in force (configuring defaults if nothing was set). */
  public static int intraOpThreads() {
    ensure();
    return intraThreads;
  }

  /**
   * A session on {@code graph} with the process-wide configuration, without XLA and without
   * Grappler unless {@link #grappler()}: for training graphs, whose results must not depend on how
   * often a shape has been run before, and for the op-by-op reference forward.
   */
  public static Session newSession(Graph graph) {
    ensure();
    return new Session(graph, trainingConfig);
  }

  /**
   * A session for a forward-only graph: the process-wide configuration plus XLA auto-clustering
   * when {@link #xla()} is on. Results agree with {@link #newSession(Graph)} within 1e-4 (the
   * ONNX Runtime parity bound), not bit for bit. A shape's first runs may still go op by op before
   * XLA compiles it, so the last bits of an inference output can depend on which shapes the session
   * saw before; training and the trainer's dev evaluation do not use these sessions.
   */
  public static Session newInferenceSession(Graph graph) {
    ensure();
    return new Session(graph, inferenceConfig);
  }

  /**
   * {@link #newInferenceSession(Graph)} for a graph whose frozen matmuls run in {@code precision}:
   * bf16 graphs never get XLA, whose CPU backend runs bf16 dots no faster than fp32 ones (MiniLM
   * batch 32 × 64 on an EPYC with avx512_bf16: 7,785 tokens/s under XLA, 11,354 op by op through
   * TensorFlow's bf16 kernels; BENCHMARKS.md).
   */
  public static Session newInferenceSession(Graph graph, io.slaft.model.backbone.Precision precision) {
    if (precision == io.slaft.model.backbone.Precision.BF16) {
      ensure();
      return new Session(graph, config);
    }
    return newInferenceSession(graph);
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
