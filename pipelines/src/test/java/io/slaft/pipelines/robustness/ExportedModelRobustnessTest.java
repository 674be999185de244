package io.slaft.pipelines.robustness;

import io.slaft.model.testing.TinyTasks;
import io.slaft.model.adapters.GateFamily;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.export.CompactModel;
import io.slaft.model.export.Exporter;
import io.slaft.model.train.NoiseSite;
import io.slaft.model.train.TrainTask;
import io.slaft.model.train.Trainer;
import io.slaft.model.train.Trainer.EvalControls;
import io.slaft.transforms.perturb.SeveritySchedule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportedModelRobustnessTest {
  @Test
  void exportedModelIsEvaluatedOnInputPerturbationsAndSkipsNoise(@TempDir Path dir) {
    Backbone backbone = TinyTasks.backbone();
    TrainTask task = TinyTasks.markerTask("marker", true);
    try (Trainer t = Trainer.create(backbone, TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.1f, 40, 5), List.of(task))) {
      t.run();
      Exporter.export(t, Map.of("marker", List.of("no", "yes")), Map.of("seed", "5"), dir);
      double discrete = t.evaluate(task, task.dev(), EvalControls.discretized()).metrics().get("accuracy");
      try (CompactModel m = CompactModel.load(dir, "marker", backbone);
          EvalModels models = EvalModels.ofExports(Map.of("marker", m), 16)) {
        assertFalse(models.supportsNoise());
        assertNull(models.primary());
        assertThrows(IllegalArgumentException.class,
            () -> models.score(task, task.dev(), NoiseSite.EMBEDDINGS, 0.1f, 1, true));
        RobustnessTable table = RobustnessEvaluator.of(new RobustnessSettings(
                List.of("token-mask", "embedding-noise"), SeveritySchedule.of(0.0, 0.2), 3, true))
            .evaluate(models, List.of(task), Map.of(), null, TinyVocabulary.of());
        assertEquals(2, table.rows().size(), "noise family skipped");
        RobustnessTable.Row clean = table.row("marker", "token-mask", 0.0);
        assertEquals(0.0, clean.drop(), 0.0);
        assertEquals(0.0, clean.flipRate(), 0.0);
        assertEquals(discrete, clean.value(), 1e-9, "the export reproduces the discretized model");
        assertTrue(Double.isFinite(table.curve("marker", "token-mask").auc()));
      }
    }
  }
}
