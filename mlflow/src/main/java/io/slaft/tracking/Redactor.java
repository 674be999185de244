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

  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(token|passw(or)?d|passwd|secret|credential|api[_.-]?key|access[_.-]?key|private[_.-]?key|authorization|auth[_.-]?header).*");

  private final List<String> secretValues;

  public Redactor(List<String> secretValues) {
    this.secretValues = secretValues.stream().filter(s -> s != null && s.length() >= 4).collect(ImmutableList.toImmutableList());
  }

  public static Redactor of(TrackingCredentials credentials) {
    return new Redactor(credentials.secrets());
  }

  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
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
