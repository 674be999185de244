package io.slaft.tracking.system;

import static io.slaft.tracking.system.SystemMetricNames.CPU_UTILIZATION_PERCENTAGE;
import static io.slaft.tracking.system.SystemMetricNames.DISK_AVAILABLE_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.DISK_USAGE_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.DISK_USAGE_PERCENTAGE;
import static io.slaft.tracking.system.SystemMetricNames.NETWORK_RECEIVE_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.NETWORK_TRANSMIT_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.PROCESS_MEMORY_RSS_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.SYSTEM_MEMORY_USAGE_MEGABYTES;
import static io.slaft.tracking.system.SystemMetricNames.SYSTEM_MEMORY_USAGE_PERCENTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /proc parsers against a fake /proc tree; {@link SystemMetricsSamplerTest} reads the real one. */
class ProcReadingsTest {

  @TempDir Path proc;
  @TempDir Path out;

  @BeforeEach
  void dirs() throws IOException {
    Files.createDirectories(proc.resolve("net"));
    Files.createDirectories(proc.resolve("self"));
  }

  private SystemReadings source(String relative) {
    String name = proc.resolve(relative).toString();
    return ProcReadings.of(proc, out).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private void write(String relative, String text) throws IOException {
    Files.writeString(proc.resolve(relative), text);
  }

  @Test
  void hostCpuIsTheBusyShareOfTheTicksSinceTheBaseline() throws IOException {
    SystemReadings cpu = source("stat");
    write("stat", "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\nintr 1 2 3\n");
    assertEquals(Map.of(), cpu.read(), "the first reading is the baseline");
    // user +30, system +10, idle +50, iowait +10: 100 ticks of which 60 idle (idle + iowait)
    write("stat", "cpu  130 0 110 850 10 0 0 0 5 5\n");
    assertEquals(40.0, cpu.read().get(CPU_UTILIZATION_PERCENTAGE), 1e-9);
    write("stat", "cpu  135 0 110 850 10 0 0 0 5 5\n");
    assertEquals(Map.of(), cpu.read(), "5 ticks are too few; the baseline stays");
    write("stat", "cpu  150 0 110 855 10 0 0 0 5 5\n");
    assertEquals(80.0, cpu.read().get(CPU_UTILIZATION_PERCENTAGE), 1e-9, "20 busy of 25 ticks since the kept baseline");
    write("stat", "cpu  10 0 10 80 0 0 0 0 0 0\n");
    assertEquals(Map.of(), cpu.read(), "counters that went back (a new boot) restart the baseline");
  }

  @Test
  void hostMemoryInUseIsTotalMinusAvailable() throws IOException {
    write("meminfo", "MemTotal:        2000000 kB\nMemFree:          100000 kB\nMemAvailable:     500000 kB\n");
    Map<String, Double> m = source("meminfo").read();
    assertEquals(1_500_000 * 1024 / 1e6, m.get(SYSTEM_MEMORY_USAGE_MEGABYTES), 1e-9);
    assertEquals(75.0, m.get(SYSTEM_MEMORY_USAGE_PERCENTAGE), 1e-9);
  }

  @Test
  void processRssIsVmRss() throws IOException {
    write("self/status", "Name:\tjava\nVmPeak:\t 9999 kB\nVmRSS:\t   20480 kB\nThreads:\t12\n");
    assertEquals(Map.of(PROCESS_MEMORY_RSS_MEGABYTES, 20480 * 1024 / 1e6), source("self/status").read());
  }

  @Test
  void networkTrafficIsCountedFromTheFirstReadingOverAllInterfaces() throws IOException {
    SystemReadings net = source("net/dev");
    String header = "Inter-|   Receive                                                |  Transmit\n"
        + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";
    write("net/dev", header + "    lo: 1000000 10 0 0 0 0 0 0 1000000 10 0 0 0 0 0 0\n"
        + "  eth0: 5000000 10 0 0 0 0 0 0 200000 10 0 0 0 0 0 0\n");
    assertEquals(Map.of(NETWORK_RECEIVE_MEGABYTES, 0.0, NETWORK_TRANSMIT_MEGABYTES, 0.0), net.read());
    write("net/dev", header + "    lo: 1500000 10 0 0 0 0 0 0 1500000 10 0 0 0 0 0 0\n"
        + "  eth0: 7000000 10 0 0 0 0 0 0 300000 10 0 0 0 0 0 0\n"
        + " wlan0: 9000000 10 0 0 0 0 0 0 9000000 10 0 0 0 0 0 0\n");
    assertEquals(Map.of(NETWORK_RECEIVE_MEGABYTES, 2.5, NETWORK_TRANSMIT_MEGABYTES, 0.6), net.read(),
        "lo +0.5/+0.5, eth0 +2/+0.1; the new wlan0 starts from its counters");
    write("net/dev", header + "    lo: 100 10 0 0 0 0 0 0 100 10 0 0 0 0 0 0\n"
        + " wlan0: 10000000 10 0 0 0 0 0 0 9000000 10 0 0 0 0 0 0\n");
    assertEquals(Map.of(NETWORK_RECEIVE_MEGABYTES, 3.5, NETWORK_TRANSMIT_MEGABYTES, 0.6), net.read(),
        "a reset lo and a removed eth0 add nothing, wlan0 +1/+0");
  }

  @Test
  void diskIsTheFileSystemOfTheNearestExistingAncestor() throws IOException {
    List<SystemReadings> all = ProcReadings.of(proc, out.resolve("run").resolve("not-yet"));
    SystemReadings disk = all.stream().filter(s -> s.name().startsWith("file system of ")).findFirst().orElseThrow();
    Map<String, Double> m = disk.read();
    assertTrue(m.get(DISK_AVAILABLE_MEGABYTES) > 0, m.toString());
    assertTrue(m.get(DISK_USAGE_MEGABYTES) >= 0, m.toString());
    double pct = m.get(DISK_USAGE_PERCENTAGE);
    assertTrue(pct >= 0 && pct <= 100, m.toString());
    double used = m.get(DISK_USAGE_MEGABYTES);
    double avail = m.get(DISK_AVAILABLE_MEGABYTES);
    assertEquals(100 * used / (used + avail), pct, 1e-6, "percent of used + available, as psutil");
  }

  @Test
  void unreadableOrMalformedFilesThrowNamingTheFile() throws IOException {
    assertThrows(NoSuchFileException.class, () -> source("meminfo").read());
    write("meminfo", "MemTotal:        2000000 kB\n");
    assertTrue(assertThrows(IllegalStateException.class, () -> source("meminfo").read()).getMessage()
        .contains("no MemAvailable line in " + proc.resolve("meminfo")));
    write("stat", "intr 1 2 3\n");
    assertTrue(assertThrows(IllegalStateException.class, () -> source("stat").read()).getMessage().contains(proc.resolve("stat").toString()));
    write("stat", "cpu  1 x 3 4\n");
    assertThrows(NumberFormatException.class, () -> source("stat").read());
    write("net/dev", "  eth0: 1 2 3\n");
    assertTrue(assertThrows(IllegalStateException.class, () -> source("net/dev").read()).getMessage().contains("eth0"));
  }
}
