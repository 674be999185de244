package io.slaft.tracking.system;

import java.io.IOException;
import java.util.Map;

/**
 * One source of system figures (a {@code /proc} file, a file system, an MXBean), read once per
 * sample by a {@link SystemMetricsSampler}.
 *
 * <p><b>Threading.</b> A sampler calls {@link #read()} from its one thread only; an implementation
 * may keep the previous reading (for rates) without synchronization, and must not be shared
 * between samplers.
 *
 * <p><b>Errors.</b> {@link #read()} throws when the source cannot be read or parsed; the sampler
 * then skips this source's metrics for that sample (and warns once per source), the other
 * sources' metrics are still logged.
 */
public interface SystemReadings {

  /** What is read, for warnings (e.g. {@code /proc/stat}). */
  String name();

  /**
   * The current figures by metric key (full keys, e.g.
   * {@link SystemMetricNames#CPU_UTILIZATION_PERCENTAGE}). Empty, or without some keys, when a figure
   * has no value yet (a rate whose first reading only sets the baseline).
   *
   * @throws IOException if the source cannot be read
   * @throws RuntimeException if what was read cannot be parsed
   */
  Map<String, Double> read() throws IOException;
}
