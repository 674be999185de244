package io.slaft.runners.flink;

import io.slaft.runners.RestartPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the local session cluster is started. Immutable; validated at construction.
 *
 * @param restPort REST/web port on 127.0.0.1, or 0 for any free port
 * @param slots task slots of each TaskManager (times {@code taskManagers}: the cluster's default parallelism)
 * @param taskManagerMemory every TaskManager memory component
 * @param jobManagerHeapMb JobManager heap
 * @param restart the cluster-wide restart strategy (fixed delay)
 * @param parentFirstPatterns class-name prefixes that jobs load from the TaskManager's own class path, added to
 *     Flink's defaults; must hold TensorFlow's and JavaCPP's so a second job does not load their natives again
 * @param startTimeout how long to wait for the TaskManager to register
 * @param javacppCacheDir where JavaCPP unpacks TensorFlow's native libraries in the cluster processes
 * @param taskManagers how many TaskManager processes to start (each with {@code slots} slots and this memory)
 */
public record ClusterOptions(int restPort, int slots, TaskManagerMemory taskManagerMemory, int jobManagerHeapMb,
    RestartPolicy restart, List<String> parentFirstPatterns, Duration startTimeout, Path javacppCacheDir,
    int taskManagers) {

  /** The prefixes that must be parent-first for TensorFlow to survive a second job (see DESIGN.md). */
  public static final List<String> REQUIRED_PARENT_FIRST = List.of("org.tensorflow.", "org.bytedeco.");

  /** Native-library and shared-type packages slaft's jobs load from the TaskManager's class path. */
  public static final List<String> DEFAULT_PARENT_FIRST =
      List.of("org.tensorflow.", "org.bytedeco.", "com.google.protobuf.", "ai.djl.");

  /** The REST port {@code ./slaft flink start} uses unless told otherwise. */
  public static final int DEFAULT_REST_PORT = 8081;

  /** Validates; messages name the option and the rule. */
  public ClusterOptions {
    if (restPort < 0 || restPort > 65535) {
      throw new IllegalArgumentException("--port must be 0 (any free port) or 1..65535, got " + restPort);
    }
    if (slots < 1 || slots > 64) {
      throw new IllegalArgumentException("--slots must be in 1..64, got " + slots);
    }
    if (taskManagers < 1 || taskManagers > 16) {
      throw new IllegalArgumentException("--taskmanagers must be in 1..16, got " + taskManagers);
    }
    if (taskManagerMemory == null) {
      throw new IllegalArgumentException("TaskManager memory must be given (TaskManagerMemory.DEFAULT)");
    }
    if (jobManagerHeapMb < 256) {
      throw new IllegalArgumentException("JobManager heap must be at least 256 MiB, got " + jobManagerHeapMb);
    }
    if (restart == null) {
      throw new IllegalArgumentException("restart policy must be given (RestartPolicy.NONE for none)");
    }
    parentFirstPatterns = List.copyOf(parentFirstPatterns);
    for (String required : REQUIRED_PARENT_FIRST) {
      if (!parentFirstPatterns.contains(required)) {
        throw new IllegalArgumentException("parent-first patterns must contain '" + required + "' (a second job "
            + "loading TensorFlow from its own class loader aborts the TaskManager), got " + parentFirstPatterns);
      }
    }
    for (String p : parentFirstPatterns) {
      if (p.isBlank() || p.contains(";") || p.contains(" ")) {
        throw new IllegalArgumentException("parent-first pattern '" + p + "' must be a non-empty class-name "
            + "prefix without ';' or spaces");
      }
    }
    if (startTimeout == null || startTimeout.compareTo(Duration.ofSeconds(5)) < 0) {
      throw new IllegalArgumentException("start timeout must be at least 5 s, got " + startTimeout);
    }
    if (javacppCacheDir == null) {
      throw new IllegalArgumentException("the JavaCPP cache directory must be given");
    }
  }

  /**
   * Defaults: REST port 8081, 2 slots, {@link TaskManagerMemory#DEFAULT}, 1 GiB JobManager heap,
   * {@link RestartPolicy#CLUSTER_DEFAULT}, {@link #DEFAULT_PARENT_FIRST}, 180 s start timeout, and the JavaCPP
   * cache of {@code -Dorg.bytedeco.javacpp.cachedir} or {@code ~/.cache/slaft/javacpp}.
   */
  public static ClusterOptions defaults() {
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    Path cacheDir = cache != null && !cache.isBlank() ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "slaft", "javacpp");
    return new ClusterOptions(DEFAULT_REST_PORT, 2, TaskManagerMemory.DEFAULT, 1024, RestartPolicy.CLUSTER_DEFAULT,
        DEFAULT_PARENT_FIRST, Duration.ofSeconds(180), cacheDir, 1);
  }

  /** A copy with another REST port (0 = any free port). */
  public ClusterOptions withRestPort(int port) {
    return new ClusterOptions(port, slots, taskManagerMemory, jobManagerHeapMb, restart, parentFirstPatterns,
        startTimeout, javacppCacheDir, taskManagers);
  }

  /** A copy with another number of task slots. */
  public ClusterOptions withSlots(int n) {
    return new ClusterOptions(restPort, n, taskManagerMemory, jobManagerHeapMb, restart, parentFirstPatterns,
        startTimeout, javacppCacheDir, taskManagers);
  }

  /** A copy with other TaskManager memory. */
  public ClusterOptions withTaskManagerMemory(TaskManagerMemory m) {
    return new ClusterOptions(restPort, slots, m, jobManagerHeapMb, restart, parentFirstPatterns, startTimeout,
        javacppCacheDir, taskManagers);
  }

  /** A copy with another restart policy. */
  public ClusterOptions withRestart(RestartPolicy r) {
    return new ClusterOptions(restPort, slots, taskManagerMemory, jobManagerHeapMb, r, parentFirstPatterns,
        startTimeout, javacppCacheDir, taskManagers);
  }

  /** A copy with other parent-first patterns (must still contain {@link #REQUIRED_PARENT_FIRST}). */
  public ClusterOptions withParentFirstPatterns(List<String> patterns) {
    return new ClusterOptions(restPort, slots, taskManagerMemory, jobManagerHeapMb, restart, patterns, startTimeout,
        javacppCacheDir, taskManagers);
  }

  /** A copy with another number of TaskManagers. */
  public ClusterOptions withTaskManagers(int n) {
    return new ClusterOptions(restPort, slots, taskManagerMemory, jobManagerHeapMb, restart, parentFirstPatterns,
        startTimeout, javacppCacheDir, n);
  }

  /** Slots over all TaskManagers: the cluster's default parallelism. */
  public int totalSlots() {
    return slots * taskManagers;
  }
}
