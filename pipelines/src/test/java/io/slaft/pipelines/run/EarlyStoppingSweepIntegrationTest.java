package io.slaft.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.tracking.Champions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/sweep-small.yaml} shrunk for test time, its grid replaced by one good learning rate (2e-3) and two
 * that wreck training (3 and 10), on the DirectRunner with real MiniLM, with and without {@code sweep.early_stop:
 * asha} at one rung (step 10, before the λ ramp shakes the good point) and {@code sweep.early_stop_min_points: 2}: the three points train at once, and each
 * decides its rung once both others have reported it, so the outcome does not hang on who got there first: both
 * bad points are cut at the rung, the good point trains on, wins both sweeps with identical metrics, and the
 * summary's step accounting adds up.
 */
@Tag("integration")
class EarlyStoppingSweepIntegrationTest {
  private static final double GOOD_LR = 2e-3;

  @Test
  void ashaCutsOnlyBadPointsKeepsTheBestPointAndSavesSteps(@TempDir Path dir) throws Exception {
    ExperimentConfig c = SmallSweeps.config(List.of("train.eval_every=5", "sweep.grid.sparsity.lambda=1.0",
        "sweep.grid.optimizer.lr=" + GOOD_LR + ",3,10"));
    Path plain = dir.resolve("plain");
    SmallSweeps.run(c.withOverrides(List.of("sweep.early_stop=none")), plain, 3);
    Path asha = dir.resolve("asha");
    SmallSweeps.run(c.withOverrides(List.of("sweep.early_stop=asha", "sweep.rungs=10", "sweep.reduction_factor=2",
        "sweep.early_stop_min_points=2")), asha, 3);

    Map<String, JsonNode> before = runsById(plain);
    Map<String, JsonNode> after = runsById(asha);
    after.forEach((id, r) -> System.out.printf("%s lr=%s stopped=%s steps=%d validation=%s reason=%s%n", id,
        r.get("overrides").get("optimizer.lr").asText(), r.path("stopped_early"), r.get("steps").asInt(),
        r.get("validation_metrics"), r.path("stop_reason").asText("-")));
    assertEquals(3, before.size());
    assertEquals(before.keySet(), after.keySet(), "every point once, stopped or not");
    String good = null;
    int cut = 0;
    for (Map.Entry<String, JsonNode> e : after.entrySet()) {
      JsonNode r = e.getValue();
      assertFalse(before.get(e.getKey()).get("stopped_early").asBoolean(), "without early stopping nothing stops");
      boolean isGood = Double.parseDouble(r.get("overrides").get("optimizer.lr").asText()) == GOOD_LR;
      if (isGood) {
        good = e.getKey();
        assertFalse(r.get("stopped_early").asBoolean(), "the good point is at the top of every rung: " + r);
      }
      if (r.get("stopped_early").asBoolean()) {
        cut++;
        assertFalse(isGood);
        assertTrue(r.get("steps").asInt() < 30, r.toString());
        assertEquals(10, r.get("stop_rung").asInt(), r.toString());
        assertTrue(r.get("stop_reason").asText().startsWith("asha rung "), r.toString());
      } else {
        assertEquals(before.get(e.getKey()).get("metrics"), r.get("metrics"), "a point not cut trains as without early stopping");
      }
    }
    assertEquals(2, cut, "both bad points fall below the cutoff of the other two at the rung");

    Map<String, String> bestBefore = Champions.choose(c, plain.resolve(RunSummary.SUMMARY_FILE));
    Map<String, String> bestAfter = Champions.choose(c, asha.resolve(RunSummary.SUMMARY_FILE));
    assertEquals(good, bestBefore.get("sst2"), "the good learning rate wins on validation: " + before);
    assertEquals(bestBefore, bestAfter, "the best point on validation is the same with and without early stopping");

    JsonNode es = RunSummary.json().readTree(asha.resolve(RunSummary.SUMMARY_FILE).toFile()).get("early_stopping");
    long trained = after.values().stream().mapToLong(r -> r.get("steps").asLong()).sum();
    assertEquals(trained, es.get("steps_trained").asLong());
    assertEquals(90, es.get("steps_planned").asLong());
    assertEquals(1 - trained / 90.0, es.get("steps_saved_fraction").asDouble(), 1e-9);
    assertEquals(cut, es.get("stopped").size(), es.toString());
    assertTrue(Files.readString(asha.resolve("results.md")).contains("## Early stopping"));
  }

  private static Map<String, JsonNode> runsById(Path out) throws Exception {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    for (JsonNode r : RunSummary.json().readTree(out.resolve(RunSummary.SUMMARY_FILE).toFile()).get("runs")) {
      m.put(r.get("point_id").asText(), r);
    }
    return m;
  }
}
