package io.slaft.tracking;

import com.google.common.collect.ImmutableList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of params and tags. A value is replaced by {@value #REDACTED} when its key
 * looks like a secret ({@code token}, {@code password}, {@code secret}, {@code api_key},
 * {@code credential}, {@code authorization}, …) and every occurrence of a known secret value
 * (the configured token or password) is masked wherever it appears. Thread-safe and immutable.
 */
public final class Redactor {

  public static final String REDACTED = "<redacted>";

  private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9]+");
  private static final Pattern SECRET_SEGMENT = Pattern.compile(
      "[a-z0-9]*(token|password|passwd|pwd|secret|credentials?|authorization|apikey)");
  private static final Pattern SECRET_PAIR = Pattern.compile(
      "(^|_)(api|access|secret|private|auth|session)_(key|token|header)(_|$)");

  private final List<String> secretValues;

  public Redactor(List<String> secretValues) {
    this.secretValues = secretValues.stream().filter(s -> s != null && s.length() >= 4).collect(ImmutableList.toImmutableList());
  }

  public static Redactor of(TrackingCredentials credentials) {
    return new Redactor(credentials.secrets());
  }

  /**
   * Whether {@code key} names a secret: one of its segments (split at anything but letters and
   * digits, camel case lowered) ends in {@code token}, {@code password}, {@code secret},
   * {@code credential(s)}, {@code authorization} or {@code apikey}, or two segments form
   * {@code api_key}, {@code access_key}, {@code private_key}, … Plurals such as
   * {@code tokens_per_batch} and words such as {@code tokenizer} are not secrets.
   */
  public static boolean isSecretKey(String key) {
    String lowered = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    String[] segments = SEPARATORS.split(lowered);
    for (String segment : segments) {
      if (SECRET_SEGMENT.matcher(segment).matches()) {
        return true;
      }
    }
    return SECRET_PAIR.matcher(String.join("_", segments)).find();
  }

  public String value(String key, String value) {
    if (value == null) {
      return null;
    }
    if (isSecretKey(key)) {
      return REDACTED;
    }
    String out = value;
    for (String secret : secretValues) {
      if (out.contains(secret)) {
        out = out.replace(secret, REDACTED);
      }
    }
    return out;
  }

  public Map<String, String> map(Map<String, String> values) {
    Map<String, String> out = new LinkedHashMap<>(values.size() * 2);
    values.forEach((k, v) -> out.put(k, value(k, v)));
    return out;
  }
}
