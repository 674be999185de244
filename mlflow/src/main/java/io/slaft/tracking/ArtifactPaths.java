package io.slaft.tracking;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.regex.Pattern;

/** Validation of artifact paths, which name files inside a run's artifact root. */
public final class ArtifactPaths {

  private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:.*");

  private ArtifactPaths() {}

  /**
   * Returns {@code path} if it is a safe relative path: not blank, not absolute, no backslash,
   * no {@code ..} or {@code .} segment, no empty segment, no control character, no drive letter.
   *
   * @throws IllegalArgumentException naming the violated rule
   */
  public static String validate(String path) {
    checkNotNull(path, "artifact path must not be null");
    checkArgument(!path.isBlank(), "artifact path must not be blank");
    checkArgument(!path.startsWith("/"), "artifact path must be relative, got absolute '%s'", path);
    checkArgument(path.indexOf('\\') < 0, "artifact path must use '/', not backslashes: '%s'", path);
    checkArgument(!WINDOWS_DRIVE.matcher(path).matches(), "artifact path must not start with a drive letter: '%s'", path);
    checkArgument(path.chars().noneMatch(Character::isISOControl), "artifact path must not contain control characters");
    checkArgument(!path.endsWith("/"), "artifact path must name a file, not a directory: '%s'", path);
    for (String segment : path.split("/", -1)) {
      checkArgument(!segment.isEmpty(), "artifact path must not contain empty segments ('//'): '%s'", path);
      checkArgument(!segment.equals(".."), "artifact path must not contain '..': '%s'", path);
      checkArgument(!segment.equals("."), "artifact path must not contain '.' segments: '%s'", path);
    }
    return path;
  }
}
