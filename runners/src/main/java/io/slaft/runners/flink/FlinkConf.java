package io.slaft.runners.flink;

import io.slaft.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration of the local session cluster, written as Flink's legacy {@code flink-conf.yaml} (flat
 * {@code key: value} lines). Flink 1.19 reads either {@code config.yaml} (standard YAML) or the legacy file, and
 * prefers the legacy one when present; the conf directory holds only this one. Immutable.
 */
public final class FlinkConf {
  /** The file name Flink 1.19 reads from {@code --configDir} (its legacy format, preferred when present). */
  public static final String FILE_NAME = "flink-conf.yaml";

  private final Map<String, String> entries;

  private FlinkConf(Map<String, String> entries) {
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  /**
   * The configuration for a JobManager and one TaskManager on 127.0.0.1 whose working files live under
   * {@code stateDir}.
   */
  public static FlinkConf forLocalCluster(ClusterOptions options, ClusterPorts ports, Path stateDir) {
    Path dir = stateDir.toAbsolutePath().normalize();
    Map<String, String> m = new LinkedHashMap<>();
    String lo = ClusterPorts.LOOPBACK;
    m.put("jobmanager.rpc.address", lo);
    m.put("jobmanager.rpc.port", Integer.toString(ports.jobManagerRpc()));
    m.put("jobmanager.bind-host", lo);
    m.put("rest.address", lo);
    m.put("rest.bind-address", lo);
    m.put("rest.port", Integer.toString(ports.rest()));
    m.put("blob.server.port", Integer.toString(ports.blob()));
    m.put("taskmanager.host", lo);
    m.put("taskmanager.bind-host", lo);
    m.put("taskmanager.rpc.port", "0");
    m.put("taskmanager.data.port", "0");
    m.put("metrics.internal.query-service.port", "0");

    m.put("taskmanager.numberOfTaskSlots", Integer.toString(options.slots()));
    m.put("parallelism.default", Integer.toString(options.totalSlots()));
    m.put("taskmanager.cpu.cores", options.slots() + ".0");
    m.putAll(options.taskManagerMemory().flinkConf());
    int jmHeap = options.jobManagerHeapMb();
    m.put("jobmanager.memory.heap.size", jmHeap + "m");
    m.put("jobmanager.memory.off-heap.size", "128m");
    m.put("jobmanager.memory.jvm-metaspace.size", "256m");
    m.put("jobmanager.memory.jvm-overhead.min", "192m");
    m.put("jobmanager.memory.jvm-overhead.max", "192m");

    m.put("classloader.resolve-order", "child-first");
    m.put("classloader.parent-first-patterns.additional", String.join(";", options.parentFirstPatterns()));

    if (options.restart().attempts() > 0) {
      m.put("restart-strategy.type", "fixed-delay");
      m.put("restart-strategy.fixed-delay.attempts", Integer.toString(options.restart().attempts()));
      m.put("restart-strategy.fixed-delay.delay", options.restart().delay().toMillis() + " ms");
    } else {
      m.put("restart-strategy.type", "none");
    }
    m.put("jobmanager.execution.failover-strategy", "region");
    m.put("heartbeat.interval", "2000");
    m.put("heartbeat.timeout", "15000");

    m.put("io.tmp.dirs", dir.resolve("tmp").toString());
    m.put("blob.storage.directory", dir.resolve("blobs").toString());
    m.put("web.tmpdir", dir.resolve("web").toString());
    m.put("web.upload.dir", dir.resolve("web").resolve("upload").toString());
    m.put("web.submit.enable", "false");
    m.put("web.cancel.enable", "true");
    return new FlinkConf(m);
  }

  /** The entries, in the order they are written. */
  public Map<String, String> entries() {
    return entries;
  }

  /** The value of {@code key}, or null. */
  public String get(String key) {
    return entries.get(key);
  }

  /** The file's text: a header line and one {@code key: value} line per entry. */
  public String render() {
    StringBuilder sb = new StringBuilder("# Written by slaft's LocalFlinkCluster; rewritten on every start.\n");
    entries.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
    return sb.toString();
  }

  /**
   * Writes {@link #FILE_NAME} into {@code confDir} (created if needed), replacing an existing one, and removes a
   * stale {@code config.yaml} there so that only this file is read.
   *
   * @return the written file
   */
  public Path writeTo(Path confDir) throws IOException {
    Files.createDirectories(confDir);
    Files.deleteIfExists(confDir.resolve("config.yaml"));
    Path f = confDir.resolve(FILE_NAME);
    AtomicFiles.writeString(f, render());
    return f;
  }
}
