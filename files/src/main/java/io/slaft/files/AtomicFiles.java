package io.slaft.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.util.Objects;
import java.util.UUID;

/**
 * Write-then-rename, the one way slaft writes a file a user or a resumed run depends on.
 *
 * <p>Contract of every write: the bytes go to a temporary sibling ({@code .<name>.<random>.tmp} in
 * the target's directory), which is forced to disk, then renamed over the target atomically, and the
 * directory is forced so the rename survives a power loss. A reader sees the previous complete file
 * or the new complete file, never a mixture. When anything fails (the body throws, the disk is full,
 * the file system is read-only) the temporary file is removed, the target is untouched and a {@link
 * FileWriteException} names the target and the errno.
 *
 * <p>Options: {@link Writer#sealed()} appends a content checksum (see {@link Sealed}) and {@link
 * Writer#keepingPrevious(Path)} keeps the replaced file under another name (checkpoints keep the
 * last two).
 */
public final class AtomicFiles {

  /** Writes a file's content. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /** A writer of {@code target} with the default options (not sealed, previous file replaced). */
  public static Writer to(Path target) {
    return new Writer(target, false, null);
  }

  /** Writes {@code text} as UTF-8. */
  public static void writeString(Path target, String text) throws FileWriteException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    to(target).write(out -> out.write(bytes));
  }

  /** Writes {@code bytes}. */
  public static void writeBytes(Path target, byte[] bytes) throws FileWriteException {
    to(target).write(out -> out.write(bytes));
  }

  /** Copies {@code source} to {@code target} (replacing it) with the same guarantees as a write. */
  public static void copy(Path source, Path target) throws FileWriteException {
    to(target).write(out -> {
      try (InputStream in = Files.newInputStream(source)) {
        in.transferTo(out);
      }
    });
  }

  /** Fills a directory's content. */
  @FunctionalInterface
  public interface DirectoryBody {
    void writeInto(Path emptyDirectory) throws IOException;
  }

  /**
   * Publishes a whole directory at once: {@code body} fills an empty temporary sibling, which then
   * replaces {@code dir} (the old directory, if any, is moved aside and deleted after the swap). A
   * reader sees the old complete directory or the new one; a failing body leaves {@code dir}
   * untouched and removes the temporary one.
   */
  public static void replaceDirectory(Path dir, DirectoryBody body) throws FileWriteException {
    Path target = dir.toAbsolutePath().normalize();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + tag + ".tmp");
    Path old = target.resolveSibling("." + target.getFileName() + "." + tag + ".old");
    try {
      Files.createDirectories(tmp);
      body.writeInto(tmp);
      boolean existed = Files.exists(target);
      if (existed) {
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory(target.getParent());
      if (existed) {
        deleteTree(old);
      }
    } catch (IOException e) {
      try {
        deleteTree(tmp);
        if (Files.exists(old) && !Files.exists(target)) {
          Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException ignored) {
        // The publish already failed; what is left is named .*.tmp / .*.old beside the target.
      }
      throw e instanceof FileWriteException f ? f : new FileWriteException(target, e);
    }
  }

  /** Deletes {@code p} and everything under it, if it exists. */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(p)) {
      for (Path q : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(q);
      }
    }
  }

  /** Forces a directory's entries (creations, renames) to disk; best effort where unsupported. */
  static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some file systems cannot open a directory for reading; the rename itself is still atomic.
    }
  }

  /** An immutable description of one write. */
  public static final class Writer {
    private final Path target;
    private final boolean sealed;
    private final Path previous;

    private Writer(Path target, boolean sealed, Path previous) {
      this.target = Objects.requireNonNull(target, "target").toAbsolutePath().normalize();
      this.sealed = sealed;
      this.previous = previous == null ? null : previous.toAbsolutePath().normalize();
    }

    /** Appends a content checksum that {@link Sealed#open} verifies. */
    public Writer sealed() {
      return new Writer(target, true, previous);
    }

    /**
     * Before the new file replaces the target, the current target (if any) is renamed to {@code
     * previousName} in the same directory (replacing an older one), so the last two versions exist.
     */
    public Writer keepingPrevious(Path previousName) {
      return new Writer(target, sealed, target.resolveSibling(previousName.getFileName()));
    }

    /** Runs {@code body} into a temporary sibling and publishes it as the target. */
    public void write(Body body) throws FileWriteException {
      Path dir = target.getParent();
      Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
      try {
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          OutputStream raw = Channels.newOutputStream(ch);
          if (sealed) {
            DigestOutputStream digesting = new DigestOutputStream(new BufferedOutputStream(raw, 1 << 16), Sealed.newDigest());
            body.writeTo(new NonClosing(digesting));
            digesting.flush();
            byte[] digest = digesting.getMessageDigest().digest();
            raw.write(Sealed.trailer(digest));
          } else {
            BufferedOutputStream buffered = new BufferedOutputStream(raw, 1 << 16);
            body.writeTo(new NonClosing(buffered));
            buffered.flush();
          }
          ch.force(true);
        }
        if (previous != null && Files.exists(target)) {
          Files.move(target, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
      } catch (IOException e) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The write already failed; a leftover temporary file is named .*.tmp and harmless.
        }
        throw e instanceof FileWriteException f ? f : new FileWriteException(target, e);
      }
    }
  }

  /** Keeps a body from closing the stream under the checksum trailer. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
