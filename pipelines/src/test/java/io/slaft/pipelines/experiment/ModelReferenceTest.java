package io.slaft.pipelines.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.model.export.ExportManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelReferenceTest {
  @TempDir Path dir;

  private Path export(Path d) throws Exception {
    Files.createDirectories(d);
    Files.writeString(d.resolve(ExportManifest.FILE), "{}");
    return d;
  }

  private Path run(String name, String... points) throws Exception {
    Path r = Files.createDirectories(dir.resolve(name));
    Files.writeString(r.resolve("config.resolved.yaml"), "name: x\n");
    for (String p : points) {
      export(ExperimentSession.exportDir(r, p));
    }
    return r;
  }

  private static String refused(Path given, String point) {
    return assertThrows(IllegalArgumentException.class, () -> ModelReference.exportDir(given, point)).getMessage();
  }

  @Test
  void anExportDirectoryIsItself() throws Exception {
    Path e = export(dir.resolve("e"));
    assertEquals(e, ModelReference.exportDir(e, null));
  }

  @Test
  void aRunDirectoryServesItsOnlyPointOrTheOneNamed() throws Exception {
    Path one = run("one", "main");
    assertEquals(one.resolve("model").resolve("main"), ModelReference.exportDir(one, null));
    Path sweep = run("sweep", "0-aaaa", "1-bbbb");
    assertEquals(sweep.resolve("model").resolve("1-bbbb"), ModelReference.exportDir(sweep, "1-bbbb"));
    String m = refused(sweep, null);
    assertTrue(m.contains("exports of 2 points [0-aaaa, 1-bbbb]") && m.contains("--point"), m);
    m = refused(sweep, "2-cccc");
    assertTrue(m.contains("no export of point '2-cccc'") && m.contains("[0-aaaa, 1-bbbb]"), m);
  }

  @Test
  void everythingElseIsRefusedSayingWhatToPass() throws Exception {
    String m = refused(run("bare"), null);
    assertTrue(m.contains("has no export") && m.contains("slaft export --model"), m);
    m = refused(Files.createDirectories(dir.resolve("empty")), null);
    assertTrue(m.contains("neither an export directory") && m.contains("nor a run directory"), m);
    m = refused(dir.resolve("missing"), null);
    assertTrue(m.contains("does not exist"), m);
    m = refused(Path.of("models:/sst2"), null);
    assertTrue(m.contains("is not a model registry reference") && m.contains("models:/NAME@ALIAS"), m);
  }

  @Test
  void aRegistryReferenceWithNoServerToAskSaysHowToGetOne() {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.slaft.pipelines.tracking.TrackingSettings.autoUri() == null,
        "a local MLflow server or MLFLOW_TRACKING_URI is there");
    String m = refused(Path.of("models:/sst2@champion"), null);
    assertTrue(m.contains("needs an MLflow server") && m.contains("MLFLOW_TRACKING_URI"), m);
  }
}
