package io.slaft.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The shaded job jar submitted to a Flink session cluster: slaft, Beam and their dependencies, without
 * Flink, TensorFlow/JavaCPP, DJL, protobuf-java and the backbone model jars (those must be on the
 * TaskManager's class path, loaded parent-first). Built by Maven's {@code jobjar} profile into
 * {@code runners/target/slaft-job.jar}.
 */
public final class JobJar {
  /** File name of the job jar inside {@code runners/target}. */
  public static final String FILE_NAME = "slaft-job.jar";

  private static final String LOCK = "/tmp/slaft-mvn.lock";

  private JobJar() {}

  /** The slaft checkout: the {@code slaft.home} system property (set by {@code ./slaft}) or the working directory. */
  public static Path repoRoot() {
    String home = System.getProperty("slaft.home");
    return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
  }

  /** Where the job jar of the checkout at {@code repoRoot} is (it may not exist yet). */
  public static Path location(Path repoRoot) {
    return repoRoot.resolve("runners").resolve("target").resolve(FILE_NAME);
  }

  /** The command that builds the job jar, run from the repository root (takes the shared Maven lock). */
  public static List<String> buildCommand() {
    return List.of("flock", LOCK, "mvn", "-B", "-q", "-pl", "runners", "-am", "-Pjobjar", "-DskipTests", "package");
  }

  /**
   * True if the jar is missing or older than any {@code pom.xml} or file under a module's {@code src/main}.
   *
   * @throws UncheckedIOException if the checkout cannot be listed
   */
  public static boolean isStale(Path repoRoot) {
    Path jar = location(repoRoot);
    if (!Files.isRegularFile(jar)) {
      return true;
    }
    try {
      FileTime built = Files.getLastModifiedTime(jar);
      List<Path> roots = new ArrayList<>();
      roots.add(repoRoot.resolve("pom.xml"));
      try (Stream<Path> modules = Files.list(repoRoot)) {
        modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml"))).forEach(m -> {
          roots.add(m.resolve("pom.xml"));
          roots.add(m.resolve("src").resolve("main"));
        });
      }
      for (Path root : roots) {
        if (!Files.exists(root)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(root)) {
          if (files.filter(Files::isRegularFile).anyMatch(f -> newer(f, built))) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the slaft checkout at " + repoRoot, e);
    }
  }

  /**
   * Returns the job jar, building it first with Maven if it is missing or stale. Must not be called from inside
   * a Maven build that holds the shared lock (it would wait for itself).
   *
   * @param progress receives one line before a build starts
   * @throws IllegalStateException if Maven fails; the message says how to see why
   */
  public static Path ensureBuilt(Path repoRoot, Consumer<String> progress) {
    Path jar = location(repoRoot);
    if (!isStale(repoRoot)) {
      return jar;
    }
    if (!Files.isRegularFile(repoRoot.resolve("runners").resolve("pom.xml"))) {
      throw new IllegalStateException("cannot build the job jar: " + repoRoot
          + " is not a slaft checkout (no runners/pom.xml); set -Dslaft.home or pass an existing jar");
    }
    progress.accept("building the Flink job jar " + jar + " (takes a minute)...");
    List<String> cmd = new ArrayList<>(buildCommand());
    if (!onPath("flock")) {
      cmd = cmd.subList(2, cmd.size());
    }
    try {
      Path log = Files.createTempFile("slaft-jobjar", ".log");
      Process p = new ProcessBuilder(cmd).directory(repoRoot.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      int rc = p.waitFor();
      if (rc != 0 || !Files.isRegularFile(jar)) {
        throw new IllegalStateException("building the job jar failed (exit " + rc + "); Maven output in " + log
            + "; run '" + String.join(" ", buildCommand()) + "' in " + repoRoot + " to see why");
      }
      Files.deleteIfExists(log);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run Maven to build the job jar (is mvn on PATH?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the job jar", e);
    }
  }

  private static boolean newer(Path f, FileTime than) {
    try {
      return Files.getLastModifiedTime(f).compareTo(than) > 0;
    } catch (IOException e) {
      return true;
    }
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }
}
