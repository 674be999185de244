package io.slaft.model.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Format compatibility: a checked-in export (format v1, MiniLM backbone, LoRA + channel-gated FFN
 * adapters in layers 4-5) still loads and predicts exactly what it predicted when it was written.
 * If this fails after a format change, the change broke every export users have.
 */
class GoldenExportTest {
  private static final Path DIR = Path.of("src/test/resources/golden-export");

  @Test
  void manifestReadsAsVersionOne() {
    ExportManifest m = CompactModel.manifest(DIR);
    assertEquals(ExportManifest.FORMAT, m.format());
    assertEquals(1, m.version());
    assertEquals("minilm-l6", m.backbone().builtin());
    assertEquals(4, m.tasks().get(0).modules().size());
  }

  @Test
  void goldenExportPredictsAsWhenWritten() throws Exception {
    List<String> inputs = Files.readAllLines(DIR.resolve("inputs.txt"));
    List<String> expected = Files.readAllLines(DIR.resolve("expected.tsv"));
    List<String[]> rows = new ArrayList<>();
    inputs.forEach(s -> rows.add(new String[] {s}));
    try (CompactModel m = CompactModel.load(DIR, "SST-2")) {
      List<CompactModel.Prediction> p = m.predict(rows);
      for (int i = 0; i < expected.size(); i++) {
        String[] e = expected.get(i).split("\t");
        assertEquals(e[0], p.get(i).label(), "label of line " + (i + 1));
        assertEquals(Double.parseDouble(e[1]), p.get(i).score(), 2e-4, "score of line " + (i + 1));
      }
    }
  }
}
