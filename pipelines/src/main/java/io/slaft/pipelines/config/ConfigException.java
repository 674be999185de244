package io.slaft.pipelines.config;

/** A config file or key is wrong. The message names the file or key, the rule and the fix. */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
