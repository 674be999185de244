package io.slaft.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.Redactor;
import io.slaft.tracking.RetryPolicy;
import io.slaft.tracking.RunKeys;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.Tracker;
import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingConfig;
import io.slaft.tracking.TrackingCredentials;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.TrackingStatus;
import io.slaft.tracking.Trackers;
import io.slaft.tracking.mlflow.LoopbackHttpServer.Reply;
import io.slaft.tracking.spool.ReplayReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Credentials set the way users set them (the environment, injected here as a map) never reach a
 * file or the log. A tracked run logs params, tags, metrics, a dataset input and an artifact to a
 * tracking URI on a closed port, so every record is spooled; its tags carry the messages of real
 * failures (a 401, a server error whose body echoes the request's {@code Authorization} header, a
 * refused connection, a tracking URI with credentials in it, an application error quoting
 * {@code http://user:secret@host}). Then every file under the spool (segments, blobs, replay
 * logs), every log event (with stack traces) and everything printed to stdout and stderr is
 * searched for each secret: the password, the token, the password of a URL's user info and the
 * Basic {@code Authorization} value.
 */
class SecretsNeverLeakTest {

  private static final String USER = "slaft-user";
  private static final String PASSWORD = "pw-9f3KqZ7x";
  private static final String TOKEN = "tok-7e1d0c5bA11CE";
  private static final String URL_SECRET = "urlpw-4v8Q2m";
  private static final String BASIC = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(UTF_8));
  private static final List<String> SECRETS = List.of(PASSWORD, TOKEN, URL_SECRET, BASIC);
  private static final RetryPolicy FAST = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10), 1.0, 0.0);
  private static final Duration BOUND = Duration.ofSeconds(90);

  @TempDir Path tmp;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private PrintStream stdout;
  private PrintStream stderr;

  @BeforeEach
  void capture() {
    events.start();
    root().addAppender(events);
    stdout = System.out;
    stderr = System.err;
    PrintStream both = new PrintStream(printed, true, UTF_8);
    System.setOut(both);
    System.setErr(both);
  }

  @AfterEach
  void release() {
    System.setOut(stdout);
    System.setErr(stderr);
    root().detachAppender(events);
    events.stop();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  // ---- the environment ----

  /** A URI on which nothing listens: connections are refused at once. */
  private static URI closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  private static Map<String, String> env(URI uri, boolean token) {
    Map<String, String> env = new LinkedHashMap<>();
    if (uri != null) {
      env.put(TrackingConfig.TRACKING_URI_ENV, uri.toString());
    }
    if (token) {
      env.put(TrackingCredentials.TOKEN_ENV, TOKEN);
    } else {
      env.put(TrackingCredentials.USERNAME_ENV, USER);
      env.put(TrackingCredentials.PASSWORD_ENV, PASSWORD);
    }
    return env;
  }

  private TrackingConfig config(Map<String, String> env, String spool) {
    return TrackingConfig.fromEnv("secrets", tmp.resolve(spool), env)
        .withRetry(FAST)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3));
  }

  // ---- failure messages ----

  private static String withTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return t.getMessage() + "\n" + w;
  }

  /** The messages (and stack traces) of real failures, each checked on its own as well. */
  private Map<String, String> failures(boolean token) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (LoopbackHttpServer refusing = LoopbackHttpServer.answering(r -> new Reply(401, "{\"error_code\":\"UNAUTHENTICATED\"}"))) {
      TrackingAuthException e =
          assertThrows(TrackingAuthException.class, () -> Trackers.create(config(env(refusing.uri(), token), "auth-spool")));
      assertEquals(401, e.statusCode());
      out.put("error.auth", withTrace(e));
    }
    try (LoopbackHttpServer echoing =
        LoopbackHttpServer.answering(
            r -> new Reply(502, "{\"message\":\"bad gateway for request with authorization: "
                + r.headers().getOrDefault("authorization", "none") + "\"}"))) {
      MlflowRestApi api = new MlflowRestApi(config(env(echoing.uri(), token), "echo-spool"));
      TrackingException e = assertThrows(TrackingException.class, () -> api.experimentId("secrets"));
      assertTrue(echoing.requests().get(0).headers().get("authorization").contains(token ? TOKEN : BASIC),
          "the server must really have been sent the credentials");
      assertTrue(e.getMessage().contains("502"), e.getMessage());
      out.put("error.server", withTrace(e));
      // The tracker logs what a server that is not usable answered.
      try (Tracker t = Trackers.create(config(env(echoing.uri(), token), "echo-spool"))) {
        assertEquals(TrackingStatus.Mode.SPOOLING, t.status().mode());
      }
    }
    MlflowRestApi closed = new MlflowRestApi(config(env(closedPort(), token), "closed-spool"));
    TrackingException refused = assertThrows(TrackingException.class, () -> closed.experimentId("secrets"));
    assertTrue(refused.retryable(), refused.getMessage());
    out.put("error.connect", withTrace(refused));
    for (String uri : List.of(
        "http://" + USER + ":" + URL_SECRET + "@127.0.0.1:5000",
        "http://" + USER + ":" + URL_SECRET + "@bad host:5000",
        "http://" + USER + ":" + URL_SECRET + "@[::1:5000/")) {
      Map<String, String> e = env(null, token);
      e.put(TrackingConfig.TRACKING_URI_ENV, uri);
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> config(e, "uri-spool"));
      out.put("error.uri." + out.size(), withTrace(bad));
    }
    return out;
  }

  // ---- the tracked run ----

  private void trackedRun(Tracker t, Map<String, String> failures, Path artifact) {
    long now = System.currentTimeMillis();
    RunRef parent = t.startRun(RunSpec.root("secrets", RunKeys.of("cfg", "data"), "sweep from https://" + USER + ":" + URL_SECRET + "@git.example/x")
        .withTags(Map.of("slaft.source", "https://" + USER + ":" + URL_SECRET + "@git.example/slaft.git")));
    RunRef child = t.startRun(RunSpec.child(parent, RunKeys.of("cfg", "data", "sst2"), "sst2"));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("db.password", PASSWORD);
    params.put("hub.token", TOKEN);
    params.put("tracking.uri", "http://" + USER + ":" + URL_SECRET + "@mlflow.example:5000");
    params.put("launcher.args", "--user " + USER + " --password=" + PASSWORD + " --token " + TOKEN);
    params.put("proxy", "HTTP_PROXY=http://proxy-user:" + URL_SECRET + "@proxy.example:3128");
    params.put("header", "Authorization: Basic " + BASIC);
    params.put("optimizer.lr", "0.001");
    t.logParams(child, params);
    t.logMetrics(child, List.of(new MetricPoint("loss", 0.5, 1, now), new MetricPoint("dev_accuracy", 0.8, 1, now)));
    t.setTags(child, failures);
    t.logInput(child, new DatasetInput("glue/sst2", "abc123", "local",
        "{\"uri\":\"https://" + USER + ":" + URL_SECRET + "@data.example/sst2\"}", "", "", "training"));
    t.logArtifact(child, artifact, "structure.json");
    t.endRun(child, RunStatus.FAILED);
    t.endRun(parent, RunStatus.FAILED);
    t.flush();
  }

  private void runEverything(boolean token) throws IOException {
    Path artifact = Files.writeString(tmp.resolve("structure.json"), "{\"kept\": [\"layer0.ffn\"]}");
    Map<String, String> failures = failures(token);
    for (Map.Entry<String, String> f : failures.entrySet()) {
      assertNoSecret(f.getKey() + " (the exception itself)", f.getValue());
    }
    // An application's own error quoting a URL with credentials, logged as a tag.
    failures.put("error.app", "cannot fetch https://" + USER + ":" + URL_SECRET + "@data.example/sst2.tsv: 403");
    // To a server that is down: everything is spooled.
    TrackingConfig down = config(env(closedPort(), token), "spool");
    try (Tracker t = Trackers.create(down)) {
      trackedRun(t, failures, artifact);
      TrackingStatus s = t.status();
      assertEquals(TrackingStatus.Mode.SPOOLING, s.mode(), String.valueOf(s));
      assertTrue(s.spooled() >= 9, String.valueOf(s));
      assertNoSecret("tracking status", String.valueOf(s));
      assertNoSecret("tracking config", String.valueOf(down));
    }
    // Replaying it to a server that is still down fails and says why.
    ReplayReport replay;
    try {
      replay = Trackers.sync(down);
      assertNoSecret("replay report", String.valueOf(replay));
      assertFalse(replay.complete(), String.valueOf(replay));
    } catch (RuntimeException e) {
      assertNoSecret("replay failure", withTrace(e));
    }
    // No server configured at all: the spool-only tracker.
    try (Tracker t = Trackers.create(config(env(null, token), "spool-only"))) {
      trackedRun(t, failures, artifact);
    }
  }

  // ---- the search ----

  private void assertNoSecret(String where, String text) {
    for (String secret : SECRETS) {
      int at = text.indexOf(secret);
      assertTrue(at < 0, where + " holds the secret " + secret + ": ..."
          + text.substring(Math.max(0, at - 120), Math.min(text.length(), at + secret.length() + 40)) + "...");
    }
  }

  private List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  private void assertNothingLeaked() throws IOException {
    List<Path> written = new ArrayList<>();
    for (String spool : List.of("spool", "spool-only", "auth-spool", "echo-spool", "closed-spool", "uri-spool")) {
      Path dir = tmp.resolve(spool);
      if (Files.isDirectory(dir)) {
        written.addAll(filesUnder(dir));
      }
    }
    StringBuilder segments = new StringBuilder();
    for (Path f : written) {
      String text = new String(Files.readAllBytes(f), UTF_8);
      assertNoSecret(f.toString(), text);
      if (f.getFileName().toString().endsWith(".jsonl")) {
        segments.append(text);
      }
    }
    // The search looked at the real records: params, tags, metrics, input and artifact are there.
    for (String expected : List.of("db.password", "launcher.args", "error.server", "dev_accuracy", "glue/sst2", "structure.json", Redactor.REDACTED)) {
      assertTrue(segments.indexOf(expected) >= 0, "the spool does not hold " + expected + ": " + segments);
    }
    assertTrue(written.stream().anyMatch(p -> p.toString().contains("blobs")), "no artifact blob was written: " + written);
    StringBuilder log = new StringBuilder();
    for (ILoggingEvent e : events.list) {
      log.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ").append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        log.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
    }
    assertTrue(log.indexOf("spool") >= 0, "the log events were not captured: " + log);
    assertTrue(log.indexOf("502") >= 0, "the unusable server's answer was not logged: " + log);
    assertNoSecret("the log", log.toString());
    assertNoSecret("stdout and stderr", printed.toString(UTF_8));
  }

  @Test
  void redactionKeepsOrdinaryValuesAsTheyAre() {
    Redactor r = Redactor.of(TrackingCredentials.basic(USER, PASSWORD));
    for (String plain : List.of("tokens_per_s=5321.5", "max_tokens=512", "tokenizer=/models/bert/tokenizer.json",
        "http://127.0.0.1:5000/api/2.0/mlflow/runs/search?x=1", "mlflow-artifacts:/1/abc/artifacts", "ssh://git@github.com/org/repo",
        "git@github.com:org/repo.git", "alice@example.com", "a Basic idea", "the secret sauce", "sparsity.lambda=0.5", USER)) {
      assertEquals(plain, r.text(plain));
    }
    assertEquals("http://" + USER + ":" + Redactor.REDACTED + "@h:1/x", r.text("http://" + USER + ":" + URL_SECRET + "@h:1/x"));
    assertEquals("--password " + Redactor.REDACTED + " -v", r.text("--password hunter22 -v"));
    assertEquals("{\"api_key\": \"" + Redactor.REDACTED + "\"}", r.text("{\"api_key\": \"k-123456\"}"));
    assertEquals("Authorization: Bearer " + Redactor.REDACTED, r.text("Authorization: Bearer abcdefgh12345"));
    // A known secret is found in its URL-encoded form too.
    Redactor special = new Redactor(List.of("p@ss w0rd!"));
    assertEquals("q=" + Redactor.REDACTED + "&page=2", special.text("q=" + java.net.URLEncoder.encode("p@ss w0rd!", UTF_8) + "&page=2"));
  }

  @Test
  void basicCredentialsNeverLeak() throws Exception {
    assertTimeoutPreemptively(BOUND, () -> runEverything(false));
    assertNothingLeaked();
  }

  @Test
  void aBearerTokenNeverLeaks() throws Exception {
    assertTimeoutPreemptively(BOUND, () -> runEverything(true));
    assertNothingLeaked();
  }
}
