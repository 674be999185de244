package io.slaft.tracking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.tracking.RunKeys;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.SiblingTags;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.TrackingStatus;
import io.slaft.tracking.Trackers;
import io.slaft.tracking.mlflow.MlflowSiblingTags;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Child runs created by a {@link Tracker} tag themselves through {@link MlflowSiblingTags} and read each other's
 * tags back from a real MLflow server (both supported releases): only the children of the parent asked for, only
 * those with the tag, the latest value of each; a run the server does not have and a stopped server are errors.
 */
@Tag("integration")
class SiblingTagsIntegrationTest {
  private final ItServers servers = new ItServers();

  @AfterEach
  void stopServers() {
    servers.close();
  }

  @ParameterizedTest(name = "MLflow {0}")
  @ValueSource(strings = {"3.17.2", "2.17.2"})
  void childRunsReadEachOthersTagsThroughTheServer(String version) throws Exception {
    String name = "sibling-tags-" + version.replace('.', '-');
    LocalMlflowServer server = servers.fresh(name, version);
    URI uri = server.start();
    TrackingConfig config = ItServers.config(name, uri);
    String sweep = RunKeys.of("it", name);
    String other = RunKeys.of("it", name + "-other");
    String a = sweep + "/a/sst2";
    String b = sweep + "/b/sst2";
    String c = sweep + "/c/sst2";
    String stranger = other + "/a/sst2";
    try (Tracker tracker = Trackers.create(config)) {
      RunRef parent = tracker.startRun(RunSpec.root(config.experimentName(), sweep, "sweep"));
      RunRef otherParent = tracker.startRun(RunSpec.root(config.experimentName(), other, "another sweep"));
      for (String key : new String[] {a, b, c}) {
        tracker.startRun(RunSpec.child(parent, key, key));
      }
      tracker.startRun(RunSpec.child(otherParent, stranger, stranger));
      TrackingStatus status = tracker.flush();
      assertEquals(TrackingStatus.Mode.REMOTE, status.mode(), status.toString());
    }

    SiblingTags tags = MlflowSiblingTags.connect(config);
    assertEquals(Map.of(), tags.read(sweep, "slaft.rung.10"), "nothing reported yet");
    tags.put(a, "slaft.rung.10", "0.75");
    tags.put(b, "slaft.rung.10", "0.5");
    tags.put(b, "slaft.rung.10", "0.625"); // reported again: the latest value counts
    tags.put(c, "slaft.rung.30", "0.8");
    tags.put(stranger, "slaft.rung.10", "0.99");
    // a second client (another worker) sees what the first one wrote
    SiblingTags worker = MlflowSiblingTags.connect(config);
    assertEquals(Map.of(a, "0.75", b, "0.625"), worker.read(sweep, "slaft.rung.10"));
    assertEquals(Map.of(c, "0.8"), worker.read(sweep, "slaft.rung.30"));
    assertEquals(Map.of(stranger, "0.99"), worker.read(other, "slaft.rung.10"));

    TrackingException missing = assertThrows(TrackingException.class,
        () -> worker.put(sweep + "/never-started/sst2", "slaft.rung.10", "0.1"));
    assertTrue(missing.getMessage().contains("never-started"), missing.getMessage());

    server.stop();
    long start = System.nanoTime();
    assertThrows(TrackingException.class, () -> MlflowSiblingTags.connect(config).read(sweep, "slaft.rung.10"));
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "a stopped server fails fast, it does not hang");
  }
}
