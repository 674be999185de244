package io.slaft.runners;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * The REST endpoint ({@code host:port}) of a running Flink session cluster, where jobs are submitted.
 * Validated at construction: a non-blank host without a scheme and a port in 1..65535.
 */
public record FlinkMaster(String host, int port) {

  /** Validates host and port; the messages name the rule and the fix. */
  public FlinkMaster {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("--flink-master needs a host, as HOST:PORT (e.g. localhost:8081)");
    }
    if (host.contains("/") || host.contains(":")) {
      throw new IllegalArgumentException("--flink-master host '" + host
          + "' must be a plain host name or IPv4 address, without scheme or path (e.g. localhost:8081)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("--flink-master port must be in 1..65535, got " + port);
    }
  }

  /**
   * Parses {@code HOST:PORT}; {@code http://} in front and a trailing {@code /} are tolerated.
   *
   * @throws IllegalArgumentException if the value is not {@code HOST:PORT}, or is {@code [local]}/{@code [auto]}
   *     (those mean the embedded cluster: use the {@code flink-local} runner)
   */
  public static FlinkMaster parse(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the flink runner needs --flink-master HOST:PORT "
          + "(the REST address of a Flink 1.19 session cluster; './slaft flink start' prints it)");
    }
    String v = value.trim();
    if (v.startsWith("[")) {
      throw new IllegalArgumentException("--flink-master " + v + " is Flink's embedded cluster: use --runner "
          + RunnerChoice.FLINK_LOCAL.cliName() + " instead, or give HOST:PORT of a session cluster");
    }
    if (v.startsWith("http://")) {
      v = v.substring("http://".length());
    }
    if (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    int colon = v.lastIndexOf(':');
    if (colon <= 0 || colon == v.length() - 1) {
      throw new IllegalArgumentException("--flink-master '" + value + "' must be HOST:PORT (e.g. localhost:8081)");
    }
    int port;
    try {
      port = Integer.parseInt(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--flink-master '" + value + "': port '" + v.substring(colon + 1)
          + "' is not a number (expected HOST:PORT, e.g. localhost:8081)");
    }
    return new FlinkMaster(v.substring(0, colon), port);
  }

  /**
   * Checks that something accepts TCP connections at this address within {@code timeout}.
   *
   * @throws FlinkMasterUnreachableException naming the address and how to start the local cluster
   */
  public void requireReachable(Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
    } catch (IOException e) {
      throw new FlinkMasterUnreachableException(this, e);
    }
  }

  /** {@code host:port}, the form Beam's {@code --flinkMaster} takes. */
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
