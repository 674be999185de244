package io.slaft.tracking;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Map;
import java.util.Optional;

/**
 * Credentials for the tracking server: a bearer token, HTTP basic user/password, or none. They
 * are read only from the environment ({@value #TOKEN_ENV}, or {@value #USERNAME_ENV} and
 * {@value #PASSWORD_ENV}) and are never written to params, tags, artifacts, the spool or logs;
 * {@link #toString()} shows only which kind is present.
 */
public final class TrackingCredentials {

  public static final String TOKEN_ENV = "MLFLOW_TRACKING_TOKEN";
  public static final String USERNAME_ENV = "MLFLOW_TRACKING_USERNAME";
  public static final String PASSWORD_ENV = "MLFLOW_TRACKING_PASSWORD";

  private static final TrackingCredentials NONE = new TrackingCredentials(null, null, null);

  private final String token;
  private final String username;
  private final String password;

  private TrackingCredentials(String token, String username, String password) {
    this.token = token;
    this.username = username;
    this.password = password;
  }

  public static TrackingCredentials none() {
    return NONE;
  }

  public static TrackingCredentials bearer(String token) {
    checkArgument(token != null && !token.isBlank(), "%s must not be blank", TOKEN_ENV);
    return new TrackingCredentials(token, null, null);
  }

  public static TrackingCredentials basic(String username, String password) {
    checkArgument(username != null && !username.isBlank(), "%s must not be blank", USERNAME_ENV);
    checkArgument(password != null && !password.isEmpty(), "%s must be set when %s is set", PASSWORD_ENV, USERNAME_ENV);
    return new TrackingCredentials(null, username, password);
  }

  /**
   * Reads credentials from {@code env}. Fails when both a token and a user are given, or when
   * only one of user and password is given.
   */
  public static TrackingCredentials fromEnv(Map<String, String> env) {
    String token = blankToNull(env.get(TOKEN_ENV));
    String user = blankToNull(env.get(USERNAME_ENV));
    String pass = env.get(PASSWORD_ENV);
    checkArgument(
        token == null || (user == null && pass == null),
        "set either %s or %s/%s, not both",
        TOKEN_ENV,
        USERNAME_ENV,
        PASSWORD_ENV);
    if (token != null) {
      return bearer(token);
    }
    if (user == null && (pass == null || pass.isEmpty())) {
      return none();
    }
    checkArgument(user != null, "%s is set but %s is not", PASSWORD_ENV, USERNAME_ENV);
    return basic(user, pass);
  }

  public Optional<String> token() {
    return Optional.ofNullable(token);
  }

  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  public boolean isPresent() {
    return token != null || username != null;
  }

  /**
   * Secret values that must never be stored or printed: the token, the password, and the Base64
   * credential of the Basic {@code Authorization} header (which holds the password).
   */
  public java.util.List<String> secrets() {
    java.util.List<String> secrets = new java.util.ArrayList<>(3);
    if (token != null) {
      secrets.add(token);
    }
    if (password != null) {
      secrets.add(password);
    }
    authorizationHeader().filter(h -> h.startsWith("Basic ")).ifPresent(h -> secrets.add(h.substring("Basic ".length())));
    return secrets;
  }

  /** The value of an {@code Authorization} header, if any. */
  public Optional<String> authorizationHeader() {
    if (token != null) {
      return Optional.of("Bearer " + token);
    }
    if (username != null) {
      String raw = username + ":" + password;
      return Optional.of(
          "Basic " + java.util.Base64.getEncoder().encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    if (token != null) {
      return "bearer(****)";
    }
    if (username != null) {
      return "basic(" + username + ":****)";
    }
    return "none";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrackingCredentials other
        && java.util.Objects.equals(token, other.token)
        && java.util.Objects.equals(username, other.username)
        && java.util.Objects.equals(password, other.password);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(token, username, password);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
