/**
 * System metrics of training runs for MLflow's "System metrics" tab: {@link SystemMetricsSampler}
 * samples the host (CPU, memory, network), the file system of the run's output and this JVM (CPU,
 * resident set, heap) on its own thread and logs each sample to the runs through
 * {@link io.slaft.tracking.Tracker}. The sources sit behind {@link SystemReadings}
 * ({@link ProcReadings} reads {@code /proc} and the MXBeans), the keys are MLflow's own
 * ({@link SystemMetricNames}).
 */
package io.slaft.tracking.system;
