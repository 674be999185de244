package io.slaft.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Exclusive ownership of an output directory for one run.
 *
 * <p>The owner holds an OS file lock ({@code fcntl}) on {@value #FILE} in the directory and has
 * written its pid, command and start time into it. The OS drops the lock when the owner dies, so
 * a lock whose holder is gone (kill -9, power loss) is free; the next owner finds the old holder's
 * record, says it takes over a stale lock, and replaces it. A second owner while the first lives — a
 * second process, or a second run in the same JVM — fails at once with {@link
 * DirectoryLockedException} naming the holder. {@link #close} releases the lock and empties the
 * record; the file stays (deleting a lock file races with the next owner opening it).
 */
public final class DirectoryLock implements AutoCloseable {
  /** The lock file's name inside the locked directory. */
  public static final String FILE = ".slaft.lock";
  private static final Map<Path, Holder> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

  /** Who holds (or held) a lock. */
  public record Holder(long pid, String command, String started) {
    String render() {
      return "pid=" + pid + "\ncommand=" + command.replace('\n', ' ') + "\nstarted=" + started + "\n";
    }

    static Optional<Holder> parse(String text) {
      long pid = -1;
      String command = "?";
      String started = "?";
      for (String line : text.split("\n")) {
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String k = line.substring(0, eq);
        String v = line.substring(eq + 1);
        switch (k) {
          case "pid" -> {
            try {
              pid = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
              pid = -1;
            }
          }
          case "command" -> command = v;
          case "started" -> started = v;
          default -> { }
        }
      }
      return pid > 0 ? Optional.of(new Holder(pid, command, started)) : Optional.empty();
    }
  }

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes {@code dir} (created if missing) for this process, recording {@code command}.
   *
   * @param notice receives one line when a stale lock of a dead process is taken over
   * @throws DirectoryLockedException when a live owner holds it
   */
  public static DirectoryLock acquire(Path dir, String command, Consumer<String> notice) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    Files.createDirectories(abs);
    Holder me = new Holder(ProcessHandle.current().pid(), command, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    Holder inJvm = HELD_IN_THIS_JVM.putIfAbsent(abs, me);
    if (inJvm != null) {
      throw new DirectoryLockedException(abs, inJvm);
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(abs.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        Holder other = Holder.parse(read(ch)).orElse(new Holder(-1, "unknown command", "unknown time"));
        throw new DirectoryLockedException(abs, other);
      }
      Optional<Holder> previous = Holder.parse(read(ch));
      if (previous.isPresent()) {
        Holder p = previous.get();
        boolean alive = ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false);
        notice.accept("taking over the stale lock of " + abs + ": pid " + p.pid() + " (" + p.command() + ", since " + p.started()
            + ") " + (alive ? "no longer holds it" : "is no longer running"));
      }
      try {
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(me.render().getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
      } catch (IOException e) {
        l.release();
        throw new FileWriteException(abs.resolve(FILE), e);
      }
      return new DirectoryLock(abs, ch, l);
    } catch (IOException | RuntimeException e) {
      HELD_IN_THIS_JVM.remove(abs, me);
      if (ch != null) {
        ch.close();
      }
      throw e;
    }
  }

  private static String read(FileChannel ch) throws IOException {
    long size = Math.min(ch.size(), 1 << 16);
    ByteBuffer b = ByteBuffer.allocate((int) size);
    ch.read(b, 0);
    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
  }

  /** The locked directory. */
  public Path directory() {
    return dir;
  }

  /** Empties the record and releases the lock (best effort: the OS releases it at exit anyway). */
  @Override
  public void close() {
    try {
      if (channel.isOpen()) {
        channel.truncate(0);
        lock.release();
        channel.close();
      }
    } catch (IOException e) {
      // Releasing failed (e.g. the file system went away); the lock dies with the process.
    } finally {
      HELD_IN_THIS_JVM.remove(dir);
    }
  }
}
