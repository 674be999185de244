package io.slaft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's table of task_defs keys is what {@code slaft config keys --prefix task_defs. --markdown} prints from ConfigKeys. */
class ConfigKeysDocTest {
  private static String stdout(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertEquals(ExitCode.OK, Slaft.run(args));
    } finally {
      System.setOut(out);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theReadmeTableOfTaskDefsKeysIsGeneratedFromConfigKeys() throws Exception {
    String table = stdout("config", "keys", "--prefix", "task_defs.", "--markdown");
    assertTrue(table.startsWith("| key ") && table.contains("| `task_defs.*.metric` ") && table.contains("macro-f1"), table);
    assertTrue(table.lines().skip(2).allMatch(l -> l.startsWith("| `task_defs.*.")), "only task_defs keys: " + table);
    Path readme = null;
    for (Path d = Path.of("").toAbsolutePath(); d != null && readme == null; d = d.getParent()) {
      readme = Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("pipelines")) ? d.resolve("README.md") : null;
    }
    assertTrue(readme != null, "README.md of the checkout");
    assertTrue(Files.readString(readme).contains(table),
        "README.md's task_defs table is out of date; replace it with the output of "
            + "./slaft config keys --prefix task_defs. --markdown:\n" + table);
  }

  @Test
  void aPrefixNoKeyHasIsRefused() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Slaft.run("config", "keys", "--prefix", "task_def.");
    } finally {
      System.setErr(err);
    }
    assertEquals(ExitCode.BAD_INPUT, code);
    assertTrue(captured.toString(StandardCharsets.UTF_8).contains("no config key starts with 'task_def.'"));
  }
}
