package io.slaft.pipelines.champion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slaft.pipelines.config.ExperimentConfig;
import io.slaft.pipelines.experiment.RunSummary;
import io.slaft.pipelines.experiment.SummarySchema;
import io.slaft.pipelines.run.SmallSweeps;
import io.slaft.pipelines.tracking.Champions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real two-point sweep on MiniLM (sparsity λ 0 keeps every module, λ 20 few), then the champion stage with
 * robustness: each front point's export is evaluated under two input families on the validation split, and the
 * rule's choice, the front, the plot and the report agree with each other and with what tracking will mark.
 */
@Tag("integration")
class ChampionStageIntegrationTest {
  @Test
  void aSweepGetsAFrontRobustnessOnValidationAndAChampionByTheRule(@TempDir Path out) throws Exception {
    ExperimentConfig c = SmallSweeps.config(List.of("sweep.grid.sparsity.lambda=0,20",
        "robustness.families=word-dropout,char-swap", "robustness.severities=0,0.15,0.3",
        "champion.robustness=true", "champion.max_drop=0.5"));
    SmallSweeps.run(c, out, 2);

    List<ChampionChoice> choices = ChampionStage.run(c, out, System.out::println);
    SummarySchema.assertValid(out.resolve(RunSummary.SUMMARY_FILE));
    assertEquals(1, choices.size());
    ChampionChoice sst2 = choices.get(0);
    JsonNode summary = RunSummary.json().readTree(out.resolve(RunSummary.SUMMARY_FILE).toFile());
    JsonNode runs = summary.get("runs");
    assertEquals(2, runs.size());
    long distinctSizes = java.util.stream.StreamSupport.stream(runs.spliterator(), false)
        .map(r -> r.get("active_params").asLong()).distinct().count();
    assertEquals(2, distinctSizes, "λ 20 keeps fewer parameters than λ 0: " + runs);
    for (ChampionChoice.FrontPoint f : sst2.front()) {
      assertNotNull(f.robustness(), "every front point was evaluated: " + f);
      assertTrue(f.robustness().auc() > 0 && f.robustness().auc() <= 1.0001, f.toString());
      assertTrue(f.robustness().drop() <= 1, f.toString());
    }
    // the champion is the best validation metric among front points within the drop limit
    ChampionChoice.FrontPoint expected = sst2.front().stream().filter(f -> f.robustness().drop() <= 0.5)
        .max(java.util.Comparator.comparingDouble((ChampionChoice.FrontPoint f) -> f.point().metric())
            .thenComparingLong(f -> -f.point().activeParams())).orElseThrow();
    assertEquals(expected.point().pointId(), sst2.champion());
    assertTrue(sst2.ruleMet());

    JsonNode section = summary.get(ChampionStage.SECTION);
    assertEquals("best validation metric with drop@15% ≤ 0.5", section.get("rule").asText());
    assertEquals(sst2.champion(), section.get("tasks").get(0).get("champion").asText());
    assertEquals(Map.of("sst2", sst2.champion()), Champions.choose(c, out.resolve(RunSummary.SUMMARY_FILE)),
        "tracking marks the stage's choice");
    BufferedImage png = ImageIO.read(out.resolve(section.get("plots").get(0).asText()).toFile());
    assertTrue(png != null && png.getWidth() > 100, "a real PNG of the front");
    String md = Files.readString(out.resolve("results.md"));
    assertTrue(md.contains("## Champion") && md.contains(sst2.champion() + " ") && md.contains("★"), md);

    ChampionStage.run(c, out, s -> {});
    String again = Files.readString(out.resolve("results.md"));
    assertEquals(1, again.split("## Champion", -1).length - 1, "running the stage again replaces its section");
  }
}
