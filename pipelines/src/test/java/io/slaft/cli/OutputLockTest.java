package io.slaft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.files.DirectoryLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second slaft on an output directory in use fails at once, before any work, naming the holder. */
class OutputLockTest {
  @TempDir Path dir;

  @Test
  void trainOnAnOutputInUseExitsBusyNamingTheHolderAndWritesNothing() throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "name: lock-test\ntasks: [sst2]\ntracking: {uri: none}\n");
    Path out = dir.resolve("out");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (DirectoryLock holder = DirectoryLock.acquire(out, "slaft run --config other.yaml --out out", s -> { })) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        code = Slaft.run("train", "--config", config.toString(), "--out", out.toString());
      } finally {
        System.setErr(err);
      }
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertEquals(ExitCode.BUSY, code, text);
    assertTrue(text.contains("is in use by pid " + ProcessHandle.current().pid()) && text.contains("slaft run --config other.yaml"),
        text);
    try (var s = Files.list(out)) {
      assertEquals(java.util.List.of(DirectoryLock.FILE), s.map(p -> p.getFileName().toString()).toList(), "nothing was written");
    }
    assertFalse(text.contains("Exception"), text);
  }
}
