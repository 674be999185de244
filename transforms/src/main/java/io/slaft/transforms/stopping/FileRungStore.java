package io.slaft.transforms.stopping;

import io.slaft.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A {@link RungStore} in a directory: {@code <dir>/rung-<step>/<point id>.score}, each file written whole
 * (write, fsync, rename), so a reader sees a point's score entirely or not at all. Workers on several
 * machines share it through a shared filesystem, as they share the run directory. Thread-safe.
 */
public final class FileRungStore implements RungStore {
  private static final String SUFFIX = ".score";
  private final String dir;

  private FileRungStore(Path dir) {
    this.dir = dir.toAbsolutePath().toString();
  }

  /** The store in {@code dir} (created on the first report). */
  public static FileRungStore at(Path dir) {
    return new FileRungStore(dir);
  }

  public Path dir() {
    return Path.of(dir);
  }

  private Path rungDir(int rung) {
    return Path.of(dir, "rung-" + rung);
  }

  @Override
  public void report(int rung, String pointId, double score) {
    try {
      Files.createDirectories(rungDir(rung));
      AtomicFiles.writeString(rungDir(rung).resolve(pointId + SUFFIX), Double.toString(score) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record point " + pointId + " at rung " + rung + " in " + dir, e);
    }
  }

  @Override
  public List<Report> others(int rung, String pointId) {
    Path d = rungDir(rung);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    List<Report> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(d)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
          continue; // a write in progress (AtomicFiles' temporary name)
        }
        String id = name.substring(0, name.length() - SUFFIX.length());
        if (id.equals(pointId)) {
          continue;
        }
        try {
          out.add(new Report(id, Double.parseDouble(Files.readString(f, StandardCharsets.UTF_8).trim())));
        } catch (NoSuchFileException gone) {
          // replaced between list and read: the point reported again; its new file is read next time
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read rung " + rung + " in " + dir, e);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("a score file in " + d + " is not a number: " + e.getMessage()
          + String.format(Locale.ROOT, " (delete %s to start the sweep's early stopping afresh)", dir), e);
    }
    return out;
  }
}
