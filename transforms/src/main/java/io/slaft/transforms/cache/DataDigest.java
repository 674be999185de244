package io.slaft.transforms.cache;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SHA-256 content digest of data files, streamed (constant memory).
 *
 * <p>For one regular file the digest is the plain SHA-256 of its bytes (what {@code sha256sum}
 * prints). For several paths, or a directory, it is the SHA-256 of the lines {@code <sha256>
 * <name>\n}: for top-level arguments the name is their position, for files inside a directory their
 * relative path (sorted), so renaming a top-level file keeps the digest but reordering arguments or
 * changing a directory's layout changes it. Immutable.
 */
public final class DataDigest implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String hex;

  private DataDigest(String hex) {
    this.hex = hex;
  }

  /**
   * Digests {@code paths}.
   *
   * @throws UncheckedIOException when a path is missing or unreadable, naming it
   */
  public static DataDigest of(Path... paths) {
    checkArgument(paths.length > 0, "DataDigest.of needs at least one path");
    if (paths.length == 1 && Files.isRegularFile(paths[0])) {
      return new DataDigest(file(paths[0]));
    }
    StringBuilder listing = new StringBuilder();
    for (int i = 0; i < paths.length; i++) {
      listing.append(entry(paths[i])).append("  #").append(i).append('\n');
    }
    return new DataDigest(sha256(listing.toString()));
  }

  private static String entry(Path p) {
    if (Files.isRegularFile(p)) {
      return file(p);
    }
    if (Files.isDirectory(p)) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(p)) {
        files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + p, e);
      }
      StringBuilder listing = new StringBuilder();
      for (Path f : files) {
        listing.append(file(f)).append("  ").append(p.relativize(f).toString().replace('\\', '/')).append('\n');
      }
      return sha256(listing.toString());
    }
    throw new UncheckedIOException(new java.io.FileNotFoundException("cannot digest " + p + ": no such file or directory"));
  }

  private static String file(Path p) {
    MessageDigest md = newDigest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(p)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot digest " + p, e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String sha256(String s) {
    return HexFormat.of().formatHex(newDigest().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The 64-hex-digit SHA-256. */
  public String hex() {
    return hex;
  }

  /** The first 12 hex digits, for display. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DataDigest && hex.equals(((DataDigest) o).hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  @Override
  public String toString() {
    return "sha256:" + hex;
  }
}
