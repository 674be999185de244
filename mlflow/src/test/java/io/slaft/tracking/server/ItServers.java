package io.slaft.tracking.server;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.tracking.RetryPolicy;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.TrackingConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real MLflow servers for the integration tests, started by {@code mlflow/bin/mlflow-server} on
 * free loopback ports, each with fresh state in {@code mlflow/target/it-mlflow/<name>}; {@link
 * #close()} stops every server handed out.
 */
final class ItServers implements AutoCloseable {

  /** Root of the servers' state directories and the tests' spools and files. */
  static final Path WORK = Path.of("target", "it-mlflow").toAbsolutePath();

  private final List<LocalMlflowServer> started = new ArrayList<>();

  /**
   * A stopped server named {@code name}: a leftover server of that name is stopped, and its state
   * directory and {@code WORK/<name>-spool} are deleted.
   */
  LocalMlflowServer fresh(String name) throws IOException {
    return fresh(name, null);
  }

  /** {@link #fresh(String)} run by MLflow {@code version} ({@code null}: the script's default release). */
  LocalMlflowServer fresh(String name, String version) throws IOException {
    Path state = WORK.resolve(name);
    LocalMlflowServer server = LocalMlflowServer.inRepository(Path.of(""), state);
    if (version != null) {
      server = server.withMlflowVersion(version);
    }
    if (server.running()) {
      server.stop();
    }
    deleteTree(state);
    deleteTree(WORK.resolve(name + "-spool"));
    started.add(server);
    return server;
  }

  @Override
  public void close() {
    for (LocalMlflowServer s : started) {
      s.stop();
    }
    started.clear();
  }

  /**
   * A tracking config for the server at {@code uri}: experiment {@code slaft-it-<name>}, spool {@code WORK/<name>-spool},
   * three quick retries and a short linger, so a test waits milliseconds, not seconds, for its records.
   */
  static TrackingConfig config(String name, URI uri) {
    return TrackingConfig.builder("slaft-it-" + name, WORK.resolve(name + "-spool"))
        .trackingUri(uri)
        .retry(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0.5))
        .linger(Duration.ofMillis(50))
        .build();
  }

  /** The runs of an experiment by their {@link RunRef#RUN_KEY_TAG}; fails on two runs with one key. */
  static Map<String, JsonNode> runsByKey(MlflowRest rest, String experimentId) {
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode run : rest.runs(experimentId)) {
      String key = MlflowRest.tag(run, RunRef.RUN_KEY_TAG);
      assertFalse(out.containsKey(key), "duplicate run for key " + key);
      out.put(key, run);
    }
    return out;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
