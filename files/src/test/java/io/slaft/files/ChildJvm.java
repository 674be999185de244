package io.slaft.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a class of this test classpath's in another JVM, optionally under a shell {@code ulimit}. */
final class ChildJvm {
  private ChildJvm() {}

  static ProcessBuilder of(String ulimit, Class<?> main, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    if (ulimit == null) {
      return new ProcessBuilder(cmd).redirectErrorStream(true);
    }
    StringBuilder line = new StringBuilder("ulimit " + ulimit + " && exec");
    for (String c : cmd) {
      line.append(" '").append(c.replace("'", "'\\''")).append('\'');
    }
    return new ProcessBuilder("bash", "-c", line.toString()).redirectErrorStream(true);
  }

  static String output(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
