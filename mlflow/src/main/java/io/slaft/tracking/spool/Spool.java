package io.slaft.tracking.spool;

import static com.google.common.base.Preconditions.checkState;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slaft.files.AtomicFiles;
import io.slaft.files.FileWriteException;
import io.slaft.tracking.record.TrackingRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * Append-only local journal of tracking records that have not reached the server.
 *
 * <p>Layout of the spool directory: {@code records-<time>-<id>.jsonl} (one JSON record per line,
 * one file per {@code Spool} instance), {@code records-….replayed} (ids of records already
 * replayed, one per line, written by {@link SpoolReplayer}) and {@code blobs/<record id>/<file>}
 * (copies of artifact files). Several processes may spool into the same directory.
 *
 * <p>Thread-safe: {@link #append} and {@link #snapshot} may be called from any thread.
 */
public final class Spool {

  static final String SEGMENT_PREFIX = "records-";
  static final String SEGMENT_SUFFIX = ".jsonl";
  static final String REPLAYED_SUFFIX = ".replayed";
  static final String BLOBS = "blobs";

  static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Path dir;
  private final Path segment;
  private final Opener opener;
  private FileChannel channel;
  private long appended;
  private boolean tornTail;

  /** Opens the segment for appending; a seam for tests that make writes fail. */
  @FunctionalInterface
  interface Opener {
    FileChannel open(Path segment) throws IOException;

    Opener APPEND = segment ->
        FileChannel.open(segment, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private Spool(Path dir, Opener opener) {
    this.dir = dir;
    this.opener = opener;
    String time = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    this.segment = dir.resolve(SEGMENT_PREFIX + time + "-" + UUID.randomUUID().toString().substring(0, 8) + SEGMENT_SUFFIX);
  }

  /** A spool writing into {@code dir} (created if missing); its segment file is created lazily. */
  public static Spool open(Path dir) {
    return open(dir, Opener.APPEND);
  }

  static Spool open(Path dir, Opener opener) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs.resolve(BLOBS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create spool directory " + abs, e);
    }
    return new Spool(abs, opener);
  }

  public Path directory() {
    return dir;
  }

  /** The segment file this instance appends to. */
  public Path segment() {
    return segment;
  }

  /** Number of records appended by this instance. */
  public synchronized long appended() {
    return appended;
  }

  /**
   * Appends {@code records} and forces them to disk, all or nothing: when the write fails (a full
   * disk, a file size limit, an I/O error) the segment is truncated back to its length before the
   * call, so it keeps only whole records, and the failure names the segment and the errno (an
   * {@link UncheckedIOException} whose cause is a {@link FileWriteException}). If even the
   * truncation fails, the next append starts on a fresh line, so a torn tail can cost only the
   * records of the failed call.
   */
  public synchronized void append(List<? extends TrackingRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    if (tornTail) {
      lines.append('\n');
    }
    for (TrackingRecord record : records) {
      lines.append(toJson(record)).append('\n');
    }
    long before = -1;
    try {
      if (channel == null) {
        channel = opener.open(segment);
      }
      before = channel.size();
      ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
      appended += records.size();
      tornTail = false;
    } catch (IOException e) {
      truncateBack(before);
      throw new UncheckedIOException(new FileWriteException(segment, e));
    }
  }

  private void truncateBack(long length) {
    if (channel == null || length < 0) {
      return;
    }
    try {
      channel.truncate(length);
      channel.force(false);
    } catch (IOException e) {
      tornTail = true;
    }
  }

  /**
   * Copies {@code file} to {@code blobs/<recordId>/<file name>} and returns the copy, which
   * belongs to the record with that id. The copy is written then renamed ({@link AtomicFiles}), so
   * a crash or a full disk never leaves a truncated blob for the replay to upload.
   */
  public Path snapshot(Path file, String recordId) {
    checkState(recordId.matches("[A-Za-z0-9-]+"), "record id must be alphanumeric: %s", recordId);
    Path target = dir.resolve(BLOBS).resolve(recordId).resolve(file.getFileName().toString());
    try {
      Files.createDirectories(target.getParent());
      AtomicFiles.copy(file, target);
      return target;
    } catch (FileWriteException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + file + " into the spool " + dir, e);
    }
  }

  /** Deletes the blob directory of a record whose artifact has been delivered. */
  public static void deleteBlob(Path blob) {
    try {
      Files.deleteIfExists(blob);
      Path parent = blob.getParent();
      if (parent != null && parent.getParent() != null && parent.getParent().getFileName().toString().equals(BLOBS)) {
        try (var entries = Files.list(parent)) {
          if (entries.findAny().isEmpty()) {
            Files.deleteIfExists(parent);
          }
        }
      }
    } catch (IOException e) {
      // A leftover copy only costs disk space; the record is already delivered.
    }
  }

  public synchronized void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close spool " + segment, e);
      } finally {
        channel = null;
      }
    }
  }

  static String toJson(TrackingRecord record) {
    try {
      return JSON.writerFor(TrackingRecord.class).writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + record.getClass().getSimpleName(), e);
    }
  }

  static TrackingRecord fromJson(String line) throws JsonProcessingException {
    return JSON.readValue(line, TrackingRecord.class);
  }
}
