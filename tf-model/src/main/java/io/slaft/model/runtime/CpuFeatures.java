package io.slaft.model.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The CPU's feature flags as {@code /proc/cpuinfo} names them, read once per JVM. The one place
 * slaft asks what the CPU can do: benchmark headers print {@link #describe()}, and {@code
 * backbone.precision: auto} asks {@link #bf16()}.
 */
public final class CpuFeatures {
  /** The flags that decide matmul speed: AVX2, AVX-512, AVX512_BF16, AMX. */
  public static final List<String> THAT_MATTER = List.of("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile");
  /** Either flag gives native bf16 dot products with fp32 accumulation (oneDNN uses them). */
  public static final List<String> BF16 = List.of("avx512_bf16", "amx_bf16");

  private static final Set<String> FLAGS = read(Path.of("/proc/cpuinfo"));

  private CpuFeatures() {}

  /** This CPU's flags; empty where {@code /proc/cpuinfo} is absent or unreadable. */
  public static Set<String> flags() {
    return FLAGS;
  }

  /** Whether {@code flags} include native bf16 arithmetic ({@link #BF16}). */
  public static boolean bf16(Set<String> flags) {
    return BF16.stream().anyMatch(flags::contains);
  }

  /** Whether this CPU has native bf16 arithmetic. */
  public static boolean bf16() {
    return bf16(FLAGS);
  }

  /** Which of {@link #THAT_MATTER} this CPU reports, e.g. {@code avx2 avx512f avx512_bf16 (no amx_bf16 amx_tile)}. */
  public static String describe() {
    if (FLAGS.isEmpty()) {
      return "unknown";
    }
    List<String> yes = THAT_MATTER.stream().filter(FLAGS::contains).toList();
    List<String> no = THAT_MATTER.stream().filter(f -> !FLAGS.contains(f)).toList();
    return String.join(" ", yes) + (no.isEmpty() ? "" : " (no " + String.join(" ", no) + ")");
  }

  /** The flags of the first {@code flags} line of a cpuinfo file; empty if there is none. */
  static Set<String> read(Path cpuinfo) {
    try {
      for (String line : Files.readAllLines(cpuinfo)) {
        if (line.startsWith("flags")) {
          return Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
        }
      }
    } catch (IOException | RuntimeException e) {
      return Set.of();
    }
    return Set.of();
  }
}
