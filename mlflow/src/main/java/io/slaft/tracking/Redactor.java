package io.slaft.tracking;

import com.google.common.collect.ImmutableList;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what tracking stores and prints. A value is replaced by {@value #REDACTED}
 * when its key looks like a secret ({@code token}, {@code password}, {@code secret}, {@code
 * api_key}, {@code credential}, {@code authorization}, …). In any other text ({@link #text}):
 * every occurrence of a known secret value (the configured token or password, the Basic {@code
 * Authorization} value, and their URL-encoded forms) is masked; so is the password of a URL's user
 * info ({@code https://user:secret@host} becomes {@code https://user:<redacted>@host}), the
 * credential of an {@code Authorization: Basic|Bearer …} header, and the value of a secret-named
 * assignment or option ({@code password=…}, {@code api_key: …}, {@code --token …}). Known secret
 * values shorter than 4 characters are not searched for (they would mask ordinary text). Thread-safe
 * and immutable.
 */
public final class Redactor {

  public static final String REDACTED = "<redacted>";

  private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9]+");
  private static final Pattern SECRET_SEGMENT = Pattern.compile(
      "[a-z0-9]*(token|password|passwd|pwd|secret|credentials?|authorization|apikey)");
  private static final Pattern SECRET_PAIR = Pattern.compile(
      "(^|_)(api|access|secret|private|auth|session)_(key|token|header)(_|$)");

  // Repetitions are bounded so that no pattern backtracks quadratically over a long value.
  /** {@code scheme://user:password@}: group 1 is everything up to the password. */
  private static final Pattern URL_USER_INFO =
      Pattern.compile("(\\b[A-Za-z][A-Za-z0-9+.-]{0,30}://[^/?#@\\s:]{0,256}:)[^/?#@\\s]{0,256}@");
  /** {@code Basic xxx} or {@code Bearer xxx} (an authorization header's value): group 1 up to the credential. */
  private static final Pattern AUTH_HEADER =
      Pattern.compile("(?i)(\\b(?:basic|bearer)\\s+)[A-Za-z0-9._~+/=-]{8,}");
  /**
   * {@code password=x}, {@code "api_key": "x"}, or the option {@code --token x}: group 1 is
   * everything up to the value, group 2 the value.
   */
  private static final Pattern SECRET_ASSIGNMENT =
      Pattern.compile(
          "(?i)((?:--?[a-z0-9_.-]{0,64}(?:password|passwd|pwd|secret|token|api[_-]?key|credentials?)[\"']?(?:\\s*=\\s*|\\s+)"
              + "|[a-z0-9_.-]{0,64}(?:password|passwd|pwd|secret|token|api[_-]?key|credentials?)[\"']?\\s*[=:]\\s*)[\"']?)"
              + "([^\\s\"'&,;]+)");

  private final List<String> secretValues;

  public Redactor(List<String> secretValues) {
    Set<String> all = new LinkedHashSet<>();
    for (String s : secretValues) {
      if (s != null && s.length() >= 4) {
        all.add(s);
        all.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
      }
    }
    // Longest first, so that a secret containing another is masked whole.
    this.secretValues = all.stream().sorted((a, b) -> b.length() - a.length()).collect(ImmutableList.toImmutableList());
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

  /** {@code value} as stored under {@code key}: {@value #REDACTED} for a secret key, else {@link #text}. */
  public String value(String key, String value) {
    if (value == null) {
      return null;
    }
    if (isSecretKey(key)) {
      return REDACTED;
    }
    return text(value);
  }

  /** {@code text} with every secret this redactor knows or recognizes masked (see the class comment). */
  public String text(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secretValues) {
      if (out.contains(secret)) {
        out = out.replace(secret, REDACTED);
      }
    }
    return patterns(out);
  }

  /** {@code text} with URL passwords, authorization credentials and secret assignments masked. */
  public static String patterns(String text) {
    if (text == null) {
      return null;
    }
    String out = URL_USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED + "@"));
    out = AUTH_HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED));
    Matcher a = SECRET_ASSIGNMENT.matcher(out);
    StringBuilder b = new StringBuilder();
    while (a.find()) {
      a.appendReplacement(b, Matcher.quoteReplacement(a.group(2).equals(REDACTED) ? a.group() : a.group(1) + REDACTED));
    }
    a.appendTail(b);
    return b.toString();
  }

  public Map<String, String> map(Map<String, String> values) {
    Map<String, String> out = new LinkedHashMap<>(values.size() * 2);
    values.forEach((k, v) -> out.put(k, value(k, v)));
    return out;
  }
}
