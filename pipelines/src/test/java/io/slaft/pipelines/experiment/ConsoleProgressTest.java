package io.slaft.pipelines.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slaft.model.train.TrainListener.EvalInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  @Test
  void anEvaluationLineShowsEachTasksKeptModulesAndFlips() {
    Map<String, List<String>> structure = new LinkedHashMap<>();
    structure.put("SST-2", List.of("l0.attn:gelu", "l3.lora"));
    structure.put("MRPC", List.of("l1.ffn:relu"));
    Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
    metrics.put("SST-2", Map.of("accuracy", 0.8));
    metrics.put("MRPC", Map.of("f1", 0.75));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "x")
        .onEval(new EvalInfo(100, "dev", metrics, 0.8, true, structure, Map.of("SST-2", 3, "MRPC", 1)));
    assertEquals("[x] eval @100: SST-2 accuracy 0.8000 MRPC f1 0.7500 (best) · structure SST-2 2 kept, 3 flips; "
        + "MRPC 1 kept, 1 flip" + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anEvaluationOnTheHeldOutValidationSplitSaysSo() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "x")
        .onEval(new EvalInfo(40, "validation", Map.of("SST-2", Map.of("accuracy", 0.75)), 0.75, false, Map.of(), Map.of()));
    assertEquals("[x] eval @40 validation: SST-2 accuracy 0.7500" + System.lineSeparator(),
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMethodWithoutModulesPrintsNoStructure() {
    assertEquals("", ConsoleProgress.structure(new EvalInfo(1, "dev", Map.of(), 0, false, Map.of("t", List.of()), Map.of("t", 0))));
  }
}
