package io.slaft.runners.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The fixed ports of the local cluster on 127.0.0.1: REST (where jobs are submitted and {@code /overview}
 * answers), JobManager RPC and blob server. TaskManager RPC and data ports are chosen by the TaskManager
 * itself (port 0), so a restarted TaskManager never collides with the one it replaces.
 */
public record ClusterPorts(int rest, int jobManagerRpc, int blob) {

  /** The loopback address every port binds to. */
  public static final String LOOPBACK = "127.0.0.1";

  /** Validates that each port is in 1..65535 and that they differ. */
  public ClusterPorts {
    for (int p : new int[] {rest, jobManagerRpc, blob}) {
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("cluster ports must be in 1..65535, got " + p);
      }
    }
    if (rest == jobManagerRpc || rest == blob || jobManagerRpc == blob) {
      throw new IllegalArgumentException("REST, RPC and blob ports must differ, got " + rest + ", " + jobManagerRpc
          + ", " + blob);
    }
  }

  /**
   * Picks ports: {@code restPort} if non-zero (it must be free), the rest free ones on 127.0.0.1.
   *
   * @throws IllegalArgumentException if {@code restPort} is taken, naming it and the fix
   */
  public static ClusterPorts allocate(int restPort) {
    int rest = restPort;
    if (rest != 0 && !isFree(rest)) {
      throw new IllegalArgumentException("port " + rest + " on " + LOOPBACK + " is in use (another Flink or "
          + "service?); pass --port N, or --port 0 for any free port");
    }
    if (rest == 0) {
      rest = freePort();
    }
    int rpc;
    do {
      rpc = freePort();
    } while (rpc == rest);
    int blob;
    do {
      blob = freePort();
    } while (blob == rest || blob == rpc);
    return new ClusterPorts(rest, rpc, blob);
  }

  /** True if nothing listens on {@code port} at 127.0.0.1 (checked by binding it briefly). */
  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + LOOPBACK, e);
    }
  }
}
