package io.slaft.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.record.EndRun;
import io.slaft.tracking.record.LogParams;
import io.slaft.tracking.record.StartRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlflowSinkTest {

  private final FakeMlflowApi api = new FakeMlflowApi();
  private final RunSpec spec = RunSpec.root("exp", "k", "r");
  private final RunRef run = spec.run();

  @Test
  void oldSpooledStartDoesNotReopenAFinishedRunButALaterStartDoes() {
    new MlflowSink(api).deliver(List.of(new StartRun("a", spec, 100), new EndRun("b", run, RunStatus.FINISHED, 200)));
    new MlflowSink(api).deliver(List.of(new StartRun("c", spec, 150)));
    assertEquals(RunStatus.FINISHED, api.runByKey("k").status);
    new MlflowSink(api).deliver(List.of(new StartRun("d", spec, 300)));
    assertNull(api.runByKey("k").status, "reopened");
    assertEquals(1, api.runs.size());
  }

  @Test
  void changedParamOnAContinuedRunIsDroppedAndOthersAreLogged() {
    new MlflowSink(api).deliver(List.of(new StartRun("a", spec, 1), new LogParams("b", run, Map.of("lr", "0.1"))));
    MlflowSink resumed = new MlflowSink(api);
    resumed.deliver(List.of(new LogParams("c", run, Map.of("lr", "0.2", "seed", "7"))));
    assertEquals(Map.of("lr", "0.1", "seed", "7"), api.runByKey("k").params);
    assertEquals(1, resumed.droppedParams());
  }
}
