package io.slaft.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry cache serves a version's own files: the same name and number from another server are another entry. */
class RegisteredModelsCacheTest {
  @TempDir Path dir;

  /** A server whose model {@code m} has version 1, from run {@code runId}, holding {@code weights} as its only file. */
  private FakeMlflowApi server(String runId, String weights) throws Exception {
    FakeMlflowApi api = new FakeMlflowApi();
    String root = "mlflow-artifacts:/1/" + runId + "/artifacts/model";
    Path file = Files.writeString(dir.resolve(runId + ".bin"), weights);
    api.uploadArtifact(root, file, "weights.bin");
    api.ensureRegisteredModel("m");
    api.createModelVersion("m", root, runId, Map.of(), "", null);
    api.setModelAlias("m", "champion", "1");
    return api;
  }

  @Test
  void aVersionIsCachedOnceAndAnotherServersVersionOfTheSameNumberIsNotServedFromIt() throws Exception {
    Path cache = dir.resolve("cache");
    FakeMlflowApi first = server("run-a", "weights of a");
    RegisteredModels.Fetched a = new RegisteredModels(first).fetch("models:/m@champion", cache, false);
    assertEquals("weights of a", Files.readString(a.dir().resolve("weights.bin")));
    long downloads = first.calls.stream().filter("downloadArtifact"::equals).count();
    RegisteredModels.Fetched again = new RegisteredModels(first).fetch("models:/m/1", cache, false);
    assertEquals(a.dir(), again.dir());
    assertEquals(downloads, first.calls.stream().filter("downloadArtifact"::equals).count(), "served from the cache");

    // a fresh server (or the model registered anew) has its own version 1
    RegisteredModels.Fetched b = new RegisteredModels(server("run-b", "weights of b")).fetch("models:/m/1", cache, false);
    assertEquals("1", b.version());
    assertNotEquals(a.dir(), b.dir());
    assertEquals("weights of b", Files.readString(b.dir().resolve("weights.bin")));
    assertEquals("weights of a", Files.readString(a.dir().resolve("weights.bin")), "each entry keeps its own files");
  }
}
