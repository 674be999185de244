package io.slaft.pipelines.sensitivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.pipelines.config.ExperimentConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensitivityReportTest {
  private static Map<String, Object> run(String task, String lambda, int seed, double acc, double compression) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("task", task);
    r.put("seed", seed);
    r.put("overrides", Map.of("sparsity.lambda", lambda, "seed", String.valueOf(seed)));
    r.put("metrics", Map.of("accuracy", acc));
    r.put("primary_metric", "accuracy");
    r.put("compression", compression);
    return r;
  }

  private static Path summary(Path dir, List<Map<String, Object>> runs) throws Exception {
    Path f = dir.resolve("summary.json");
    new ObjectMapper().writeValue(f.toFile(), Map.of("experiment", "synthetic", "runs", runs));
    return f;
  }

  @Test
  void meansAndStdsOverSeedsPerSweptValue(@TempDir Path dir) throws Exception {
    List<Map<String, Object>> runs = new ArrayList<>();
    runs.add(run("sst2", "0.5", 1, 0.80, 0.010));
    runs.add(run("sst2", "0.5", 2, 0.84, 0.012));
    runs.add(run("sst2", "2", 1, 0.70, 0.002));
    runs.add(run("sst2", "2", 2, 0.72, 0.004));
    runs.add(run("sst2", "1", 1, 0.83, 0.006));
    Path summary = summary(dir, runs);
    SensitivityReport.Result r = SensitivityReport.write(summary, dir, "synthetic");
    List<SensitivityReport.Point> p = r.points();
    assertEquals(3, p.size());
    assertEquals(List.of(0.5, 1.0, 2.0), p.stream().map(SensitivityReport.Point::x).toList(), "sorted by value");
    SensitivityReport.Point half = p.get(0);
    assertEquals("sparsity.lambda", half.key());
    assertEquals(2, half.seeds());
    assertEquals(0.82, half.mean(), 1e-12);
    assertEquals(Math.sqrt(0.0008), half.std(), 1e-12);
    assertEquals(1.1, half.compressionMean(), 1e-9);
    assertEquals(Math.sqrt(0.02), half.compressionStd(), 1e-9);
    assertEquals(0.0, p.get(1).std(), 0.0, "one seed: std 0");
    assertEquals(0.71, p.get(2).mean(), 1e-12);
    String md = Files.readString(r.markdown());
    assertTrue(md.contains("## sparsity.lambda — sst2 (accuracy)"), md);
    assertTrue(md.contains("](plots/sensitivity-sparsity.lambda-sst2.png)"), md);
    assertTrue(md.contains("0.8200"), md);
    assertTrue(Files.readString(r.html()).contains("<img src=\"plots/sensitivity-sparsity.lambda-sst2.png\""));
    assertEquals(1, r.plots().size());
    BufferedImage img = ImageIO.read(r.plots().get(0).toFile());
    assertEquals(1000, img.getWidth());
  }

  @Test
  void twoAxesGiveOneCurvePerOtherValueAndCategoricalValuesAnIndex(@TempDir Path dir) throws Exception {
    List<Map<String, Object>> runs = new ArrayList<>();
    for (String gate : List.of("sigmoid", "hard-concrete")) {
      for (String lr : List.of("1e-3", "1e-2")) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("task", "rte");
        r.put("overrides", Map.of("sparsity.gate", gate, "optimizer.lr", lr));
        r.put("metrics", Map.of("accuracy", gate.equals("sigmoid") ? 0.6 : 0.7));
        r.put("primary_metric", "accuracy");
        r.put("compression", 0.01);
        runs.add(r);
      }
    }
    SensitivityReport.Result r = SensitivityReport.write(summary(dir, runs), dir, "two axes");
    assertEquals(8, r.points().size());
    assertEquals(2, r.plots().size());
    SensitivityReport.Point hc = r.points().stream()
        .filter(p -> p.key().equals("sparsity.gate") && p.value().equals("hard-concrete") && p.others().equals("optimizer.lr=1e-3"))
        .findFirst().orElseThrow();
    assertEquals(1.0, hc.x(), 0.0, "second value in order of appearance");
    assertEquals(0.7, hc.mean(), 1e-12);
    assertEquals(0.001, r.points().stream().filter(p -> p.key().equals("optimizer.lr")).mapToDouble(SensitivityReport.Point::x)
        .min().orElseThrow(), 0.0);
  }

  @Test
  void writeIfSweepOnlyForSweptConfigs(@TempDir Path dir) throws Exception {
    summary(dir, List.of(run("sst2", "0.5", 1, 0.8, 0.01), run("sst2", "2", 1, 0.7, 0.002)));
    ExperimentConfig single = ExperimentConfig.of("t", Map.of("name", "t"));
    assertTrue(SensitivityReport.writeIfSweep(single, dir).isEmpty());
    assertTrue(Files.notExists(dir.resolve("report.md")));
    ExperimentConfig swept = ExperimentConfig.of("t", Map.of("name", "t", "sweep.grid.sparsity.lambda", "0.5,2"));
    assertTrue(SensitivityReport.writeIfSweep(swept, dir).isPresent());
    assertTrue(Files.isRegularFile(dir.resolve("report.md")));
    assertTrue(Files.isRegularFile(dir.resolve("plots/sensitivity-sparsity.lambda-sst2.png")));
  }
}
