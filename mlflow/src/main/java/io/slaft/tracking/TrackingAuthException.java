package io.slaft.tracking;

/**
 * The tracking server answered 401 or 403. The message names the environment variables that
 * carry credentials; it never contains the credentials themselves. Not retryable: records that
 * fail this way are kept in the spool until they are synced with valid credentials.
 */
public final class TrackingAuthException extends TrackingException {

  private final int statusCode;

  public TrackingAuthException(String server, int statusCode, String operation) {
    super(message(server, statusCode, operation), false);
    this.statusCode = statusCode;
  }

  public int statusCode() {
    return statusCode;
  }

  private static String message(String server, int statusCode, String operation) {
    String what = statusCode == 401
        ? "401 Unauthorized: the server requires credentials and none (or wrong ones) were sent"
        : "403 Forbidden: the user has no permission for this operation";
    return "MLflow server " + server + " rejected " + operation + " with " + what + ". Set "
        + TrackingCredentials.USERNAME_ENV + " and " + TrackingCredentials.PASSWORD_ENV
        + " (basic auth) or " + TrackingCredentials.TOKEN_ENV
        + " (bearer token) in the environment of the process that logs.";
  }
}
