package io.slaft.runners.flink;

import io.slaft.runners.FlinkMaster;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The state of the local cluster of one state directory, as seen from its state file, its processes and its
 * REST API.
 *
 * @param stateDir the state directory
 * @param master the REST address, if a cluster was started there
 * @param jobManagerPid the JobManager's pid if that process is alive, otherwise -1
 * @param taskManagerPid the TaskManager's pid if that process is alive, otherwise -1
 * @param overview what {@code /overview} answered, if it answered
 * @param moreTaskManagerPids the further TaskManagers' pids whose processes are alive
 */
public record ClusterStatus(Path stateDir, Optional<FlinkMaster> master, long jobManagerPid, long taskManagerPid,
    Optional<ClusterOverview> overview, java.util.List<Long> moreTaskManagerPids) {

  public ClusterStatus {
    moreTaskManagerPids = java.util.List.copyOf(moreTaskManagerPids);
  }

  /** True if the JobManager process is alive and its REST API answers. */
  public boolean running() {
    return jobManagerPid > 0 && overview.isPresent();
  }

  /** A multi-line, human-readable description (what {@code slaft flink status} prints). */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (master.isEmpty()) {
      return "local Flink cluster: not running (no state in " + stateDir + ")\n";
    }
    sb.append("local Flink cluster: ").append(running() ? "running" : "NOT running (stale state)").append('\n');
    sb.append("  flink master: ").append(master.get()).append("   (--runner flink --flink-master ")
        .append(master.get()).append(")\n");
    sb.append("  web UI:       http://").append(master.get()).append("/\n");
    sb.append("  jobmanager:   ").append(jobManagerPid > 0 ? "pid " + jobManagerPid : "not running").append('\n');
    sb.append("  taskmanager:  ").append(taskManagerPid > 0 ? "pid " + taskManagerPid : "not running");
    moreTaskManagerPids.forEach(pid -> sb.append(", pid ").append(pid));
    overview.ifPresent(o -> sb.append(" (").append(o.taskManagers()).append(" registered, ")
        .append(o.slotsAvailable()).append('/').append(o.slotsTotal()).append(" slots free)"));
    sb.append('\n');
    overview.ifPresent(o -> sb.append("  jobs:         ").append(o.jobsRunning()).append(" running, ")
        .append(o.jobsFinished()).append(" finished, ").append(o.jobsFailed()).append(" failed, ")
        .append(o.jobsCancelled()).append(" cancelled (Flink ").append(o.flinkVersion()).append(")\n"));
    sb.append("  state dir:    ").append(stateDir).append("   (logs in ").append(stateDir.resolve("log"))
        .append(")\n");
    return sb.toString();
  }
}
