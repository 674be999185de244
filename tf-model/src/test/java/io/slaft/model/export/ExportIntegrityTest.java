package io.slaft.model.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.files.Sealed;
import io.slaft.model.adapters.GateFamily;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.ModelFileException;
import io.slaft.model.testing.TinyTasks;
import io.slaft.model.train.TrainTask;
import io.slaft.model.train.Trainer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports verify their weights before serving, and an export directory is replaced as a whole. */
class ExportIntegrityTest {
  @Test
  void corruptOrTruncatedWeightsAreNeverServed(@TempDir Path tmp) throws Exception {
    Backbone backbone = TinyTasks.backbone();
    TrainTask task = TinyTasks.markerTask("m");
    Path dir = tmp.resolve("export");
    try (Trainer t = Trainer.create(backbone, TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.05f, 20, 1), List.of(task))) {
      t.run();
      Exporter.export(t, Map.of(), Map.of("seed", "1"), dir);
      Exporter.export(t, Map.of(), Map.of("seed", "1"), dir);
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of("export"), s.map(p -> p.getFileName().toString()).toList(), "re-export leaves no temporary directory");
    }
    Path weights = dir.resolve(WeightFile.NAME);
    assertTrue(Sealed.hasTrailer(weights));
    try (CompactModel m = CompactModel.load(dir, "m", backbone)) {
      assertTrue(m.task().activeParams() >= 0);
    }
    byte[] good = Files.readAllBytes(weights);
    try (FileChannel ch = FileChannel.open(weights, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {(byte) ~good[good.length / 2]}), good.length / 2);
    }
    ModelFileException e = assertThrows(ModelFileException.class, () -> CompactModel.load(dir, "m", backbone));
    assertTrue(e.getMessage().contains(weights + " is corrupt") && e.getMessage().contains("re-export"), e.getMessage());
    Files.write(weights, java.util.Arrays.copyOf(good, good.length - 10));
    e = assertThrows(ModelFileException.class, () -> CompactModel.load(dir, "m", backbone));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }
}
