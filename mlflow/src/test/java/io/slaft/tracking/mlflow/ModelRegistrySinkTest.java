package io.slaft.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.mlflow.MlflowApi.ModelVersion;
import io.slaft.tracking.record.LogArtifact;
import io.slaft.tracking.record.RegisterModel;
import io.slaft.tracking.record.SetModelAlias;
import io.slaft.tracking.record.StartRun;
import io.slaft.tracking.record.TrackingRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration and aliases as the sink applies them: once per (model, run), on 2.x and 3.x servers. */
class ModelRegistrySinkTest {

  @TempDir Path tmp;
  private final FakeMlflowApi api = new FakeMlflowApi();
  private final RunRef run = new RunRef("exp", "parent/p0/sst2");

  private List<TrackingRecord> loggedAndRegistered() throws Exception {
    Path weights = Files.write(tmp.resolve("weights.bin"), new byte[] {1, 2, 3});
    Path manifest = Files.writeString(tmp.resolve("export.json"), "{}");
    return List.of(
        new StartRun("s", RunSpec.root("exp", run.runKey(), "SST-2 · sla"), 1),
        new LogArtifact("a1", run, weights.toString(), "model/weights.bin", 3),
        new LogArtifact("a2", run, manifest.toString(), "model/export.json", 2),
        new RegisterModel("r", run, "sst2-sla", "model",
            Map.of("weights.bin", weights.toString(), "export.json", manifest.toString()),
            Map.of("slaft.method", "sla"), "## Structure"));
  }

  @Test
  void onALoggedModelServerTheVersionPointsAtAReadyLoggedModelOfTheRun() throws Exception {
    new MlflowSink(api).deliver(loggedAndRegistered());
    ModelVersion v = api.registered.get("sst2-sla").get(0);
    assertEquals("1", v.version());
    String runId = api.runByKey(run.runKey()).id;
    assertEquals(runId, v.runId());
    assertEquals("models:/" + v.modelId(), v.source());
    MlflowApi.LoggedModel model = api.loggedModels.get(v.modelId());
    assertEquals(MlflowApi.LoggedModel.READY, model.status());
    assertEquals(List.of(v.modelId()), api.runOutputs.get(runId));
    assertArrayEquals(new byte[] {1, 2, 3}, api.files.get(model.artifactUri() + "/weights.bin"));
    assertEquals(Map.of("slaft.method", "sla"), api.versionTags.get("sst2-sla/1"));
  }

  @Test
  void onA2xServerTheSourceIsTheRunsArtifactPath() throws Exception {
    api.hasLoggedModels = false;
    new MlflowSink(api).deliver(loggedAndRegistered());
    ModelVersion v = api.registered.get("sst2-sla").get(0);
    assertEquals("", v.modelId());
    assertTrue(v.source().endsWith("/" + api.runByKey(run.runKey()).id + "/artifacts/model"), v.source());
    assertTrue(api.loggedModels.isEmpty());
  }

  @Test
  void replayingARegistrationAddsNoVersionAndNoLoggedModel() throws Exception {
    List<TrackingRecord> records = loggedAndRegistered();
    new MlflowSink(api).deliver(records);
    new MlflowSink(api).deliver(records); // a replay from the spool, by a new process
    assertEquals(1, api.registered.get("sst2-sla").size());
    assertEquals(1, api.loggedModels.size());
  }

  @Test
  void aRegistrationLostAfterTheLoggedModelWasCreatedReusesIt() throws Exception {
    api.faults = new FakeMlflowApi.Faults() {
      boolean failed;

      @Override
      public TrackingException before(String op) {
        if (op.equals("createModelVersion") && !failed) {
          failed = true;
          return new TrackingException("connection reset", true);
        }
        return null;
      }
    };
    List<TrackingRecord> records = loggedAndRegistered();
    MlflowSink sink = new MlflowSink(api);
    assertThrows(TrackingException.class, () -> sink.deliver(records));
    sink.deliver(records.subList(3, 4));
    assertEquals(1, api.loggedModels.size());
    assertEquals(1, api.registered.get("sst2-sla").size());
    assertEquals(MlflowApi.LoggedModel.READY, api.loggedModels.values().iterator().next().status());
  }

  @Test
  void anAliasPointsAtTheVersionOfItsRunAndMovesWithTheChampion() throws Exception {
    RunRef other = new RunRef("exp", "parent/p1/sst2");
    MlflowSink sink = new MlflowSink(api);
    sink.deliver(loggedAndRegistered());
    sink.deliver(List.of(new StartRun("s2", RunSpec.root("exp", other.runKey(), "p1"), 2),
        new RegisterModel("r2", other, "sst2-sla", "model", Map.of(), Map.of(), "")));
    sink.deliver(List.of(new SetModelAlias("al", other, "sst2-sla", "champion")));
    assertEquals("2", api.aliases.get("sst2-sla@champion"));
    sink.deliver(List.of(new SetModelAlias("al2", run, "sst2-sla", "champion")));
    assertEquals("1", api.aliases.get("sst2-sla@champion"));
  }

  @Test
  void anAliasForARunWithoutAVersionIsRejectedNotRetried() {
    MlflowSink sink = new MlflowSink(api);
    sink.deliver(List.of(new StartRun("s", RunSpec.root("exp", run.runKey(), "x"), 1)));
    api.ensureRegisteredModel("sst2-sla");
    TrackingException e = assertThrows(TrackingException.class,
        () -> sink.deliver(List.of(new SetModelAlias("al", run, "sst2-sla", "champion"))));
    assertTrue(!e.retryable() && e.getMessage().contains("champion"), e.getMessage());
  }

  @Test
  void anAliasForARunNobodyStartedIsRejectedAndCreatesNoRun() {
    MlflowSink sink = new MlflowSink(api);
    api.ensureRegisteredModel("sst2-sla");
    int before = api.runs.size();
    TrackingException e = assertThrows(TrackingException.class, () -> sink.deliver(List.of(
        new SetModelAlias("al", new RunRef("exp", "parent/never-started/sst2"), "sst2-sla", "champion"))));
    assertTrue(!e.retryable() && e.getMessage().contains("no run with key parent/never-started/sst2"), e.getMessage());
    assertEquals(before, api.runs.size(), "no empty run was made for the alias");
  }
}
