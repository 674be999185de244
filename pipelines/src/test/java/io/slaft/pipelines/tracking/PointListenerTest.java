package io.slaft.pipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slaft.model.train.TrainListener;
import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.ModelVersionSpec;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A point's training events reach its child runs as metrics, and the console progress still sees each of them. */
class PointListenerTest {
  /** Records metric calls; nothing else is expected of it here. */
  private static final class RecordingTracker implements Tracker {
    final Map<RunRef, List<MetricPoint>> metrics = new LinkedHashMap<>();

    @Override
    public void logMetrics(RunRef run, List<MetricPoint> points) {
      metrics.computeIfAbsent(run, r -> new ArrayList<>()).addAll(points);
    }

    @Override
    public RunRef startRun(RunSpec spec) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void logParams(RunRef run, Map<String, String> params) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setTags(RunRef run, Map<String, String> tags) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void logInput(RunRef run, DatasetInput input) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void logArtifact(RunRef run, Path localFile, String artifactPath) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void endRun(RunRef run, RunStatus status) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void registerModel(RunRef run, ModelVersionSpec spec) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setModelAlias(RunRef run, String name, String alias) {
      throw new UnsupportedOperationException();
    }

    @Override
    public TrackingStatus flush() {
      throw new UnsupportedOperationException();
    }

    @Override
    public TrackingStatus status() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<String> remoteRunId(RunRef run) {
      return Optional.empty();
    }

    @Override
    public void close() {}
  }

  @Test
  void aGraphRebuildIsShownOnTheConsoleAndLoggedOnEveryTasksRun() {
    RecordingTracker tracker = new RecordingTracker();
    RunRef sst2 = new RunRef("exp", "p/sst2");
    RunRef mrpc = new RunRef("exp", "p/mrpc");
    List<TrainListener.GraphInfo> shown = new ArrayList<>();
    TrainListener progress = new TrainListener() {
      @Override
      public void onGraph(GraphInfo info) {
        shown.add(info);
      }
    };
    Map<String, RunRef> runs = new LinkedHashMap<>();
    runs.put("sst2", sst2);
    runs.put("mrpc", mrpc);
    TrainListener l = new TrackingObserver.PointListener(tracker, runs, new ArrayList<>(), progress);
    TrainListener.GraphInfo rebuild = new TrainListener.GraphInfo(300, 13, 24, 7, 2);
    l.onGraph(rebuild);
    assertEquals(List.of(rebuild), shown, "the console progress line of the rebuild");
    for (RunRef r : List.of(sst2, mrpc)) {
      List<MetricPoint> pts = tracker.metrics.get(r);
      assertEquals(List.of("graph_modules", "graph_fixed_activations", "graph_cached_layers"),
          pts.stream().map(MetricPoint::key).toList());
      assertEquals(List.of(13.0, 7.0, 2.0), pts.stream().map(MetricPoint::value).toList());
      assertEquals(List.of(300L, 300L, 300L), pts.stream().map(MetricPoint::step).toList());
    }
  }
}
