package io.slaft.model.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Small helpers shared by slaft's benchmarks: medians and process memory. */
public final class BenchStats {
  private BenchStats() {}

  /** Median of {@code values} (mean of the middle two for an even count). */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** Peak resident set size of this process in MiB (VmHWM), or -1 where /proc is absent. */
  public static double peakRssMiB() {
    return procStatusKb("VmHWM:") / 1024.0;
  }

  /** Current resident set size in MiB, or -1. */
  public static double rssMiB() {
    return procStatusKb("VmRSS:") / 1024.0;
  }

  private static long procStatusKb(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1024;
    }
    return -1024;
  }

  /** Which CPU flags that matter this CPU reports ({@link io.slaft.model.runtime.CpuFeatures#describe()}). */
  public static String cpuFlags() {
    return io.slaft.model.runtime.CpuFeatures.describe();
  }

  /** One line describing the machine, for benchmark output. */
  public static String machine() {
    String cpu = "unknown cpu";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException e) {
      // keep "unknown cpu"
    }
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, flags " + cpuFlags() + ", "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
  }
}
