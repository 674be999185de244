package io.slaft.pipelines.tracking;

import io.slaft.pipelines.config.ConfigKeys;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.Trackers;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingStatus;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where records go: an MLflow server URI (or none: spool only) and the spool directory, how long
 * one call to the server may take ({@code tracking.connect_timeout_s},
 * {@code tracking.request_timeout_s}), and how often system metrics are sampled into training runs
 * ({@code tracking.system_metrics_interval_s}, 0 = off; see
 * {@link io.slaft.tracking.system.SystemMetricsSampler}). Serializable so Beam workers can open
 * their own tracker; credentials are never carried here, each JVM reads them from its environment
 * (MLFLOW_TRACKING_TOKEN or USERNAME/PASSWORD).
 */
public record TrackingSettings(String uri, String experiment, String spoolDir, int connectTimeoutS, int requestTimeoutS,
    int systemMetricsIntervalS) implements Serializable {
  private static final Map<TrackingSettings, Tracker> OPEN = new HashMap<>();

  /** @throws IllegalArgumentException if {@code systemMetricsIntervalS} is negative */
  public TrackingSettings {
    if (systemMetricsIntervalS < 0) {
      throw new IllegalArgumentException(ConfigKeys.TRACKING_SYSTEM_METRICS_INTERVAL_S.key()
          + " must be >= 0 (0 = off), got " + systemMetricsIntervalS);
    }
  }

  /**
   * Settings with the default timeouts of {@link ConfigKeys#TRACKING_CONNECT_TIMEOUT_S} and
   * {@link ConfigKeys#TRACKING_REQUEST_TIMEOUT_S} and the default
   * {@link ConfigKeys#TRACKING_SYSTEM_METRICS_INTERVAL_S}.
   */
  public TrackingSettings(String uri, String experiment, String spoolDir) {
    this(uri, experiment, spoolDir, Integer.parseInt(ConfigKeys.TRACKING_CONNECT_TIMEOUT_S.defaultValue()),
        Integer.parseInt(ConfigKeys.TRACKING_REQUEST_TIMEOUT_S.defaultValue()));
  }

  /** Settings with the default {@link ConfigKeys#TRACKING_SYSTEM_METRICS_INTERVAL_S}. */
  public TrackingSettings(String uri, String experiment, String spoolDir, int connectTimeoutS, int requestTimeoutS) {
    this(uri, experiment, spoolDir, connectTimeoutS, requestTimeoutS,
        Integer.parseInt(ConfigKeys.TRACKING_SYSTEM_METRICS_INTERVAL_S.defaultValue()));
  }

  /** The interval between two system-metrics samples, or empty when they are off. */
  public Optional<Duration> systemMetricsInterval() {
    return systemMetricsIntervalS == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(systemMetricsIntervalS));
  }

  /**
   * Where a run of {@code c} tracks: {@code tracking.uri} none → null (nowhere); a URL → that
   * server; auto → the local server (under {@code slaft.home}) if running, else
   * MLFLOW_TRACKING_URI, else only the spool {@code out/tracking-spool}.
   */
  public static TrackingSettings resolve(io.slaft.pipelines.config.ExperimentConfig c, Path out) {
    String uri = c.get(ConfigKeys.TRACKING_URI);
    String model = c.get(ConfigKeys.REGISTRY_MODEL);
    if (!model.isEmpty()) {
      io.slaft.tracking.ModelVersionSpec.nameProblem(model).ifPresent(problem -> {
        throw new io.slaft.pipelines.config.ConfigException(ConfigKeys.REGISTRY_MODEL.key() + " = " + problem);
      });
      String alias = c.get(ConfigKeys.REGISTRY_ALIAS);
      io.slaft.tracking.ModelVersionSpec.aliasProblem(alias).ifPresent(problem -> {
        throw new io.slaft.pipelines.config.ConfigException(ConfigKeys.REGISTRY_ALIAS.key() + " = " + problem);
      });
    }
    if (uri.equals("none")) {
      if (!model.isEmpty()) {
        throw new io.slaft.pipelines.config.ConfigException(ConfigKeys.REGISTRY_MODEL.key() + " = '" + model + "' needs a tracking "
            + "server, but " + ConfigKeys.TRACKING_URI.key() + " = none; set tracking.uri (or auto) or remove registry.model");
      }
      return null;
    }
    String experiment = c.get(ConfigKeys.TRACKING_EXPERIMENT).isEmpty() ? c.get(ConfigKeys.NAME) : c.get(ConfigKeys.TRACKING_EXPERIMENT);
    String spool = out.resolve("tracking-spool").toString();
    int connect = c.get(ConfigKeys.TRACKING_CONNECT_TIMEOUT_S);
    int request = c.get(ConfigKeys.TRACKING_REQUEST_TIMEOUT_S);
    int system = c.get(ConfigKeys.TRACKING_SYSTEM_METRICS_INTERVAL_S);
    if (uri.equals("auto")) {
      return new TrackingSettings(autoUri(), experiment, spool, connect, request, system);
    }
    return new TrackingSettings(uri, experiment, spool, connect, request, system);
  }

  /**
   * The server {@code tracking.uri = auto} means: the local server (under {@code slaft.home}) if it
   * is running, else MLFLOW_TRACKING_URI, else null (none).
   */
  public static String autoUri() {
    io.slaft.tracking.server.LocalMlflowServer local =
        io.slaft.tracking.server.LocalMlflowServer.defaultServer(Path.of(System.getProperty("slaft.home", ".")));
    if (local.running() && local.uri().isPresent()) {
      return local.uri().get().toString();
    }
    String env = System.getenv("MLFLOW_TRACKING_URI");
    return env == null || env.isBlank() ? null : env;
  }

  /**
   * The JVM-wide tracker for these settings (one per server, experiment, spool and timeouts,
   * shared by all threads; settings that differ only in the system-metrics interval share it).
   */
  public Tracker tracker() {
    synchronized (OPEN) {
      return OPEN.computeIfAbsent(sinkKey(), s -> {
        Tracker t = Trackers.create(s.config());
        Runtime.getRuntime().addShutdownHook(new Thread(t::close));
        return t;
      });
    }
  }

  /** The tracking configuration these settings mean in this JVM (credentials from its environment). */
  public TrackingConfig config() {
    TrackingConfig c = TrackingConfig.fromEnv(experiment, Path.of(spoolDir), System.getenv())
        .withTimeouts(Duration.ofSeconds(connectTimeoutS), Duration.ofSeconds(requestTimeoutS));
    return hasServer() ? c.withTrackingUri(TrackingConfig.parseTrackingUri("tracking.uri", uri)) : c;
  }

  /** Whether records go to a server (else only to the spool). */
  public boolean hasServer() {
    return uri != null && !uri.isBlank();
  }

  /**
   * Flushes and closes this JVM's tracker for these settings, if one is open, and returns its final
   * status ({@code null} when none was open); a later {@link #tracker()} opens a new one. A launcher
   * calls this when its pipeline is done, so that a tracker still waiting for an unreachable server
   * does not replay the spool concurrently with {@code slaft mlflow sync}.
   */
  public TrackingStatus close() {
    Tracker t;
    synchronized (OPEN) {
      t = OPEN.remove(sinkKey());
    }
    if (t == null) {
      return null;
    }
    TrackingStatus s = t.flush();
    t.close();
    return s;
  }

  /** These settings without the parts that do not choose the tracker (the key of {@code OPEN}). */
  private TrackingSettings sinkKey() {
    return new TrackingSettings(uri, experiment, spoolDir, connectTimeoutS, requestTimeoutS, 0);
  }

  /** Flushes every tracker of this JVM. */
  public static void flushAll() {
    synchronized (OPEN) {
      OPEN.values().forEach(Tracker::flush);
    }
  }
}
