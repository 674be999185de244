package io.slaft.runners.flink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every TaskManager memory component, in MiB. Flink's own start scripts derive these and the matching JVM flags;
 * a TaskManager started directly from jars needs them all spelled out. TensorFlow's native allocations are not
 * part of any component: they come out of the machine's memory beside {@link #processMb()}.
 *
 * @param frameworkHeapMb {@code taskmanager.memory.framework.heap.size}
 * @param taskHeapMb {@code taskmanager.memory.task.heap.size} (Beam's and slaft's objects)
 * @param managedMb {@code taskmanager.memory.managed.size} (batch sorting and joins)
 * @param frameworkOffHeapMb {@code taskmanager.memory.framework.off-heap.size}
 * @param taskOffHeapMb {@code taskmanager.memory.task.off-heap.size} (direct buffers of user code)
 * @param networkMb {@code taskmanager.memory.network.min} and {@code .max}; at least 256 for Beam jobs
 * @param metaspaceMb {@code taskmanager.memory.jvm-metaspace.size}; every job loads Beam's classes again
 * @param overheadMb {@code taskmanager.memory.jvm-overhead.min} and {@code .max}
 */
public record TaskManagerMemory(int frameworkHeapMb, int taskHeapMb, int managedMb, int frameworkOffHeapMb,
    int taskOffHeapMb, int networkMb, int metaspaceMb, int overheadMb) {

  /** Smallest network memory that Beam's shuffles get by with. */
  public static final int MIN_NETWORK_MB = 256;

  /** Smallest metaspace that holds Beam, the Flink runner and slaft for a couple of jobs. */
  public static final int MIN_METASPACE_MB = 256;

  /** Defaults for one TaskManager on a developer machine: about 4 GiB of JVM. */
  public static final TaskManagerMemory DEFAULT = new TaskManagerMemory(128, 2048, 256, 128, 256, 256, 512, 384);

  /** Validates each component; messages name the Flink key and the rule. */
  public TaskManagerMemory {
    positive("taskmanager.memory.framework.heap.size", frameworkHeapMb, 64);
    positive("taskmanager.memory.task.heap.size", taskHeapMb, 256);
    positive("taskmanager.memory.managed.size", managedMb, 16);
    positive("taskmanager.memory.framework.off-heap.size", frameworkOffHeapMb, 64);
    positive("taskmanager.memory.task.off-heap.size", taskOffHeapMb, 0);
    positive("taskmanager.memory.network.min/max", networkMb, MIN_NETWORK_MB);
    positive("taskmanager.memory.jvm-metaspace.size", metaspaceMb, MIN_METASPACE_MB);
    positive("taskmanager.memory.jvm-overhead.min/max", overheadMb, 192);
  }

  /** A copy with another task heap. */
  public TaskManagerMemory withTaskHeapMb(int mb) {
    return new TaskManagerMemory(frameworkHeapMb, mb, managedMb, frameworkOffHeapMb, taskOffHeapMb, networkMb,
        metaspaceMb, overheadMb);
  }

  /** The JVM heap: framework plus task heap. */
  public int heapMb() {
    return frameworkHeapMb + taskHeapMb;
  }

  /** The JVM's direct-memory limit: framework and task off-heap plus network. */
  public int directMb() {
    return frameworkOffHeapMb + taskOffHeapMb + networkMb;
  }

  /** Total process memory as Flink accounts it: every component. */
  public int processMb() {
    return heapMb() + managedMb + directMb() + metaspaceMb + overheadMb;
  }

  /** The {@code taskmanager.memory.*} entries, in a stable order. */
  public Map<String, String> flinkConf() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("taskmanager.memory.framework.heap.size", mb(frameworkHeapMb));
    m.put("taskmanager.memory.task.heap.size", mb(taskHeapMb));
    m.put("taskmanager.memory.managed.size", mb(managedMb));
    m.put("taskmanager.memory.framework.off-heap.size", mb(frameworkOffHeapMb));
    m.put("taskmanager.memory.task.off-heap.size", mb(taskOffHeapMb));
    m.put("taskmanager.memory.network.min", mb(networkMb));
    m.put("taskmanager.memory.network.max", mb(networkMb));
    m.put("taskmanager.memory.jvm-metaspace.size", mb(metaspaceMb));
    m.put("taskmanager.memory.jvm-overhead.min", mb(overheadMb));
    m.put("taskmanager.memory.jvm-overhead.max", mb(overheadMb));
    return m;
  }

  /** The JVM flags Flink's scripts would pass for these components. */
  public List<String> jvmArgs() {
    return List.of("-Xmx" + heapMb() + "m", "-Xms" + heapMb() + "m", "-XX:MaxDirectMemorySize=" + directMb() + "m",
        "-XX:MaxMetaspaceSize=" + metaspaceMb + "m");
  }

  private static String mb(int v) {
    return v + "m";
  }

  private static void positive(String key, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(key + " must be at least " + min + " MiB, got " + value);
    }
  }
}
