package io.slaft.pipelines.robustness;

import io.slaft.model.testing.TinyTasks;
import io.slaft.model.adapters.GateFamily;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.TaskResult;
import io.slaft.model.train.TrainTask;
import io.slaft.model.train.Trainer;
import io.slaft.model.train.Trainer.EvalControls;
import io.slaft.transforms.perturb.RobustnessMetrics;
import io.slaft.transforms.perturb.SeveritySchedule;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RobustnessEvaluatorTest {
  private static final List<String> FAMILIES = List.of("token-random", "token-unk", "token-mask", "embedding-noise",
      "hidden-noise");
  private static Backbone backbone;
  private static List<TrainTask> tasks;
  private static Trainer trainer;
  private static EvalModels models;

  @BeforeAll
  static void train() {
    backbone = TinyTasks.backbone();
    tasks = List.of(TinyTasks.markerTask("marker", true), TinyTasks.regressionTask());
    trainer = Trainer.createWithNoise(backbone, TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.1f, 60, 3), tasks, NoiseSite.EMBEDDINGS);
    trainer.run();
    models = EvalModels.of(trainer, NoiseSite.EMBEDDINGS, backbone, tasks);
  }

  @AfterAll
  static void close() {
    models.close();
    trainer.close();
  }

  private static RobustnessTable evaluate(List<String> families, SeveritySchedule s, long seed) {
    return RobustnessEvaluator.of(new RobustnessSettings(families, s, seed, false))
        .evaluate(models, tasks, Map.of(), null, TinyVocabulary.of());
  }

  @Test
  void embeddingAndHiddenNoiseAtSigmaZeroEqualTheCleanOutputExactly() {
    try (Trainer plain = Trainer.create(backbone, trainer.spec(), tasks)) {
      plain.adopt(trainer);
      for (TrainTask t : tasks) {
        TaskResult clean = plain.evaluate(t, t.dev(), EvalControls.search());
        for (NoiseSite site : List.of(NoiseSite.EMBEDDINGS, NoiseSite.HIDDEN)) {
          TaskResult noisy = models.forSite(site).evaluate(t, t.dev(), new EvalControls(false, 0f, 99L));
          assertArrayEquals(clean.predictions(), noisy.predictions(), t.name() + " " + site);
          assertEquals(clean.metrics(), noisy.metrics(), t.name() + " " + site);
        }
      }
    }
  }

  @Test
  void severityZeroHasNoDropAndNoFlips() {
    RobustnessTable table = evaluate(FAMILIES, SeveritySchedule.of(0.0, 0.1), 5);
    assertEquals(tasks.size() * FAMILIES.size() * 2, table.rows().size());
    for (RobustnessTable.Row r : table.rows()) {
      if (r.severity() == 0.0) {
        assertEquals(0.0, r.drop(), 0.0, r.toString());
        assertEquals(0.0, r.flipRate(), 0.0, r.toString());
      }
    }
  }

  @Test
  void flipRateGrowsWithNoiseSeverity() {
    SeveritySchedule s = SeveritySchedule.of(0.0, 0.05, 0.5, 1.0);
    RobustnessTable table = evaluate(List.of("embedding-noise", "hidden-noise"), s, 7);
    for (String family : List.of("embedding-noise", "hidden-noise")) {
      List<RobustnessTable.Row> rows = table.rows("marker", family);
      double low = rows.get(1).flipRate();
      double high = rows.get(3).flipRate();
      assertTrue(high > low, family + ": flip rate at 100% (" + high + ") > at 5% (" + low + ")");
      assertTrue(high > 0.05, family + ": flip rate at 100% is " + high);
    }
    List<RobustnessTable.Row> reg = table.rows("reg", "hidden-noise");
    assertTrue(reg.get(3).flipRate() >= reg.get(1).flipRate(), "regression: " + reg);
  }

  @Test
  void aucIsTheNormalisedAreaUnderTheRowsAndDropsAreFromClean() {
    SeveritySchedule s = SeveritySchedule.DEFAULT;
    RobustnessTable table = evaluate(List.of("token-mask", "embedding-noise"), s, 11);
    for (RobustnessTable.Curve c : table.curves()) {
      List<RobustnessTable.Row> rows = table.rows(c.task(), c.family());
      double[] values = rows.stream().mapToDouble(RobustnessTable.Row::value).toArray();
      assertEquals(RobustnessMetrics.areaUnderCurve(s.toArray(), values), c.auc(), 1e-12);
      assertTrue(Double.isFinite(c.auc()));
      assertEquals(c.clean(), values[0], 0.0);
      for (RobustnessTable.Row r : rows) {
        assertEquals(c.clean() - r.value(), r.drop(), 1e-12);
      }
    }
    assertEquals(List.of("marker", "reg"), table.tasks());
    assertEquals("pearson", table.curve("reg", "token-mask").metric());
  }

  @Test
  void deterministicPerSeedAndDifferentAcrossSeeds() {
    SeveritySchedule s = SeveritySchedule.of(0.0, 0.2);
    RobustnessTable a = evaluate(List.of("token-random", "hidden-noise"), s, 21);
    RobustnessTable b = evaluate(List.of("token-random", "hidden-noise"), s, 21);
    assertEquals(a, b);
    RobustnessTable c = evaluate(List.of("token-random", "hidden-noise"), SeveritySchedule.of(0.0, 1.0), 22);
    RobustnessTable d = evaluate(List.of("token-random", "hidden-noise"), SeveritySchedule.of(0.0, 1.0), 23);
    assertTrue(!c.rows().equals(d.rows()), "another seed draws other perturbations");
  }

  @Test
  void textFamiliesWithoutRawTextsAreRefusedWithAMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> evaluate(List.of("char-swap"), SeveritySchedule.of(0.0, 0.1), 1));
    assertTrue(e.getMessage().contains("raw dev texts"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new RobustnessSettings(List.of("char-smash"), SeveritySchedule.DEFAULT, 1, false));
  }

  @Test
  void writesOneValidPngPerTaskAndATable(@TempDir Path dir) throws Exception {
    RobustnessTable table = evaluate(List.of("token-unk", "embedding-noise"), SeveritySchedule.DEFAULT, 3);
    List<Path> pngs = table.writePngs(dir);
    assertEquals(List.of(dir.resolve("robustness-marker.png"), dir.resolve("robustness-reg.png")), pngs);
    for (Path p : pngs) {
      byte[] head = new byte[8];
      try (InputStream in = Files.newInputStream(p)) {
        assertEquals(8, in.read(head));
      }
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
      BufferedImage img = ImageIO.read(p.toFile());
      assertNotNull(img);
      assertEquals(1000, img.getWidth());
      assertEquals(650, img.getHeight());
    }
    String md = table.toMarkdown();
    assertTrue(md.contains("### marker (accuracy)"), md);
    assertTrue(md.contains("| token-unk"), md);
    assertTrue(md.contains("flip@20%"), md);
    Map<String, Object> json = table.toJson();
    assertEquals(2 * 2 * 5, ((List<?>) json.get("rows")).size());
  }
}
