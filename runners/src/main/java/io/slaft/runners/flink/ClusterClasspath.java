package io.slaft.runners.flink;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The class path of the cluster processes: Flink, TensorFlow/JavaCPP, DJL, protobuf, logging, the backbone
 * model jars and the other third-party jars of slaft's runtime, but not slaft's own modules nor Beam (those
 * travel in the job jar). Maven writes it at build time to the resource {@code cluster-classpath.txt}; without
 * that resource the current JVM's class path is filtered the same way.
 */
final class ClusterClasspath {
  static final String RESOURCE = "cluster-classpath.txt";

  private ClusterClasspath() {}

  /**
   * Resolves the class path.
   *
   * @throws IllegalStateException if it lacks {@code flink-runtime} or TensorFlow, or an entry is missing on disk
   */
  static String resolve() {
    List<String> entries = fromResource();
    if (entries.isEmpty()) {
      entries = filter(Arrays.asList(System.getProperty("java.class.path", "").split(File.pathSeparator)));
    }
    return validate(entries);
  }

  static List<String> filter(List<String> classPath) {
    List<String> out = new ArrayList<>();
    for (String e : classPath) {
      String n = e.replace('\\', '/');
      if (n.isBlank() || n.contains("/io/slaft/") || n.contains("/org/apache/beam/") || n.endsWith("/classes")
          || n.endsWith("/test-classes") || n.contains("/slaft-") || n.contains("surefire")) {
        continue;
      }
      out.add(e);
    }
    return out;
  }

  static String validate(List<String> entries) {
    boolean flink = false;
    boolean tf = false;
    for (String e : entries) {
      if (!Files.exists(Path.of(e))) {
        throw new IllegalStateException("cluster class path entry " + e + " does not exist; rebuild slaft "
            + "(mvn -B -DskipTests package) so that Maven resolves it again");
      }
      flink |= e.contains("flink-runtime-");
      tf |= e.contains("tensorflow-core-api");
    }
    if (!flink || !tf) {
      throw new IllegalStateException("the cluster class path lacks " + (flink ? "" : "flink-runtime ")
          + (tf ? "" : "tensorflow-core-api ") + "; build the runners module with Maven so that it writes "
          + RESOURCE);
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> fromResource() {
    try (InputStream in = ClusterClasspath.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return List.of();
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? List.of() : Arrays.asList(text.split(File.pathSeparator));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
