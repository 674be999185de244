package io.slaft.tracking;

import io.slaft.tracking.mlflow.MlflowTracker;
import io.slaft.tracking.spool.ReplayReport;
import io.slaft.tracking.spool.SpoolingTracker;
import java.nio.file.Path;

/** Entry point: builds the {@link Tracker} that a {@link TrackingConfig} asks for. */
public final class Trackers {

  private Trackers() {}

  /**
   * An {@link MlflowTracker} when a tracking URI is configured, otherwise a
   * {@link SpoolingTracker} that says where its spool is. An unreachable server does not fail:
   * the tracker spools until the server answers.
   *
   * @throws TrackingAuthException if the server refuses the configured credentials
   */
  public static Tracker create(TrackingConfig config) {
    if (config.tracking().isEmpty()) {
      return new SpoolingTracker(config.spoolDir(), Redactor.of(config.credentials()));
    }
    return MlflowTracker.create(config);
  }

  /**
   * Replays {@code config.spoolDir()} into the configured server ({@code slaft mlflow sync}),
   * exactly once per record.
   *
   * @throws IllegalArgumentException if no tracking URI is configured
   * @throws TrackingAuthException if the server refuses the configured credentials
   */
  public static ReplayReport sync(TrackingConfig config) {
    return sync(config, config.spoolDir());
  }

  /** Replays {@code spoolDir} into the server of {@code config}. */
  public static ReplayReport sync(TrackingConfig config, Path spoolDir) {
    if (config.tracking().isEmpty()) {
      throw new IllegalArgumentException("no tracking server configured: set " + TrackingConfig.TRACKING_URI_ENV
          + " (or start one with `slaft mlflow server start`) before syncing " + spoolDir);
    }
    try (MlflowTracker tracker = MlflowTracker.create(config)) {
      return tracker.replay(spoolDir);
    }
  }
}
