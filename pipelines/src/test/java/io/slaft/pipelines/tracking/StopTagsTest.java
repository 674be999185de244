package io.slaft.pipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slaft.tracking.RunStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a point early stopping ended shows in MLflow: its tags and its run status. */
class StopTagsTest {
  @Test
  void aStoppedPointIsTaggedWithRungAndReasonAndEndsKilled() {
    Map<String, Object> stopped = Map.of("stopped_early", true, "stop_rung", 10, "stop_reason", "asha rung 10: 0.4 < cutoff 0.6 of 2 other points");
    assertEquals(Map.of(TrackingObserver.STOPPED_EARLY_TAG, "true", TrackingObserver.STOP_RUNG_TAG, "10",
        TrackingObserver.STOP_REASON_TAG, "asha rung 10: 0.4 < cutoff 0.6 of 2 other points"), TrackingObserver.stopTags(stopped));
    assertEquals(RunStatus.KILLED, TrackingObserver.endStatus(stopped));
  }

  @Test
  void aPointThatRanToTheEndHasNoStopTagsAndFinishes() {
    for (Map<String, Object> rec : java.util.List.<Map<String, Object>>of(Map.of("stopped_early", false), Map.of())) {
      assertEquals(Map.of(), TrackingObserver.stopTags(rec));
      assertEquals(RunStatus.FINISHED, TrackingObserver.endStatus(rec));
    }
  }
}
