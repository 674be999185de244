package io.slaft.tracking.spool;

import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.record.RecordSink;
import io.slaft.tracking.record.TrackingRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a spool directory into a {@link RecordSink}, exactly once per record.
 *
 * <p>Records are delivered in the order they were spooled, segment by segment, in chunks. After a
 * chunk is delivered, the ids of its records are appended to the segment's {@code .replayed} file
 * and forced to disk; records already listed there are skipped, so replaying twice adds nothing.
 * If the process dies between delivery and marking, the chunk is delivered again, which the
 * sink's per-record idempotency makes harmless. Records the sink rejects as invalid are marked
 * and counted as rejected; a retryable failure or an authentication failure stops the replay and
 * leaves the remaining records pending.
 *
 * <p>Thread-safe; concurrent replays of one directory, in this or another process, are
 * serialized by a lock file.
 */
public final class SpoolReplayer {

  private static final Logger LOG = LoggerFactory.getLogger(SpoolReplayer.class);
  private static final int CHUNK = 500;
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private SpoolReplayer() {}

  /** Replays every pending record of {@code spoolDir} into {@code sink}. */
  public static ReplayReport replay(Path spoolDir, RecordSink sink) {
    return replay(spoolDir, sink, segment -> true);
  }

  /** Replays the pending records of one segment file (e.g. {@link Spool#segment()}). */
  public static ReplayReport replaySegment(Path segment, RecordSink sink) {
    Path abs = segment.toAbsolutePath().normalize();
    return replay(abs.getParent(), sink, abs::equals);
  }

  private static ReplayReport replay(Path spoolDir, RecordSink sink, java.util.function.Predicate<Path> segments) {
    Path dir = spoolDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      return new ReplayReport(0, 0, 0, 0, null);
    }
    ReentrantLock local = LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    local.lock();
    try (FileChannel lockFile = FileChannel.open(dir.resolve(".replay.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lockFile.lock()) {
      return replayLocked(dir, sink, segments);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replay spool " + dir, e);
    } finally {
      local.unlock();
    }
  }

  /** Number of records in {@code spoolDir} not yet replayed. */
  public static long pending(Path spoolDir) {
    long pending = 0;
    for (Path segment : segments(spoolDir.toAbsolutePath().normalize())) {
      Set<String> done = readIds(replayedFile(segment));
      try (SegmentReader records = new SegmentReader(segment)) {
        for (TrackingRecord r = records.next(); r != null; r = records.next()) {
          if (done.add(r.id())) {
            pending++;
          }
        }
      }
    }
    return pending;
  }

  private static ReplayReport replayLocked(Path dir, RecordSink sink, java.util.function.Predicate<Path> filter)
      throws IOException {
    long replayed = 0;
    long already = 0;
    long rejected = 0;
    long remaining = 0;
    String error = null;
    for (Path segment : segments(dir)) {
      if (!filter.test(segment)) {
        continue;
      }
      Path marks = replayedFile(segment);
      Set<String> done = readIds(marks);
      try (SegmentReader records = new SegmentReader(segment)) {
        List<TrackingRecord> chunk = new ArrayList<>(CHUNK);
        for (TrackingRecord r = records.next(); ; r = records.next()) {
          if (r != null) {
            if (!done.add(r.id())) {
              already++;
              continue;
            }
            chunk.add(r);
            if (chunk.size() < CHUNK) {
              continue;
            }
          }
          if (!chunk.isEmpty()) {
            if (error != null) {
              remaining += chunk.size();
            } else {
              Delivery d = deliver(sink, marks, List.copyOf(chunk));
              replayed += d.replayed;
              rejected += d.rejected;
              remaining += d.remaining;
              error = d.error;
            }
            chunk.clear();
          }
          if (r == null) {
            break;
          }
        }
      }
    }
    return new ReplayReport(replayed, already, rejected, remaining, error);
  }

  private record Delivery(long replayed, long rejected, long remaining, String error) {}

  /**
   * Delivers one chunk; on a non-retryable rejection, record by record, so one bad record does not
   * hold back the others. A retryable or authentication failure stops and counts the rest as
   * remaining.
   */
  private static Delivery deliver(RecordSink sink, Path marks, List<TrackingRecord> chunk) throws IOException {
    try {
      sink.deliver(chunk);
      mark(marks, chunk);
      return new Delivery(chunk.size(), 0, 0, null);
    } catch (TrackingException e) {
      if (e.retryable() || e instanceof TrackingAuthException) {
        return new Delivery(0, 0, chunk.size(), e.getMessage());
      }
    }
    long replayed = 0;
    long rejected = 0;
    for (int i = 0; i < chunk.size(); i++) {
      TrackingRecord one = chunk.get(i);
      try {
        sink.deliver(List.of(one));
        mark(marks, List.of(one));
        replayed++;
      } catch (TrackingException single) {
        if (single.retryable() || single instanceof TrackingAuthException) {
          return new Delivery(replayed, rejected, chunk.size() - i, single.getMessage());
        }
        LOG.warn("Spooled record {} ({}) was rejected by the server and will not be retried: {}",
            one.id(), one.getClass().getSimpleName(), single.getMessage());
        mark(marks, List.of(one));
        rejected++;
      }
    }
    return new Delivery(replayed, rejected, 0, null);
  }

  private static void mark(Path marks, List<TrackingRecord> records) throws IOException {
    StringBuilder ids = new StringBuilder();
    for (TrackingRecord r : records) {
      ids.append(r.id()).append('\n');
    }
    try (FileChannel ch = FileChannel.open(marks, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      var buffer = java.nio.ByteBuffer.wrap(ids.toString().getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        ch.write(buffer);
      }
      ch.force(false);
    }
    for (TrackingRecord r : records) {
      r.localFiles().forEach(f -> Spool.deleteBlob(Path.of(f)));
    }
  }

  static List<Path> segments(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> {
            String n = p.getFileName().toString();
            return n.startsWith(Spool.SEGMENT_PREFIX) && n.endsWith(Spool.SEGMENT_SUFFIX);
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list spool " + dir, e);
    }
  }

  private static Path replayedFile(Path segment) {
    String n = segment.getFileName().toString();
    return segment.resolveSibling(n.substring(0, n.length() - Spool.SEGMENT_SUFFIX.length()) + Spool.REPLAYED_SUFFIX);
  }

  private static Set<String> readIds(Path file) {
    if (!Files.exists(file)) {
      return new HashSet<>();
    }
    try {
      Set<String> ids = new HashSet<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          ids.add(line.trim());
        }
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Reads a segment record by record, holding one line at a time. A line that does not parse (the
   * torn tail of a write interrupted by a crash, or a line a failed append could not take back) is
   * skipped with a warning naming the segment and line; the records around it are read.
   */
  static final class SegmentReader implements AutoCloseable {
    private final Path segment;
    private final BufferedReader in;
    private long line;

    SegmentReader(Path segment) {
      this.segment = segment;
      try {
        this.in = Files.newBufferedReader(segment, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read spool segment " + segment, e);
      }
    }

    /** The next readable record, or null at the end of the segment. */
    TrackingRecord next() {
      try {
        for (String text = in.readLine(); text != null; text = in.readLine()) {
          line++;
          if (text.isBlank()) {
            continue;
          }
          try {
            return Spool.fromJson(text);
          } catch (IOException e) {
            LOG.warn("Skipping unreadable line {} of spool segment {} (a write interrupted by a crash?): {}",
                line, segment, e.getMessage());
          }
        }
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read spool segment " + segment, e);
      }
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        // read-only; nothing to lose
      }
    }
  }
}
