package io.slaft.pipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.pipelines.config.ExperimentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChampionsTest {

  private static String record(String task, String point, String metric, double value) {
    return "{\"task\":\"" + task + "\",\"point_id\":\"" + point + "\",\"primary_metric\":\"" + metric
        + "\",\"metrics\":{\"accuracy\":" + value + ",\"matthews\":" + (1 - value) + "}}";
  }

  private static Path summary(Path dir, String... records) throws Exception {
    return Files.writeString(dir.resolve("summary.json"), "{\"runs\":[" + String.join(",", records) + "]}");
  }

  @Test
  void theBestPointPerTaskByItsOwnPrimaryMetricKeyedByTheConfigTaskName(@TempDir Path dir) throws Exception {
    ExperimentConfig config = ExperimentConfig.of("test", Map.of("tasks", "sst2,cola"));
    Path s = summary(dir,
        record("SST-2", "p1", "accuracy", 0.80), record("CoLA", "p1", "matthews", 0.70),
        record("SST-2", "p2", "accuracy", 0.85), record("CoLA", "p2", "matthews", 0.60),
        record("SST-2", "p3", "accuracy", 0.85));
    assertEquals(Map.of("sst2", "p2", "cola", "p2"), Champions.choose(config, s),
        "SST-2 by accuracy (p2, the first of the tie with p3); CoLA by matthews = 1 - accuracy (p2: 0.40 > 0.30)");
  }

  @Test
  void withAValidationSplitTheChampionIsChosenOnValidationNeverOnDev(@TempDir Path dir) throws Exception {
    ExperimentConfig config = ExperimentConfig.of("test", Map.of("tasks", "sst2"));
    // p1 has the better dev figure, p2 the better validation figure: the dev set must play no part
    String p1 = "{\"task\":\"SST-2\",\"point_id\":\"p1\",\"primary_metric\":\"accuracy\",\"selected_on\":\"validation\","
        + "\"metrics\":{\"accuracy\":0.90},\"validation_metrics\":{\"accuracy\":0.80}}";
    String p2 = "{\"task\":\"SST-2\",\"point_id\":\"p2\",\"primary_metric\":\"accuracy\",\"selected_on\":\"validation\","
        + "\"metrics\":{\"accuracy\":0.85},\"validation_metrics\":{\"accuracy\":0.82}}";
    assertEquals(Map.of("sst2", "p2"), Champions.choose(config, summary(dir, p1, p2)));
  }

  @Test
  void aRecordWithoutItsPrimaryMetricNeverWins(@TempDir Path dir) throws Exception {
    ExperimentConfig config = ExperimentConfig.of("test", Map.of("tasks", "sst2"));
    Path s = summary(dir, record("SST-2", "p1", "f1", 0.9), record("SST-2", "p2", "accuracy", 0.5));
    assertEquals(Map.of("sst2", "p2"), Champions.choose(config, s));
  }

  @Test
  void aSummaryTaskOutsideTheConfigIsAnErrorNotAWrongRun(@TempDir Path dir) throws Exception {
    ExperimentConfig config = ExperimentConfig.of("test", Map.of("tasks", "sst2"));
    Path s = summary(dir, record("MRPC", "p1", "accuracy", 0.9));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Champions.choose(config, s));
    assertTrue(e.getMessage().contains("MRPC") && e.getMessage().contains("sst2"), e.getMessage());
  }

  @Test
  void aPointStoppedEarlyWinsOnlyWhenEveryPointWasStopped(@TempDir Path dir) throws Exception {
    ExperimentConfig config = ExperimentConfig.of("test", Map.of("tasks", "sst2,cola"));
    // p1 stopped early with the higher validation score at its rung; p2 ran to the end
    String p1 = "{\"task\":\"SST-2\",\"point_id\":\"p1\",\"primary_metric\":\"accuracy\",\"stopped_early\":true,"
        + "\"metrics\":{\"accuracy\":0.90},\"validation_metrics\":{\"accuracy\":0.88}}";
    String p2 = "{\"task\":\"SST-2\",\"point_id\":\"p2\",\"primary_metric\":\"accuracy\",\"stopped_early\":false,"
        + "\"metrics\":{\"accuracy\":0.80},\"validation_metrics\":{\"accuracy\":0.79}}";
    String c1 = "{\"task\":\"CoLA\",\"point_id\":\"p1\",\"primary_metric\":\"matthews\",\"stopped_early\":true,"
        + "\"metrics\":{\"matthews\":0.2},\"validation_metrics\":{\"matthews\":0.3}}";
    String c2 = "{\"task\":\"CoLA\",\"point_id\":\"p2\",\"primary_metric\":\"matthews\",\"stopped_early\":true,"
        + "\"metrics\":{\"matthews\":0.1},\"validation_metrics\":{\"matthews\":0.1}}";
    assertEquals(Map.of("sst2", "p2", "cola", "p1"), Champions.choose(config, summary(dir, p1, p2, c1, c2)));
  }
}
