package io.slaft.tracking.system;

import java.util.List;

/**
 * The metric keys of system metrics. MLflow's UI shows every metric whose key starts with
 * {@value #PREFIX} in a run's "System metrics" tab; the host and process keys are the ones MLflow's
 * own monitors log ({@code mlflow/system_metrics/metrics/cpu_monitor.py}, {@code disk_monitor.py},
 * {@code network_monitor.py}, {@code process_monitor.py}), with the same units, so slaft's runs and
 * Python runs chart side by side. Megabytes are 10<sup>6</sup> bytes, as in MLflow.
 */
public final class SystemMetricNames {

  /** Prefix of every system metric (MLflow's {@code MLFLOW_SYSTEM_METRIC_PREFIX}). */
  public static final String PREFIX = "system/";

  /** Busy share of all CPUs of the host since the previous reading, 0..100. */
  public static final String CPU_UTILIZATION_PERCENTAGE = PREFIX + "cpu_utilization_percentage";
  /** Host memory in use (total minus available), MB. */
  public static final String SYSTEM_MEMORY_USAGE_MEGABYTES = PREFIX + "system_memory_usage_megabytes";
  /** Host memory in use as a share of the total, 0..100. */
  public static final String SYSTEM_MEMORY_USAGE_PERCENTAGE = PREFIX + "system_memory_usage_percentage";
  /** Used share of the file system holding the run's output, 0..100. */
  public static final String DISK_USAGE_PERCENTAGE = PREFIX + "disk_usage_percentage";
  /** Used space of the file system holding the run's output, MB. */
  public static final String DISK_USAGE_MEGABYTES = PREFIX + "disk_usage_megabytes";
  /** Space available to this process on the file system holding the run's output, MB. */
  public static final String DISK_AVAILABLE_MEGABYTES = PREFIX + "disk_available_megabytes";
  /** Bytes received by all network interfaces since sampling started, MB. */
  public static final String NETWORK_RECEIVE_MEGABYTES = PREFIX + "network_receive_megabytes";
  /** Bytes sent by all network interfaces since sampling started, MB. */
  public static final String NETWORK_TRANSMIT_MEGABYTES = PREFIX + "network_transmit_megabytes";
  /** CPU time of this JVM since the previous reading per wall time, 0..100 × available processors. */
  public static final String PROCESS_CPU_PERCENTAGE = PREFIX + "process_cpu_percentage";
  /** Resident set size of this JVM, MB. */
  public static final String PROCESS_MEMORY_RSS_MEGABYTES = PREFIX + "process_memory_rss_megabytes";
  /** Java heap in use, MB (slaft's own key). */
  public static final String JVM_HEAP_USED_MEGABYTES = PREFIX + "jvm_heap_used_megabytes";
  /** Largest Java heap the JVM may use, MB; absent when the JVM has no limit (slaft's own key). */
  public static final String JVM_HEAP_MAX_MEGABYTES = PREFIX + "jvm_heap_max_megabytes";

  /** Every key above, in the order the real readings report them. */
  public static final List<String> ALL = List.of(CPU_UTILIZATION_PERCENTAGE, SYSTEM_MEMORY_USAGE_MEGABYTES,
      SYSTEM_MEMORY_USAGE_PERCENTAGE, DISK_USAGE_PERCENTAGE, DISK_USAGE_MEGABYTES, DISK_AVAILABLE_MEGABYTES,
      NETWORK_RECEIVE_MEGABYTES, NETWORK_TRANSMIT_MEGABYTES, PROCESS_CPU_PERCENTAGE, PROCESS_MEMORY_RSS_MEGABYTES,
      JVM_HEAP_USED_MEGABYTES, JVM_HEAP_MAX_MEGABYTES);

  private SystemMetricNames() {}
}
