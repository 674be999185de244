package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;

import io.slaft.files.AtomicFiles;
import io.slaft.files.CorruptFileException;
import io.slaft.files.FileWriteException;
import io.slaft.files.Sealed;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One task split as the prepare stage validated it, materialized once per run so that training
 * reads it instead of reading and validating the raw file again: the split's {@link ReadReport}
 * and its examples in file order ({@link ExampleCoder}). Dead letters are not in it (prepare
 * writes them to the run's dead-letter file).
 *
 * <p>Format: {@code "SLPS"} magic, version, the report's fields, the example count, the examples.
 * Sealed with a content checksum and written with {@link AtomicFiles}, so a reader sees a complete,
 * verified file or an error naming it. The file is
 * an intermediate of one run, read by the same slaft version that wrote it.
 */
public final class PreparedSplit {
  private static final int MAGIC = 0x534C5053;
  private static final int VERSION = 2;

  private PreparedSplit() {}

  /** The file of {@code task}'s {@code split} under a prepared-data directory. */
  public static Path file(Path preparedDir, String task, Split split) {
    return preparedDir.resolve(task).resolve(split.lowerName() + ".examples");
  }

  /** Writes {@code examples} (any order; stored sorted by line) with their {@code report}. */
  public static Path write(Path file, ReadReport report, List<Example> examples) {
    checkArgument(report.examples() == examples.size(), "report %s disagrees with %s examples", report, examples.size());
    List<Example> sorted = new ArrayList<>(examples);
    sorted.sort((a, b) -> Long.compare(a.line(), b.line()));
    try {
      AtomicFiles.to(file).sealed().write(stream -> {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(report.task());
        out.writeUTF(report.split().name());
        out.writeUTF(report.file());
        out.writeLong(report.rowsRead());
        out.writeLong(report.examples());
        out.writeLong(report.deadLetters());
        out.writeInt(report.deadLettersByReason().size());
        for (Map.Entry<DeadLetter.Reason, Long> e : report.deadLettersByReason().entrySet()) {
          out.writeUTF(e.getKey().name());
          out.writeLong(e.getValue());
        }
        out.writeLong(report.blankLines());
        out.writeBoolean(report.limitReached());
        out.writeInt(sorted.size());
        ExampleCoder coder = ExampleCoder.of();
        for (Example e : sorted) {
          coder.encode(e, out);
        }
        out.flush();
      });
      return file;
    } catch (FileWriteException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * Reads a prepared split: its examples in file order and its report (no dead letters).
   *
   * @throws TaskDataException when the file is missing or not a prepared split
   */
  public static ReadResult read(Path file) {
    try (DataInputStream in = new DataInputStream(Sealed.open(file, "delete the run's prepared/ directory and run again"))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new TaskDataException(file + " is not prepared data of this slaft version; delete the run's prepared/ "
            + "directory and run again");
      }
      String task = in.readUTF();
      Split split = Split.valueOf(in.readUTF());
      String source = in.readUTF();
      long rows = in.readLong();
      long examples = in.readLong();
      long dead = in.readLong();
      Map<DeadLetter.Reason, Long> byReason = new EnumMap<>(DeadLetter.Reason.class);
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        byReason.put(DeadLetter.Reason.valueOf(in.readUTF()), in.readLong());
      }
      long blank = in.readLong();
      boolean limitReached = in.readBoolean();
      ReadReport report = new ReadReport(task, split, source, rows, examples, dead, byReason, blank, limitReached);
      int count = in.readInt();
      List<Example> out = new ArrayList<>(count);
      ExampleCoder coder = ExampleCoder.of();
      for (int i = 0; i < count; i++) {
        out.add(coder.decode(in));
      }
      return ReadResult.withoutDeadLetters(out, report);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new TaskDataException("prepared data " + file + " not found: the prepare stage did not write it");
    } catch (CorruptFileException e) {
      throw new TaskDataException(e.getMessage(), e);
    } catch (IOException e) {
      throw new TaskDataException("cannot read prepared data " + file + ": " + e, e);
    }
  }
}
