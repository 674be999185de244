package io.slaft.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.adapters.GateFamily;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.testing.TinyTasks;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints under faults: a corrupt latest checkpoint is refused with a message (never resumed
 * silently), the previous one is kept and resumes bit-exactly, and a write the kernel refuses
 * (file size limit) leaves the last good checkpoint.
 */
class CheckpointIntegrityTest {
  private static final Backbone BACKBONE = TinyTasks.backbone();

  static TrainSpec spec() {
    TrainSpec s = TinyTasks.spec(GateFamily.HARD_CONCRETE, 0.1f, 40, 3);
    return new TrainSpec(s.method(), s.space(), s.sparsity(), s.optimizer(), s.steps(), s.batchSize(), 10,
        s.evalBatchSize(), 0, 10, s.seed(), s.taskTemperature(), s.bucketWindow(), s.logEvery(), s.noiseSite(),
        s.trainNoise());
  }

  static List<TrainTask> tasks() {
    return List.of(TinyTasks.markerTask("a"), TinyTasks.regressionTask());
  }

  private static TrainResult uninterrupted() {
    try (Trainer t = Trainer.create(BACKBONE, spec(), tasks())) {
      return t.run();
    }
  }

  private static void assertSameResult(TrainResult a, TrainResult b) {
    for (int i = 0; i < a.tasks().size(); i++) {
      assertEquals(a.tasks().get(i).metrics(), b.tasks().get(i).metrics());
      assertArrayEquals(a.tasks().get(i).predictions(), b.tasks().get(i).predictions());
    }
    assertEquals(a.bestStep(), b.bestStep());
  }

  @Test
  void aCorruptCheckpointIsRefusedNamingItAndThePreviousOneResumesBitExact(@TempDir Path dir) throws Exception {
    Path ckpt = dir.resolve("ckpt");
    try (Trainer t = Trainer.create(BACKBONE, spec(), tasks()).checkpointDir(ckpt).haltAfter(27)) {
      assertNull(t.run());
    }
    Path latest = ckpt.resolve(CheckpointFile.NAME);
    Path previous = ckpt.resolve(CheckpointFile.PREVIOUS);
    assertTrue(Files.isRegularFile(latest) && Files.isRegularFile(previous), "the last two checkpoints (steps 20 and 10) are kept");
    try (FileChannel ch = FileChannel.open(latest, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap("CORRUPT!".getBytes(StandardCharsets.US_ASCII)), ch.size() / 2);
    }
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> {
      try (Trainer t = Trainer.create(BACKBONE, spec(), tasks()).checkpointDir(ckpt)) {
        t.run();
      }
    });
    assertTrue(e.getMessage().contains(latest + " is corrupt") && e.getMessage().contains("checksum mismatch")
        && e.getMessage().contains("delete it to resume from the previous checkpoint " + previous), e.getMessage());
    Files.delete(latest);
    TrainResult resumed;
    try (Trainer t = Trainer.create(BACKBONE, spec(), tasks()).checkpointDir(ckpt)) {
      resumed = t.run();
    }
    assertSameResult(uninterrupted(), resumed);
  }

  /**
   * A child JVM resumes the step-10 checkpoint under a file size limit (ulimit -f) smaller than a
   * checkpoint: writing step 20's fails with EFBIG from the kernel. The step-10 checkpoint must be
   * intact, no temporary file left, and resuming it without the limit ends bit-exactly.
   */
  @Test
  void aCheckpointWriteTheKernelRefusesLeavesTheLastGoodOne(@TempDir Path dir) throws Exception {
    Path ckpt = dir.resolve("ckpt");
    try (Trainer t = Trainer.create(BACKBONE, spec(), tasks()).checkpointDir(ckpt).haltAfter(15)) {
      assertNull(t.run());
    }
    Path latest = ckpt.resolve(CheckpointFile.NAME);
    byte[] good = Files.readAllBytes(latest);
    long limitKb = Math.max(1, good.length / 1024 / 2);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir", System.getProperty("user.home") + "/.javacpp/cache");
    // the native libraries are already extracted into the JavaCPP cache (this JVM loaded them): the child only reads them
    String cmd = "ulimit -f " + limitKb + " && exec '" + java + "' -Dorg.bytedeco.javacpp.cachedir='" + cache + "' -cp '"
        + System.getProperty("java.class.path") + "' '" + ResumeUnderLimit.class.getName() + "' '" + ckpt + "'";
    Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS));
    assertEquals(3, p.exitValue(), out);
    assertTrue(out.contains("cannot write " + latest + ": File too large (EFBIG); the previous checkpoint.bin is unchanged"), out);
    assertArrayEquals(good, Files.readAllBytes(latest), "the last good checkpoint is untouched");
    try (Stream<Path> s = Files.list(ckpt)) {
      assertEquals(List.of(CheckpointFile.NAME), s.map(f -> f.getFileName().toString()).toList(), "no temporary file is left");
    }
    TrainResult resumed;
    try (Trainer t = Trainer.create(BACKBONE, spec(), tasks()).checkpointDir(ckpt)) {
      resumed = t.run();
    }
    assertSameResult(uninterrupted(), resumed);
  }

  /** Child of the test above: resumes args[0]; exit 3 with the error message when a write fails. */
  public static final class ResumeUnderLimit {
    public static void main(String[] args) {
      try (Trainer t = Trainer.create(BACKBONE, spec(), tasks()).checkpointDir(Path.of(args[0]))) {
        t.run();
        System.out.println("finished: the limit was not reached");
      } catch (UncheckedIOException e) {
        System.out.println(e.getMessage());
        System.exit(3);
      }
    }
  }
}
