package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The folder that relative {@link DataFile} paths are resolved against, and how it was chosen.
 *
 * <p>Resolution order: an explicit {@code --data-dir}; else the environment variable {@value
 * #ENV}; else the first {@code shared/datasets} folder found in the working directory or one of its
 * ancestors (so {@code ../shared/datasets} beside the repository is found from any module). An
 * explicit or environment path that does not exist is an error, never silently replaced. Immutable.
 */
public final class DataRoot implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Environment variable naming the data root. */
  public static final String ENV = "SLAFT_DATA";

  private final String path;
  private final String origin;

  private DataRoot(Path path, String origin) {
    this.path = path.toAbsolutePath().normalize().toString();
    this.origin = origin;
  }

  /** A data root given explicitly; it is not checked for existence. */
  public static DataRoot of(Path path) {
    return new DataRoot(checkNotNull(path, "path"), "given explicitly");
  }

  /**
   * Resolves the data root from {@code dataDir} (may be null or blank), {@value #ENV} and the
   * process working directory.
   *
   * @throws TaskDataException naming every path tried and the fix when nothing is found
   */
  public static DataRoot resolve(@Nullable String dataDir) {
    return resolve(dataDir, System.getenv(), Path.of("").toAbsolutePath());
  }

  /** As {@link #resolve(String)} with an explicit environment and working directory. */
  public static DataRoot resolve(
      @Nullable String dataDir, Map<String, String> env, Path workingDir) {
    if (dataDir != null && !dataDir.isBlank()) {
      return existing(Path.of(dataDir), "--data-dir " + dataDir, workingDir);
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return existing(Path.of(fromEnv), ENV + "=" + fromEnv, workingDir);
    }
    List<Path> tried = new ArrayList<>();
    for (Path dir = workingDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("datasets");
      tried.add(candidate);
      if (Files.isDirectory(candidate)) {
        return new DataRoot(candidate, "found as " + candidate + " above the working directory");
      }
    }
    throw new TaskDataException(
        "no data root found: --data-dir and "
            + ENV
            + " are not set, and no shared/datasets folder exists in "
            + workingDir
            + " or its parents (tried "
            + tried
            + "). Fix: pass --data-dir DIR or set "
            + ENV
            + "=DIR, where DIR holds glue/<TASK>/... or your own files.");
  }

  private static DataRoot existing(Path p, String origin, Path workingDir) {
    Path abs = p.isAbsolute() ? p : workingDir.resolve(p);
    if (!Files.isDirectory(abs)) {
      throw new TaskDataException(
          "data root " + abs.normalize() + " (from " + origin + ") is not a directory. Fix: point "
              + "--data-dir or " + ENV + " at the folder that holds glue/<TASK>/... or your own files.");
    }
    return new DataRoot(abs, "from " + origin);
  }

  public Path path() {
    return Path.of(path);
  }

  /** How this root was chosen, e.g. {@code from SLAFT_DATA=/data}. */
  public String origin() {
    return origin;
  }

  /** Resolves a data file path: absolute paths are returned as is, relative ones against the root. */
  public Path resolveFile(String file) {
    Path p = Path.of(file);
    return p.isAbsolute() ? p.normalize() : path().resolve(p).normalize();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DataRoot && path.equals(((DataRoot) o).path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return path + " (" + origin + ")";
  }
}
