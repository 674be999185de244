package io.slaft.tracking.system;

import static com.google.common.base.Preconditions.checkNotNull;
import static io.slaft.tracking.system.SystemMetricNames.CPU_UTILIZATION_PERCENTAGE;
import static io.slaft.tracking.system.SystemMetricNames.DISK_AVAILABLE_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.DISK_USAGE_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.DISK_USAGE_PERCENTAGE;
import static io.slaft.tracking.system.SystemMetricNames.JVM_HEAP_MAX_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.JVM_HEAP_USED_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.NETWORK_RECEIVE_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.NETWORK_TRANSMIT_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.PROCESS_CPU_PERCENTAGE;
import static io.slaft.tracking.system.SystemMetricNames.PROCESS_MEMORY_RSS_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.SYSTEM_MEMORY_USAGE_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.SYSTEM_MEMORY_USAGE_PERCENTAGE;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real {@link SystemReadings}: Linux's {@code /proc} for the host's CPU, memory and network and
 * this process's resident set, the file system of the run's output directory, and this JVM's
 * MXBeans for its CPU time and heap. On a system without {@code /proc} those sources fail and a
 * sampler skips them (one warning each); the others still report.
 *
 * <p>Units and meanings follow MLflow's monitors (see {@link SystemMetricNames}): megabytes are
 * 10<sup>6</sup> bytes; host memory in use is {@code MemTotal - MemAvailable}; disk usage is
 * psutil's ({@code used = total - free}, {@code percent = used / (used + available)}); network
 * traffic is counted from this source's first reading, summed over all interfaces; CPU figures are
 * rates over the time since the previous CPU figure. The host figures are what the kernel reports
 * for the whole machine (in a container without a virtualized {@code /proc}: the host's).
 *
 * <p>Rates need two readings and enough elapsed clock ticks (10 ms each) to mean something: the
 * first reading of a CPU source only sets its baseline, and a reading less than 20 ticks (summed
 * over CPUs; host CPU) or 100 ms (process CPU) after the baseline reports no CPU figure and keeps
 * the baseline, so one clock tick moves a host figure by at most 5 and a process figure by at most
 * 10 percentage points.
 */
public final class ProcReadings {

  /** Fewest host CPU ticks (all CPUs together) a host CPU figure is computed from. */
  static final long MIN_CPU_TICKS = 20;
  /** Shortest wall time a process CPU figure is computed over. */
  static final long MIN_PROCESS_CPU_MILLIS = 100;

  private static final double MB = 1e6;
  private static final double KB = 1024;

  private ProcReadings() {}

  /**
   * New readings of every source, for a sampler that reports the file system holding {@code disk}
   * (its nearest existing ancestor while it does not exist). Each call returns fresh sources with
   * their own baselines.
   */
  public static List<SystemReadings> of(Path disk) {
    return of(Path.of("/proc"), disk);
  }

  /** As {@link #of(Path)}, with {@code proc} in place of {@code /proc}. */
  static List<SystemReadings> of(Path proc, Path disk) {
    checkNotNull(proc, "proc must not be null");
    checkNotNull(disk, "disk must not be null");
    return List.of(new HostCpu(proc.resolve("stat")), new HostMemory(proc.resolve("meminfo")), new Disk(disk),
        new Network(proc.resolve("net").resolve("dev")), new ProcessCpu(), new ProcessRss(proc.resolve("self").resolve("status")),
        new JvmHeap());
  }

  /** Whitespace-separated fields of {@code text}. */
  private static String[] fields(String text) {
    String t = text.trim();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  /** The value in kB of the {@code name:} line of a {@code /proc} status-style file. */
  private static long kilobytes(List<String> lines, String name, Path file) {
    for (String line : lines) {
      if (line.startsWith(name + ":")) {
        String[] f = fields(line.substring(name.length() + 1));
        if (f.length >= 1) {
          return Long.parseLong(f[0]);
        }
      }
    }
    throw new IllegalStateException("no " + name + " line in " + file);
  }

  /** Host CPU utilization from the aggregate {@code cpu} line of {@code /proc/stat}. */
  private static final class HostCpu implements SystemReadings {
    private final Path file;
    private long lastTotal = -1;
    private long lastIdle;

    HostCpu(Path file) {
      this.file = file;
    }

    @Override
    public String name() {
      return file.toString();
    }

    @Override
    public Map<String, Double> read() throws IOException {
      String line;
      try (BufferedReader r = Files.newBufferedReader(file, US_ASCII)) {
        line = r.readLine();
      }
      if (line == null || !line.startsWith("cpu ")) {
        throw new IllegalStateException("first line of " + file + " is not the aggregate cpu line: " + line);
      }
      String[] f = fields(line.substring(4));
      if (f.length < 4) {
        throw new IllegalStateException("cpu line of " + file + " has " + f.length + " fields, expected at least 4");
      }
      long total = 0;
      for (int i = 0; i < Math.min(8, f.length); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[3]) + (f.length > 4 ? Long.parseLong(f[4]) : 0);
      long dt = total - lastTotal;
      if (lastTotal < 0 || dt < 0 || idle < lastIdle) {
        lastTotal = total;
        lastIdle = idle;
        return Map.of();
      }
      if (dt < MIN_CPU_TICKS) {
        return Map.of();
      }
      double busy = dt - (idle - lastIdle);
      lastTotal = total;
      lastIdle = idle;
      return Map.of(CPU_UTILIZATION_PERCENTAGE, Math.max(0, Math.min(100, 100 * busy / dt)));
    }
  }

  /** Host memory in use from {@code /proc/meminfo}. */
  private static final class HostMemory implements SystemReadings {
    private final Path file;

    HostMemory(Path file) {
      this.file = file;
    }

    @Override
    public String name() {
      return file.toString();
    }

    @Override
    public Map<String, Double> read() throws IOException {
      List<String> lines = Files.readAllLines(file, US_ASCII);
      long total = kilobytes(lines, "MemTotal", file);
      long available = kilobytes(lines, "MemAvailable", file);
      if (total <= 0) {
        throw new IllegalStateException("MemTotal of " + file + " is " + total + " kB");
      }
      long used = Math.max(0, total - available);
      Map<String, Double> m = new LinkedHashMap<>();
      m.put(SYSTEM_MEMORY_USAGE_MEGABYTES, used * KB / MB);
      m.put(SYSTEM_MEMORY_USAGE_PERCENTAGE, 100.0 * used / total);
      return m;
    }
  }

  /** Space of the file system holding a directory. */
  private static final class Disk implements SystemReadings {
    private final Path dir;
    private FileStore store;

    Disk(Path dir) {
      this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
      return "file system of " + dir;
    }

    @Override
    public Map<String, Double> read() throws IOException {
      FileStore s = store;
      if (s == null) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
          p = p.getParent();
        }
        if (p == null) {
          throw new NoSuchFileException(dir.toString(), null, "neither it nor any ancestor exists");
        }
        s = Files.getFileStore(p);
        if (p.equals(dir)) {
          store = s;
        }
      }
      long total = s.getTotalSpace();
      long used = Math.max(0, total - s.getUnallocatedSpace());
      long available = s.getUsableSpace();
      Map<String, Double> m = new LinkedHashMap<>();
      m.put(DISK_USAGE_PERCENTAGE, used + available > 0 ? 100.0 * used / (used + available) : 0);
      m.put(DISK_USAGE_MEGABYTES, used / MB);
      m.put(DISK_AVAILABLE_MEGABYTES, available / MB);
      return m;
    }
  }

  /** Network traffic since the first reading, summed over the interfaces of {@code /proc/net/dev}. */
  private static final class Network implements SystemReadings {
    private final Path file;
    private final Map<String, long[]> last = new HashMap<>();
    private boolean started;
    private long received;
    private long transmitted;

    Network(Path file) {
      this.file = file;
    }

    @Override
    public String name() {
      return file.toString();
    }

    /**
     * Adds each interface's growth since the previous reading; an interface seen for the first time
     * starts from its current counters, a counter that went back (reset) adds nothing.
     */
    @Override
    public Map<String, Double> read() throws IOException {
      Map<String, long[]> now = new HashMap<>();
      for (String line : Files.readAllLines(file, US_ASCII)) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String[] f = fields(line.substring(colon + 1));
        if (f.length < 9) {
          throw new IllegalStateException("interface line of " + file + " has " + f.length + " fields, expected 16: " + line);
        }
        now.put(line.substring(0, colon).trim(), new long[] {Long.parseLong(f[0]), Long.parseLong(f[8])});
      }
      if (started) {
        for (Map.Entry<String, long[]> e : now.entrySet()) {
          long[] before = last.get(e.getKey());
          if (before != null) {
            received += Math.max(0, e.getValue()[0] - before[0]);
            transmitted += Math.max(0, e.getValue()[1] - before[1]);
          }
        }
      }
      started = true;
      last.clear();
      last.putAll(now);
      Map<String, Double> m = new LinkedHashMap<>();
      m.put(NETWORK_RECEIVE_MEGABYTES, received / MB);
      m.put(NETWORK_TRANSMIT_MEGABYTES, transmitted / MB);
      return m;
    }
  }

  /** This JVM's CPU time per wall time, from {@code com.sun.management.OperatingSystemMXBean}. */
  private static final class ProcessCpu implements SystemReadings {
    private long lastCpuNanos = -1;
    private long lastWallNanos;

    @Override
    public String name() {
      return "process CPU time (OperatingSystemMXBean)";
    }

    @Override
    public Map<String, Double> read() {
      OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (!(os instanceof com.sun.management.OperatingSystemMXBean sun)) {
        throw new UnsupportedOperationException("this JVM has no com.sun.management.OperatingSystemMXBean");
      }
      long cpu = sun.getProcessCpuTime();
      long wall = System.nanoTime();
      if (cpu < 0) {
        throw new UnsupportedOperationException("this JVM does not report its process CPU time");
      }
      if (lastCpuNanos < 0 || cpu < lastCpuNanos) {
        lastCpuNanos = cpu;
        lastWallNanos = wall;
        return Map.of();
      }
      long dWall = wall - lastWallNanos;
      if (dWall < MIN_PROCESS_CPU_MILLIS * 1_000_000L) {
        return Map.of();
      }
      double pct = 100.0 * (cpu - lastCpuNanos) / dWall;
      lastCpuNanos = cpu;
      lastWallNanos = wall;
      return Map.of(PROCESS_CPU_PERCENTAGE, Math.max(0, Math.min(100.0 * Runtime.getRuntime().availableProcessors(), pct)));
    }
  }

  /** This process's resident set size, the {@code VmRSS} line of {@code /proc/self/status}. */
  private static final class ProcessRss implements SystemReadings {
    private final Path file;

    ProcessRss(Path file) {
      this.file = file;
    }

    @Override
    public String name() {
      return file.toString();
    }

    @Override
    public Map<String, Double> read() throws IOException {
      return Map.of(PROCESS_MEMORY_RSS_MEGABYTES, kilobytes(Files.readAllLines(file, US_ASCII), "VmRSS", file) * KB / MB);
    }
  }

  /** Heap used and its limit, from the {@code MemoryMXBean}. */
  private static final class JvmHeap implements SystemReadings {
    @Override
    public String name() {
      return "heap (MemoryMXBean)";
    }

    @Override
    public Map<String, Double> read() {
      MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      Map<String, Double> m = new LinkedHashMap<>();
      m.put(JVM_HEAP_USED_MEGABYTES, heap.getUsed() / MB);
      if (heap.getMax() >= 0) {
        m.put(JVM_HEAP_MAX_MEGABYTES, heap.getMax() / MB);
      }
      return m;
    }
  }
}
