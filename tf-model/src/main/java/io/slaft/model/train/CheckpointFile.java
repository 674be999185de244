package io.slaft.model.train;

import io.slaft.files.AtomicFiles;
import io.slaft.files.CorruptFileException;
import io.slaft.files.FileWriteException;
import io.slaft.files.Sealed;
import io.slaft.model.eval.MetricKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint format of {@link Trainer}: magic, version, a fingerprint of spec, backbone, task
 * sizes and primary metrics (a checkpoint of another run is refused), then the {@link TrainState}, every task's
 * batch-iterator position and the {@link ParamStore} (values and optimizer moments), the best
 * snapshot, the evaluation history (with each evaluation's structure and flips), the settle state
 * ({@link Settler}) and the {@link GraphPlan} the run was training with (version 4; a version-3
 * checkpoint resumes with the full graph), sealed with a content checksum ({@link Sealed}).
 *
 * <p>Written with {@link AtomicFiles} (temporary file, fsync, rename), keeping the previous checkpoint
 * as {@value #PREVIOUS}: a kill or a full disk leaves the last complete one. {@link #resumable}
 * picks {@value #NAME}, or the previous one when the latest was deleted; a corrupt file is never
 * resumed silently — the error names it and says to delete it to resume from the previous one.
 */
public final class CheckpointFile {
  /** File name inside a checkpoint directory. */
  public static final String NAME = "checkpoint.bin";
  /** The checkpoint before {@link #NAME}, kept so a corrupt latest one loses one interval only. */
  public static final String PREVIOUS = "checkpoint.prev.bin";
  private static final int CHECKPOINT_MAGIC = 0x534C4146;
  private static final int CHECKPOINT_VERSION = 4;
  /** The last version without the graph plan; still resumed (its runs trained the full graph). */
  private static final int VERSION_WITHOUT_PLAN = 3;

  private CheckpointFile() {}

  /** What a checkpoint must match to be resumed: the spec, the backbone and its precision, each task's name and sizes. */
  static String fingerprint(TrainSpec spec, io.slaft.model.backbone.Backbone backbone, List<TrainTask> tasks) {
    // The precision is appended only when not fp32, so older checkpoints still resume.
    return fingerprint(spec, backbone.precision() == io.slaft.model.backbone.Precision.FP32 ? backbone.name()
        : backbone.name() + "/" + backbone.precision().id(), tasks);
  }

  /** {@link #fingerprint(TrainSpec, io.slaft.model.backbone.Backbone, List)} of a backbone named {@code backboneName}. */
  static String fingerprint(TrainSpec spec, String backboneName, List<TrainTask> tasks) {
    StringBuilder b = new StringBuilder(spec.toString()).append(backboneName);
    for (TrainTask t : tasks) {
      b.append(t.name()).append(t.train().size()).append(t.dev().size());
      if (!t.validation().isEmpty()) {
        // Appended only when rows were held out, so older checkpoints still resume.
        b.append("/val").append(t.validation().size());
      }
      if (t.metric() != MetricKind.forTask(t.name(), t.isRegression())) {
        // The metric picks the best step; appended only when not the name's default, so older checkpoints still resume.
        b.append('/').append(t.metric().id());
      }
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The checkpoint a run in {@code checkpointDir} resumes from: {@value #NAME}, else {@value
   * #PREVIOUS} (the latest was deleted, e.g. because it was corrupt), else none.
   */
  public static Optional<Path> resumable(Path checkpointDir) {
    for (String name : List.of(NAME, PREVIOUS)) {
      Path f = checkpointDir.resolve(name);
      if (Files.isRegularFile(f)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** Writes {@code st} and the trainer's state into {@code dir/checkpoint.bin}, keeping the previous one. */
  static void write(Path checkpointDir, String fingerprint, TrainState st, List<String> taskNames,
      Map<String, BatchIterator> iterators, ParamStore params, Settler settler, GraphPlan plan) {
    try {
      AtomicFiles.to(checkpointDir.resolve(NAME)).sealed().keepingPrevious(Path.of(PREVIOUS)).write(stream -> {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(CHECKPOINT_MAGIC);
        out.writeInt(CHECKPOINT_VERSION);
        out.writeUTF(fingerprint);
        out.writeInt(st.step);
        out.writeDouble(st.trainSeconds);
        out.writeLong(st.tokens);
        out.writeLong(st.realTokens);
        out.writeDouble(st.bestScore);
        out.writeInt(st.bestStep);
        out.writeInt(st.sinceBest);
        for (String t : taskNames) {
          out.writeInt(iterators.get(t).epoch());
          out.writeInt(iterators.get(t).position());
        }
        params.write(out);
        out.writeBoolean(st.best != null);
        if (st.best != null) {
          for (Map.Entry<String, float[]> e : st.best.entrySet()) {
            out.writeUTF(e.getKey());
            ParamStore.writeArray(out, e.getValue());
          }
        }
        out.writeInt(st.history.size());
        for (TrainListener.EvalInfo e : st.history) {
          out.writeInt(e.step());
          out.writeDouble(e.score());
          out.writeBoolean(e.best());
          out.writeInt(e.metrics().size());
          for (var te : e.metrics().entrySet()) {
            out.writeUTF(te.getKey());
            out.writeInt(te.getValue().size());
            for (var me : te.getValue().entrySet()) {
              out.writeUTF(me.getKey());
              out.writeDouble(me.getValue());
            }
          }
          out.writeInt(e.structure().size());
          for (var se : e.structure().entrySet()) {
            out.writeUTF(se.getKey());
            out.writeInt(e.flips().getOrDefault(se.getKey(), 0));
            out.writeInt(se.getValue().size());
            for (String m : se.getValue()) {
              out.writeUTF(m);
            }
          }
        }
        settler.write(out);
        plan.write(out);
        out.flush();
      });
    } catch (FileWriteException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * Reads {@code f} into {@code st}, the iterators, {@code params} and {@code settler}, and returns
   * the graph plan the run was training with ({@code full} for a checkpoint from before plans were
   * recorded); refuses a checkpoint of another run.
   */
  static GraphPlan read(Path f, String fingerprint, String split, TrainState st, List<String> taskNames,
      Map<String, BatchIterator> iterators, ParamStore params, Settler settler, GraphPlan full) {
    String remedy = f.getFileName().toString().equals(NAME) && Files.isRegularFile(f.resolveSibling(PREVIOUS))
        ? "delete it to resume from the previous checkpoint " + f.resolveSibling(PREVIOUS) + ", or delete " + f.getParent() + " to start over"
        : "delete " + f.getParent() + " to start this run over";
    try (DataInputStream in = new DataInputStream(Sealed.open(f, remedy))) {
      if (in.readInt() != CHECKPOINT_MAGIC) {
        throw new IOException("not a slaft checkpoint");
      }
      int version = in.readInt();
      if (version != CHECKPOINT_VERSION && version != VERSION_WITHOUT_PLAN) {
        throw new IOException("a checkpoint of format version " + version + ", this slaft reads " + VERSION_WITHOUT_PLAN
            + " and " + CHECKPOINT_VERSION);
      }
      String fp = in.readUTF();
      if (!fp.equals(fingerprint)) {
        throw new IOException("it was written by a run with a different config or data; delete it or use another --out");
      }
      st.step = in.readInt();
      st.resumedAt = st.step;
      st.trainSeconds = in.readDouble();
      st.tokens = in.readLong();
      st.realTokens = in.readLong();
      st.bestScore = in.readDouble();
      st.bestStep = in.readInt();
      st.sinceBest = in.readInt();
      for (String t : taskNames) {
        int epoch = in.readInt();
        int pos = in.readInt();
        iterators.get(t).seek(epoch, pos);
      }
      params.read(in);
      if (in.readBoolean()) {
        st.best = new LinkedHashMap<>();
        for (ParamStore.Param p : params.all()) {
          String key = in.readUTF();
          float[] a = new float[params.get(key).value().length];
          ParamStore.readArray(in, a);
          st.best.put(key, a);
        }
      }
      int h = in.readInt();
      for (int i = 0; i < h; i++) {
        int step = in.readInt();
        double score = in.readDouble();
        boolean best = in.readBoolean();
        int nt = in.readInt();
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        for (int k = 0; k < nt; k++) {
          String task = in.readUTF();
          int nm = in.readInt();
          Map<String, Double> m = new LinkedHashMap<>();
          for (int j = 0; j < nm; j++) {
            m.put(in.readUTF(), in.readDouble());
          }
          metrics.put(task, m);
        }
        int ns = in.readInt();
        Map<String, List<String>> structure = new LinkedHashMap<>();
        Map<String, Integer> flips = new LinkedHashMap<>();
        for (int k = 0; k < ns; k++) {
          String task = in.readUTF();
          flips.put(task, in.readInt());
          int nk = in.readInt();
          List<String> kept = new java.util.ArrayList<>(nk);
          for (int j = 0; j < nk; j++) {
            kept.add(in.readUTF());
          }
          structure.put(task, List.copyOf(kept));
        }
        st.history.add(new TrainListener.EvalInfo(step, split, metrics, score, best, structure, flips));
      }
      settler.read(in);
      if (version == VERSION_WITHOUT_PLAN) {
        return full;
      }
      return GraphPlan.read(in, full);
    } catch (CorruptFileException e) {
      throw new UncheckedIOException("cannot resume: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resume from checkpoint " + f + ": " + e.getMessage(), e);
    }
  }
}
