package io.slaft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slaft export --register}: bad options are refused before any work, naming the option and the fix. */
class ExportRegisterOptionsTest {

  private static void assertRefused(InProcessCli r, String... mentions) {
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.out() + r.err());
    for (String m : mentions) {
      assertTrue(r.err().contains(m), "'" + m + "' in: " + r.err());
    }
  }

  @Test
  void registryOptionsWithoutRegisterAreRefused(@TempDir Path dir) {
    assertRefused(InProcessCli.run("", "export", "--model", dir.toString(), "--out", dir.resolve("x").toString(), "--alias", "prod"),
        "--alias, --tracking-uri and --experiment go with --register NAME");
    assertFalse(Files.exists(dir.resolve("x")), "nothing written");
  }

  @Test
  void aMalformedModelNameOrAliasIsRefused(@TempDir Path dir) {
    assertRefused(InProcessCli.run("", "export", "--model", dir.toString(), "--out", dir.resolve("x").toString(),
        "--register", "my model!"), "--register 'my model!' is not a registered model name", "letters, digits");
    assertRefused(InProcessCli.run("", "export", "--model", dir.toString(), "--out", dir.resolve("x").toString(),
        "--register", "ok-name", "--alias", "9lives"), "--alias '9lives' is not a model alias", "start with a letter");
    assertFalse(Files.exists(dir.resolve("x")), "nothing written");
  }

  @Test
  void registeringWithoutAnyServerIsRefusedBeforeTheExportIsCopied(@TempDir Path dir) throws Exception {
    Path export = Files.createDirectories(dir.resolve("export"));
    Files.writeString(export.resolve("export.json"), "{}");
    assertRefused(InProcessCli.run("", "export", "--model", export.toString(), "--out", dir.resolve("x").toString(),
        "--register", "ok-name", "--tracking-uri", "none"), "--register needs an MLflow server", "--tracking-uri URI");
    assertFalse(Files.exists(dir.resolve("x")), "nothing written");
  }
}
