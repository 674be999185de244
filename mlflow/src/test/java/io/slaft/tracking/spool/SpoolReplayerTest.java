package io.slaft.tracking.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.tracking.DatasetInput;
import io.slaft.tracking.Redactor;
import io.slaft.tracking.RunRef;
import io.slaft.tracking.RunSpec;
import io.slaft.tracking.RunStatus;
import io.slaft.tracking.TrackingAuthException;
import io.slaft.tracking.TrackingException;
import io.slaft.tracking.TrackingStatus;
import io.slaft.tracking.record.LogArtifact;
import io.slaft.tracking.record.LogInput;
import io.slaft.tracking.record.LogMetrics;
import io.slaft.tracking.record.LogParams;
import io.slaft.tracking.record.RecordSink;
import io.slaft.tracking.record.StartRun;
import io.slaft.tracking.record.TrackingRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolReplayerTest {

  @TempDir Path tmp;

  /** Records every delivered record; fails with {@code failure} once {@code failAfter} records went through. */
  static final class CountingSink implements RecordSink {
    final List<TrackingRecord> delivered = new ArrayList<>();
    int failAfter = Integer.MAX_VALUE;
    TrackingException failure = new TrackingException("connection refused", true);

    @Override
    public void deliver(List<TrackingRecord> records) {
      for (TrackingRecord r : records) {
        if (delivered.size() >= failAfter) {
          throw failure;
        }
        delivered.add(r);
      }
    }
  }

  private Path spoolSomeRun(int points) throws Exception {
    Path spool = tmp.resolve("spool");
    Path file = Files.writeString(tmp.resolve("structure.json"), "{\"layers\":6}");
    try (SpoolingTracker t = new SpoolingTracker(spool, new Redactor(List.of()))) {
      RunRef run = t.startRun(RunSpec.root("exp", "key", "name"));
      t.logParams(run, Map.of("lr", "0.1", "password", "hunter22"));
      for (int s = 0; s < points; s++) {
        t.logMetric(run, "loss", s, s, s);
      }
      t.logInput(run, new DatasetInput("sst2", "abc123", "local", "{}", "", "", "train"));
      t.logArtifact(run, file, "config/structure.json");
      t.endRun(run, RunStatus.FINISHED);
      TrackingStatus status = t.flush();
      assertEquals(TrackingStatus.Mode.SPOOL_ONLY, status.mode());
      assertEquals(points + 5, status.spooled());
      assertEquals(spool.toAbsolutePath().normalize(), status.spoolDir());
    }
    Files.delete(file);
    return spool;
  }

  @Test
  void replaysEveryRecordInOrderExactlyOnce() throws Exception {
    Path spool = spoolSomeRun(700);
    CountingSink sink = new CountingSink();
    ReplayReport first = SpoolReplayer.replay(spool, sink);
    assertEquals(705, first.replayed());
    assertTrue(first.complete());
    assertEquals(705, sink.delivered.size());
    assertTrue(sink.delivered.get(0) instanceof StartRun);
    assertTrue(sink.delivered.get(1) instanceof LogParams);
    assertEquals(699, ((LogMetrics) sink.delivered.get(701)).points().get(0).step());
    assertTrue(sink.delivered.get(702) instanceof LogInput);

    ReplayReport second = SpoolReplayer.replay(spool, sink);
    assertEquals(0, second.replayed());
    assertEquals(705, second.alreadyReplayed());
    assertEquals(705, sink.delivered.size());
    assertEquals(0, SpoolReplayer.pending(spool));
  }

  @Test
  void artifactIsReplayedFromTheSpoolCopyWhichIsRemovedAfterwards() throws Exception {
    Path spool = spoolSomeRun(1);
    List<Path> copies = new ArrayList<>();
    RecordSink sink = records -> {
      for (TrackingRecord r : records) {
        if (r instanceof LogArtifact a) {
          Path copy = Path.of(a.localFile());
          assertTrue(copy.startsWith(spool.toAbsolutePath()));
          assertEquals("{\"layers\":6}", readString(copy));
          copies.add(copy);
        }
      }
    };
    SpoolReplayer.replay(spool, sink);
    assertEquals(1, copies.size());
    assertFalse(Files.exists(copies.get(0)));
  }

  @Test
  void interruptedReplayResumesWithoutDuplicates() throws Exception {
    Path spool = spoolSomeRun(1200);
    CountingSink sink = new CountingSink();
    sink.failAfter = 600;
    ReplayReport partial = SpoolReplayer.replay(spool, sink);
    assertFalse(partial.complete());
    assertEquals(500, partial.replayed(), "whole chunks of 500 are marked");
    assertEquals(705, partial.remaining());
    assertTrue(partial.failure().orElseThrow().contains("connection refused"));

    sink.failAfter = Integer.MAX_VALUE;
    ReplayReport rest = SpoolReplayer.replay(spool, sink);
    assertTrue(rest.complete());
    assertEquals(705, rest.replayed());
    long distinctIds = sink.delivered.stream().map(TrackingRecord::id).distinct().count();
    assertEquals(1205, distinctIds);
    assertEquals(1205 + 100, sink.delivered.size(), "only the unmarked part of the failed chunk is delivered twice");
  }

  @Test
  void authFailureStopsReplayAndKeepsRecords() throws Exception {
    Path spool = spoolSomeRun(3);
    CountingSink sink = new CountingSink();
    sink.failAfter = 0;
    sink.failure = new TrackingAuthException("http://x", 401, "log-batch");
    ReplayReport report = SpoolReplayer.replay(spool, sink);
    assertEquals(0, report.replayed());
    assertEquals(8, report.remaining());
    assertTrue(report.failure().orElseThrow().contains("MLFLOW_TRACKING_TOKEN"));
    assertEquals(8, SpoolReplayer.pending(spool));
  }

  @Test
  void rejectedRecordIsMarkedAndItsNeighboursDelivered() throws Exception {
    Path spool = spoolSomeRun(3);
    List<TrackingRecord> delivered = new ArrayList<>();
    RecordSink sink = records -> {
      for (TrackingRecord r : records) {
        if (r instanceof LogInput) {
          throw new TrackingException("INVALID_PARAMETER_VALUE", false);
        }
      }
      delivered.addAll(records);
    };
    ReplayReport report = SpoolReplayer.replay(spool, sink);
    assertEquals(1, report.rejected());
    assertEquals(7, report.replayed());
    assertTrue(report.complete());
    assertEquals(7, delivered.size());
    assertEquals(0, SpoolReplayer.pending(spool));
  }

  @Test
  void truncatedLastLineFromACrashIsSkippedAndLaterCompletedLinesReplay() throws Exception {
    Path spool = spoolSomeRun(2);
    Path segment = SpoolReplayer.segments(spool.toAbsolutePath()).get(0);
    Files.writeString(segment, "{\"type\":\"metrics\",\"id\":\"x", StandardOpenOption.APPEND);
    CountingSink sink = new CountingSink();
    ReplayReport report = SpoolReplayer.replay(spool, sink);
    assertEquals(7, report.replayed());
    assertTrue(report.complete());
  }

  @Test
  void secretsInParamsAreRedactedBeforeTheyReachTheSpool() throws Exception {
    Path spool = spoolSomeRun(1);
    for (Path segment : SpoolReplayer.segments(spool.toAbsolutePath())) {
      String text = Files.readString(segment);
      assertFalse(text.contains("hunter22"));
      assertTrue(text.contains(Redactor.REDACTED));
    }
  }

  @Test
  void missingSpoolDirectoryReplaysNothing() {
    ReplayReport report = SpoolReplayer.replay(tmp.resolve("none"), new CountingSink());
    assertEquals(new ReplayReport(0, 0, 0, 0, null), report);
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
