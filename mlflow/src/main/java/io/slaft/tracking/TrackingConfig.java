package io.slaft.tracking;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable, validated tracking settings.
 *
 * @param trackingUri {@code http(s)://host:port} of the MLflow server, or {@code null} when no
 *     server is configured (then every record goes to the spool)
 * @param experimentName experiment that {@link Trackers#create} prepares eagerly
 * @param spoolDir directory for records that could not be delivered
 * @param retry backoff policy for connection errors, 5xx and 429
 * @param insecureTls skip TLS certificate verification (only when explicitly requested)
 * @param credentials server credentials; never printed by {@link #toString()}
 * @param queueCapacity records buffered in memory before callers spill straight to the spool
 * @param connectTimeout longest wait for a TCP (and TLS) connection to the server
 * @param requestTimeout longest wait for the whole answer to one HTTP request, once connected
 *     (health probes wait at most 3 s); a call that runs out of time counts as "server
 *     unreachable": it is retried, then its records go to the spool
 * @param probeInterval how often a tracker that fell back to the spool checks whether the
 *     server is back
 * @param linger how long the delivery thread waits for more records before sending a small
 *     batch (a flush or close cuts it short)
 */
public record TrackingConfig(
    URI trackingUri,
    String experimentName,
    Path spoolDir,
    RetryPolicy retry,
    boolean insecureTls,
    TrackingCredentials credentials,
    int queueCapacity,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration probeInterval,
    Duration linger) {

  public static final String TRACKING_URI_ENV = "MLFLOW_TRACKING_URI";
  public static final String INSECURE_TLS_ENV = "MLFLOW_TRACKING_INSECURE_TLS";

  public TrackingConfig {
    checkNotNull(experimentName, "experimentName must not be null");
    checkArgument(!experimentName.isBlank(), "experimentName must not be blank");
    checkNotNull(spoolDir, "spoolDir must not be null");
    checkNotNull(retry, "retry must not be null");
    checkNotNull(credentials, "credentials must not be null (use TrackingCredentials.none())");
    checkNotNull(connectTimeout, "connectTimeout must not be null");
    checkNotNull(requestTimeout, "requestTimeout must not be null");
    checkNotNull(probeInterval, "probeInterval must not be null");
    checkArgument(queueCapacity >= 16, "queueCapacity must be >= 16, got %s", queueCapacity);
    checkArgument(!connectTimeout.isNegative() && !connectTimeout.isZero(), "connectTimeout must be > 0, got %s", connectTimeout);
    checkArgument(!requestTimeout.isNegative() && !requestTimeout.isZero(), "requestTimeout must be > 0, got %s", requestTimeout);
    checkArgument(!probeInterval.isNegative(), "probeInterval must be >= 0");
    checkNotNull(linger, "linger must not be null");
    checkArgument(!linger.isNegative() && linger.compareTo(Duration.ofMinutes(1)) <= 0, "linger must be in [0, 1 min], got %s", linger);
    if (trackingUri != null) {
      String scheme = trackingUri.getScheme() == null ? "" : trackingUri.getScheme().toLowerCase(Locale.ROOT);
      checkArgument(
          scheme.equals("http") || scheme.equals("https"),
          "trackingUri must be http:// or https:// (the MLflow Java client rejects other schemes), got '%s'",
          trackingUri.getScheme());
      checkArgument(trackingUri.getHost() != null, "trackingUri must name a host");
      checkArgument(
          trackingUri.getRawUserInfo() == null,
          "trackingUri must not contain credentials; set %s or %s/%s instead",
          TrackingCredentials.TOKEN_ENV,
          TrackingCredentials.USERNAME_ENV,
          TrackingCredentials.PASSWORD_ENV);
      checkArgument(
          trackingUri.getRawQuery() == null && trackingUri.getRawFragment() == null,
          "trackingUri must not have a query or fragment");
      String text = trackingUri.toString();
      trackingUri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }
    spoolDir = spoolDir.toAbsolutePath().normalize();
  }

  public Optional<URI> tracking() {
    return Optional.ofNullable(trackingUri);
  }

  public static Builder builder(String experimentName, Path spoolDir) {
    return new Builder(experimentName, spoolDir);
  }

  /**
   * Settings from the environment: {@value #TRACKING_URI_ENV} (unset or blank means no server),
   * {@value #INSECURE_TLS_ENV} ({@code true} turns TLS verification off) and the credentials of
   * {@link TrackingCredentials#fromEnv}.
   */
  public static TrackingConfig fromEnv(String experimentName, Path spoolDir, Map<String, String> env) {
    Builder b = builder(experimentName, spoolDir).credentials(TrackingCredentials.fromEnv(env));
    String uri = env.get(TRACKING_URI_ENV);
    if (uri != null && !uri.isBlank()) {
      b.trackingUri(parseTrackingUri(TRACKING_URI_ENV, uri));
    }
    String insecure = env.get(INSECURE_TLS_ENV);
    if (insecure != null && !insecure.isBlank()) {
      String v = insecure.trim().toLowerCase(Locale.ROOT);
      checkArgument(v.equals("true") || v.equals("false"), "%s must be true or false, got '%s'", INSECURE_TLS_ENV, insecure);
      b.insecureTls(v.equals("true"));
    }
    return b.build();
  }

  /**
   * Parses a tracking URI given by {@code source} (an environment variable, a flag, a config key).
   * Unlike {@link URI#create}, whose message repeats the whole text, a malformed URI fails with
   * the text's URL password masked ({@link Redactor#patterns}), so credentials written into it are
   * not printed.
   *
   * @throws IllegalArgumentException naming {@code source}, the masked text and what is wrong
   */
  public static URI parseTrackingUri(String source, String text) {
    String t = text.trim();
    try {
      return new URI(t);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(source + " is not a valid URI: '" + Redactor.patterns(t) + "' ("
          + e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "") + ")");
    }
  }

  public TrackingConfig withTrackingUri(URI uri) {
    return new TrackingConfig(
        uri, experimentName, spoolDir, retry, insecureTls, credentials,
        queueCapacity, connectTimeout, requestTimeout, probeInterval, linger);
  }

  public TrackingConfig withCredentials(TrackingCredentials creds) {
    return new TrackingConfig(
        trackingUri, experimentName, spoolDir, retry, insecureTls, creds,
        queueCapacity, connectTimeout, requestTimeout, probeInterval, linger);
  }

  public TrackingConfig withRetry(RetryPolicy policy) {
    return new TrackingConfig(
        trackingUri, experimentName, spoolDir, policy, insecureTls, credentials,
        queueCapacity, connectTimeout, requestTimeout, probeInterval, linger);
  }

  /** A copy with other connect and request timeouts (see the record components). */
  public TrackingConfig withTimeouts(Duration connect, Duration request) {
    return new TrackingConfig(
        trackingUri, experimentName, spoolDir, retry, insecureTls, credentials,
        queueCapacity, connect, request, probeInterval, linger);
  }

  public TrackingConfig withExperimentName(String name) {
    return new TrackingConfig(
        trackingUri, name, spoolDir, retry, insecureTls, credentials,
        queueCapacity, connectTimeout, requestTimeout, probeInterval, linger);
  }

  @Override
  public String toString() {
    return "TrackingConfig[trackingUri=" + (trackingUri == null ? "<none>" : trackingUri)
        + ", experimentName=" + experimentName
        + ", spoolDir=" + spoolDir
        + ", retry=" + retry
        + ", insecureTls=" + insecureTls
        + ", credentials=" + credentials
        + ", queueCapacity=" + queueCapacity
        + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout
        + ", probeInterval=" + probeInterval
        + ", linger=" + linger + "]";
  }

  /**
   * Builder with defaults: no server, default retries, TLS verified, 100 000 queued records, 5 s
   * connect and 30 s request timeout, 5 s probe interval, 1 s linger.
   */
  public static final class Builder {
    private URI trackingUri;
    private final String experimentName;
    private final Path spoolDir;
    private RetryPolicy retry = RetryPolicy.defaults();
    private boolean insecureTls;
    private TrackingCredentials credentials = TrackingCredentials.none();
    private int queueCapacity = 100_000;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration probeInterval = Duration.ofSeconds(5);
    private Duration linger = Duration.ofSeconds(1);

    private Builder(String experimentName, Path spoolDir) {
      this.experimentName = experimentName;
      this.spoolDir = spoolDir;
    }

    public Builder trackingUri(URI uri) {
      this.trackingUri = uri;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    public Builder insecureTls(boolean insecureTls) {
      this.insecureTls = insecureTls;
      return this;
    }

    public Builder credentials(TrackingCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder probeInterval(Duration probeInterval) {
      this.probeInterval = probeInterval;
      return this;
    }

    public Builder linger(Duration linger) {
      this.linger = linger;
      return this;
    }

    public TrackingConfig build() {
      return new TrackingConfig(
          trackingUri, experimentName, spoolDir, retry, insecureTls, credentials,
          queueCapacity, connectTimeout, requestTimeout, probeInterval, linger);
    }
  }
}
