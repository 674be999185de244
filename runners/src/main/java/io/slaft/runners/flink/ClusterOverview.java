package io.slaft.runners.flink;

/**
 * What the JobManager's REST {@code /overview} reports.
 *
 * @param taskManagers registered TaskManagers
 * @param slotsTotal task slots over all TaskManagers
 * @param slotsAvailable free task slots
 * @param jobsRunning jobs currently running
 * @param jobsFinished jobs finished successfully
 * @param jobsCancelled jobs cancelled
 * @param jobsFailed jobs failed
 * @param flinkVersion the cluster's Flink version
 */
public record ClusterOverview(int taskManagers, int slotsTotal, int slotsAvailable, int jobsRunning,
    int jobsFinished, int jobsCancelled, int jobsFailed, String flinkVersion) {

  /** True if at least one TaskManager is registered and at least one slot is free. */
  public boolean readyForJobs() {
    return taskManagers >= 1 && slotsAvailable >= 1;
  }
}
