package io.slaft.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.cli.ExitCode;
import io.slaft.cli.Slaft;
import io.slaft.cli.SubcommandProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkCommandTest {
  @TempDir Path tmp;

  @Test
  void registeredWithTheSlaftCli() {
    boolean found = ServiceLoader.load(SubcommandProvider.class).stream()
        .anyMatch(p -> p.type() == FlinkCommand.class);
    assertTrue(found, "META-INF/services must register FlinkCommand");
  }

  @Test
  void statusWithoutClusterExitsOneAndStopIsANoOp() {
    String out = captureOut(() -> assertEquals(ExitCode.CHECK_FAILED,
        Slaft.run("flink", "status", "--state-dir", tmp.toString())));
    assertTrue(out.contains("local Flink cluster: not running"), out);
    out = captureOut(() -> assertEquals(ExitCode.OK, Slaft.run("flink", "stop", "--state-dir", tmp.toString())));
    assertTrue(out.contains("no local Flink cluster was running"), out);
  }

  @Test
  void invalidStartOptionsAreBadInputAndStartNothing() {
    assertEquals(ExitCode.BAD_INPUT, Slaft.run("flink", "start", "--slots", "0", "--state-dir", tmp.toString()));
    assertEquals(ExitCode.BAD_INPUT, Slaft.run("flink", "start", "--port", "-3", "--state-dir", tmp.toString()));
    assertEquals(ExitCode.USAGE, Slaft.run("flink", "start", "--slots", "two"));
  }

  private static String captureOut(Runnable r) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
