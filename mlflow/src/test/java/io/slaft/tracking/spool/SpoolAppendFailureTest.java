package io.slaft.tracking.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.files.FileWriteException;
import io.slaft.tracking.MetricPoint;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.record.LogMetrics;
import io.slaft.tracking.record.TrackingRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool append that fails half-way (a full disk) takes back what it wrote, so the segment keeps
 * only whole records and every record appended before or after the failure is replayed exactly once.
 */
class SpoolAppendFailureTest {

  @TempDir Path tmp;

  private static final RunRef RUN = new RunRef("exp", "run-1");

  private static List<TrackingRecord> batch(String prefix, int n) {
    List<TrackingRecord> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(new LogMetrics(prefix + "-" + i, RUN, List.of(MetricPoint.of("loss", i, i))));
    }
    return records;
  }

  private static List<String> replayedIds(Path dir) {
    SpoolReplayerTest.CountingSink sink = new SpoolReplayerTest.CountingSink();
    ReplayReport report = SpoolReplayer.replay(dir, sink);
    assertTrue(report.complete(), report.toString());
    return sink.delivered.stream().map(TrackingRecord::id).toList();
  }

  @Test
  void aFailedAppendIsTakenBackAndTheSpoolStaysWhole() throws Exception {
    FailingChannels disk = new FailingChannels();
    Spool spool = Spool.open(tmp.resolve("spool"), disk);
    spool.append(batch("a", 3));
    long whole = Files.size(spool.segment());

    disk.failNextWriteAfter = 40; // the disk fills 40 bytes into the next batch
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> spool.append(batch("b", 3)));
    FileWriteException cause = assertInstanceOf(FileWriteException.class, e.getCause());
    assertEquals("ENOSPC", cause.errno());
    assertEquals(spool.segment(), cause.path());
    assertTrue(e.getMessage().contains(spool.segment().toString()), e.getMessage());
    assertEquals(whole, Files.size(spool.segment()), "the torn half-batch was truncated away");

    spool.append(batch("c", 2)); // space freed: the same spool goes on
    spool.close();
    assertEquals(List.of("a-0", "a-1", "a-2", "c-0", "c-1"), replayedIds(spool.directory()));
    assertEquals(5, spool.appended());
  }

  @Test
  void whenEvenTheTruncationFailsOnlyTheFailedBatchIsLost() throws Exception {
    FailingChannels disk = new FailingChannels();
    Spool spool = Spool.open(tmp.resolve("spool"), disk);
    spool.append(batch("a", 2));
    disk.failNextWriteAfter = 25;
    disk.failTruncate = true;
    assertThrows(UncheckedIOException.class, () -> spool.append(batch("b", 2)));
    assertTrue(Files.size(spool.segment()) > 0);

    spool.append(batch("c", 2)); // starts on a fresh line: the torn "b" line does not swallow c-0
    spool.close();
    assertEquals(List.of("a-0", "a-1", "c-0", "c-1"), replayedIds(spool.directory()));
    assertEquals(List.of(), replayedIds(spool.directory()), "a second replay adds nothing");
  }

  @Test
  void replayStreamsALargeSegmentAndCountsPendingOnce() throws Exception {
    Spool spool = Spool.open(tmp.resolve("spool"));
    for (int i = 0; i < 5; i++) {
      spool.append(batch("r" + i, 700));
    }
    spool.append(batch("r0", 1)); // a duplicate id (a record appended twice) is delivered once
    spool.close();
    assertEquals(3500, SpoolReplayer.pending(spool.directory()));
    List<String> ids = replayedIds(spool.directory());
    assertEquals(3500, ids.size());
    assertEquals("r0-0", ids.get(0));
    assertEquals("r4-699", ids.get(3499));
    assertEquals(0, SpoolReplayer.pending(spool.directory()));
  }

  /** Real file channels whose next write stops after a number of bytes with ENOSPC. */
  static final class FailingChannels implements Spool.Opener {
    int failNextWriteAfter = -1;
    boolean failTruncate;

    @Override
    public FileChannel open(Path segment) throws IOException {
      return new Failing(Spool.Opener.APPEND.open(segment));
    }

    private final class Failing extends FileChannel {
      private final FileChannel real;

      Failing(FileChannel real) {
        this.real = real;
      }

      @Override
      public int write(ByteBuffer src) throws IOException {
        if (failNextWriteAfter >= 0) {
          int n = failNextWriteAfter;
          failNextWriteAfter = -1;
          ByteBuffer part = src.slice();
          part.limit(Math.min(n, part.remaining()));
          real.write(part);
          throw new IOException("No space left on device");
        }
        return real.write(src);
      }

      @Override
      public FileChannel truncate(long size) throws IOException {
        if (failTruncate) {
          throw new IOException("Input/output error");
        }
        real.truncate(size);
        return this;
      }

      @Override
      public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
      }

      @Override
      public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
      }

      @Override
      public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return real.write(srcs, offset, length);
      }

      @Override
      public long position() throws IOException {
        return real.position();
      }

      @Override
      public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
      }

      @Override
      public long size() throws IOException {
        return real.size();
      }

      @Override
      public void force(boolean metaData) throws IOException {
        real.force(metaData);
      }

      @Override
      public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
      }

      @Override
      public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return real.transferFrom(src, position, count);
      }

      @Override
      public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
      }

      @Override
      public int write(ByteBuffer src, long position) throws IOException {
        return real.write(src, position);
      }

      @Override
      public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
      }

      @Override
      public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
      }

      @Override
      public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
      }

      @Override
      protected void implCloseChannel() throws IOException {
        real.close();
      }
    }
  }
}
