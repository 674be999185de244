package io.slaft.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.tracking.spool.SpoolReplayer;
import io.slaft.tracking.spool.SpoolingTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackersTest {

  @TempDir Path tmp;

  @Test
  void withoutAServerEverythingGoesToTheSpoolAndTheRunCompletes() throws Exception {
    TrackingConfig config = TrackingConfig.fromEnv("exp", tmp.resolve("spool"), Map.of());
    Path file = Files.writeString(tmp.resolve("predictions.tsv"), "id\tlabel\n1\t0\n");
    try (Tracker tracker = Trackers.create(config)) {
      assertTrue(tracker instanceof SpoolingTracker);
      RunRef run = tracker.startRun(RunSpec.root("exp", "k", "r"));
      tracker.logMetric(run, "acc", 0.9, 1, 1);
      tracker.logArtifact(run, file, "eval/predictions.tsv");
      tracker.endRun(run, RunStatus.FINISHED);
      TrackingStatus status = tracker.flush();
      assertEquals(TrackingStatus.Mode.SPOOL_ONLY, status.mode());
      assertEquals(config.spoolDir(), status.spoolDir());
      assertTrue(tracker.remoteRunId(run).isEmpty());
    }
    assertEquals(4, SpoolReplayer.pending(config.spoolDir()));
    assertThrows(IllegalArgumentException.class, () -> Trackers.create(config).logArtifact(new RunRef("exp", "k"), file, "../x"));
  }

  @Test
  void syncWithoutAServerSaysWhatToSet() {
    TrackingConfig config = TrackingConfig.fromEnv("exp", tmp.resolve("spool"), Map.of());
    var e = assertThrows(IllegalArgumentException.class, () -> Trackers.sync(config));
    assertTrue(e.getMessage().contains("MLFLOW_TRACKING_URI"), e.getMessage());
  }
}
