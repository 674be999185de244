package io.slaft.runners;

/**
 * No Flink session cluster answers at the configured {@code --flink-master}. An
 * {@link IllegalArgumentException} because the fix is on the command line or in starting the cluster:
 * the message names the address and says how to start the local one.
 */
public final class FlinkMasterUnreachableException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for {@code master}, keeping the connection failure as cause. */
  public FlinkMasterUnreachableException(FlinkMaster master, Throwable cause) {
    super("no Flink cluster reachable at " + master + " (" + cause.getMessage() + "); start the local one with "
        + "'./slaft flink start' (it prints the address), or pass --flink-master HOST:PORT of a running "
        + "Flink 1.19 cluster's REST endpoint", cause);
  }
}
