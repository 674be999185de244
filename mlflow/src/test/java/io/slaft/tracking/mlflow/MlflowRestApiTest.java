package io.slaft.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MlflowRestApiTest {

  private final MlflowRestApi api = new MlflowRestApi(
      TrackingConfig.builder("e", Path.of("spool")).trackingUri(URI.create("http://127.0.0.1:5000/")).build());

  @Test
  void artifactUrlFollowsTheServedArtifactsRoute() {
    var run = new MlflowApi.RemoteRun("abc", "7", "mlflow-artifacts:/7/abc/artifacts", false, 0);
    assertEquals(
        URI.create("http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/7/abc/artifacts/plots/gate%20heatmap.png"),
        api.artifactUrl(run, "plots/gate heatmap.png"));
  }

  @Test
  void serverWithoutServedArtifactsIsANonRetryableError() {
    var run = new MlflowApi.RemoteRun("abc", "7", "file:///tmp/mlruns/7/abc/artifacts", false, 0);
    TrackingException e = assertThrows(TrackingException.class, () -> api.artifactUrl(run, "a.json"));
    assertFalse(e.retryable());
  }

  @Test
  void unreachableServerIsNotHealthyAndErrorsAreRetryable() {
    MlflowRestApi down = new MlflowRestApi(
        TrackingConfig.builder("e", Path.of("spool")).trackingUri(URI.create("http://127.0.0.1:1")).build());
    assertFalse(down.healthy());
    TrackingException e = assertThrows(TrackingException.class, () -> down.experimentId("x"));
    assertEquals(true, e.retryable());
  }
}
