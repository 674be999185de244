package io.slaft.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackingConfigTest {

  private static final Path SPOOL = Path.of("spool");

  @Test
  void readsUriTlsFlagAndBearerTokenFromTheEnvironment() {
    TrackingConfig c = TrackingConfig.fromEnv("exp", SPOOL, Map.of(
        "MLFLOW_TRACKING_URI", "https://mlflow.example.org/",
        "MLFLOW_TRACKING_INSECURE_TLS", "true",
        "MLFLOW_TRACKING_TOKEN", "tok-123456"));
    assertEquals(URI.create("https://mlflow.example.org"), c.trackingUri());
    assertTrue(c.insecureTls());
    assertEquals("Bearer tok-123456", c.credentials().authorizationHeader().orElseThrow());
  }

  @Test
  void noUriMeansNoServerAndTlsIsVerifiedByDefault() {
    TrackingConfig c = TrackingConfig.fromEnv("exp", SPOOL, Map.of());
    assertTrue(c.tracking().isEmpty());
    assertFalse(c.insecureTls());
    assertFalse(c.credentials().isPresent());
    assertEquals(SPOOL.toAbsolutePath().normalize(), c.spoolDir());
  }

  @Test
  void toStringHidesTokenAndPassword() {
    TrackingConfig bearer = TrackingConfig.fromEnv("exp", SPOOL, Map.of(
        "MLFLOW_TRACKING_URI", "http://127.0.0.1:5000", "MLFLOW_TRACKING_TOKEN", "very-secret-token"));
    TrackingConfig basic = TrackingConfig.fromEnv("exp", SPOOL, Map.of(
        "MLFLOW_TRACKING_URI", "http://127.0.0.1:5000",
        "MLFLOW_TRACKING_USERNAME", "alice",
        "MLFLOW_TRACKING_PASSWORD", "very-secret-password"));
    assertFalse(bearer.toString().contains("very-secret-token"), bearer.toString());
    assertFalse(basic.toString().contains("very-secret-password"), basic.toString());
    assertFalse(basic.credentials().toString().contains("very-secret-password"));
    assertTrue(basic.toString().contains("alice"));
  }

  @Test
  void rejectsUnsupportedOrUnsafeSettingsNamingTheRule() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> TrackingConfig.builder("exp", SPOOL).trackingUri(URI.create("file:///tmp/mlruns")).build());
    assertTrue(e.getMessage().contains("http://"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TrackingConfig.builder("exp", SPOOL).trackingUri(URI.create("http://bob:pw@host:5000")).build());
    assertTrue(e.getMessage().contains("MLFLOW_TRACKING_TOKEN"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrackingConfig.builder(" ", SPOOL).build());
    assertThrows(IllegalArgumentException.class, () -> TrackingConfig.builder("exp", SPOOL).queueCapacity(1).build());
    e = assertThrows(IllegalArgumentException.class,
        () -> TrackingConfig.fromEnv("exp", SPOOL, Map.of("MLFLOW_TRACKING_INSECURE_TLS", "yes")));
    assertTrue(e.getMessage().contains("MLFLOW_TRACKING_INSECURE_TLS"));
  }

  @Test
  void everyCallIsBoundedByConnectAndRequestTimeouts() {
    TrackingConfig c = TrackingConfig.builder("exp", SPOOL).build();
    assertEquals(Duration.ofSeconds(5), c.connectTimeout());
    assertEquals(Duration.ofSeconds(30), c.requestTimeout());
    TrackingConfig t = c.withTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(2));
    assertEquals(Duration.ofMillis(1500), t.connectTimeout());
    assertEquals(Duration.ofSeconds(2), t.requestTimeout());
    assertEquals(c.withTrackingUri(URI.create("http://h:1")).connectTimeout(), c.connectTimeout(), "copies keep the timeouts");
    assertEquals(Duration.ofSeconds(2), t.withRetry(RetryPolicy.noRetries()).withExperimentName("x").requestTimeout());
    var e = assertThrows(IllegalArgumentException.class, () -> c.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("connectTimeout"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TrackingConfig.builder("exp", SPOOL).requestTimeout(Duration.ofSeconds(-1)).build());
    assertTrue(e.getMessage().contains("requestTimeout"), e.getMessage());
  }

  @Test
  void credentialsFromEnvironmentMustBeConsistent() {
    assertThrows(IllegalArgumentException.class, () -> TrackingCredentials.fromEnv(Map.of(
        "MLFLOW_TRACKING_TOKEN", "t", "MLFLOW_TRACKING_USERNAME", "u", "MLFLOW_TRACKING_PASSWORD", "p")));
    var e = assertThrows(IllegalArgumentException.class,
        () -> TrackingCredentials.fromEnv(Map.of("MLFLOW_TRACKING_USERNAME", "u")));
    assertTrue(e.getMessage().contains("MLFLOW_TRACKING_PASSWORD"));
    assertThrows(IllegalArgumentException.class, () -> TrackingCredentials.fromEnv(Map.of("MLFLOW_TRACKING_PASSWORD", "p")));
    assertEquals("Basic dTpw", TrackingCredentials.fromEnv(Map.of(
        "MLFLOW_TRACKING_USERNAME", "u", "MLFLOW_TRACKING_PASSWORD", "p")).authorizationHeader().orElseThrow());
  }

  @Test
  void redactorMasksSecretKeysAndKnownSecretValues() {
    Redactor r = Redactor.of(TrackingCredentials.basic("alice", "pa55word!"));
    assertEquals(Redactor.REDACTED, r.value("mlflow.tracking.token", "abc"));
    assertEquals(Redactor.REDACTED, r.value("db_password", "abc"));
    assertEquals(Redactor.REDACTED, r.value("openai.api_key", "abc"));
    assertEquals("url=http://alice:" + Redactor.REDACTED + "@h", r.value("url", "url=http://alice:pa55word!@h"));
    assertEquals("0.001", r.value("optimizer.lr", "0.001"));
    assertEquals("1000", r.value("tokens_per_batch", "1000"), "keys that merely mention tokens stay");
    assertEquals("bert", r.value("tokenizer.name", "bert"));
    assertEquals(Redactor.REDACTED, r.value("hfToken", "hf_x"));
    assertEquals(Redactor.REDACTED, r.value("MLFLOW_TRACKING_PASSWORD", "x"));
    assertEquals(Redactor.REDACTED, r.value("aws.secret_access_key", "x"));
  }
}
