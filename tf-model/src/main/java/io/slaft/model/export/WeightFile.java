package io.slaft.model.export;

import io.slaft.files.AtomicFiles;
import io.slaft.files.CorruptFileException;
import io.slaft.files.Sealed;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code weights.bin}: named float32 tensors, little-endian. Layout: magic {@code SLFW}, format
 * version (int), count (int), then per tensor: name (UTF), rank (int), dims (int each), values; since
 * version 2 sealed with a content checksum ({@link Sealed}) and written with {@link AtomicFiles}.
 * {@link #read} verifies the checksum before it returns a tensor, so an export never serves
 * corrupt weights; version-1 files (no checksum) are still read.
 */
public final class WeightFile {
  /** The weights' file name in an export directory. */
  public static final String NAME = "weights.bin";
  static final int MAGIC = 0x534C4657;
  static final int VERSION = 2;
  private static final int UNSEALED_VERSION = 1;

  /** A named tensor. */
  public record Tensor(int[] shape, float[] values) {
    public Tensor {
      int n = 1;
      for (int d : shape) {
        n *= d;
      }
      if (n != values.length) {
        throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " does not hold " + values.length + " values");
      }
    }
  }

  private WeightFile() {}

  /** Writes {@code tensors} to {@code file} (sealed, atomically). */
  public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
    AtomicFiles.to(file).sealed().write(stream -> {
      DataOutputStream out = new DataOutputStream(stream);
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(tensors.size());
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        out.writeUTF(e.getKey());
        int[] shape = e.getValue().shape();
        out.writeInt(shape.length);
        for (int d : shape) {
          out.writeInt(d);
        }
        float[] v = e.getValue().values();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        out.write(b.array());
      }
      out.flush();
    });
  }

  /**
   * Reads and verifies {@code file}.
   *
   * @throws io.slaft.files.CorruptFileException when its checksum does not match (or a version-2
   *     file lost its trailer)
   */
  public static Map<String, Tensor> read(Path file) throws IOException {
    Map<String, Tensor> m = new LinkedHashMap<>();
    String remedy = "re-export the model (slaft export --model RUN_DIR --out DIR) or copy the export again";
    boolean sealed = Sealed.hasTrailer(file);
    try (DataInputStream in = new DataInputStream(sealed ? Sealed.open(file, remedy)
        : new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not a slaft weight file");
      }
      int version = in.readInt();
      if (version == VERSION && !sealed) {
        throw new CorruptFileException(file, "its checksum trailer is missing (truncated?)", remedy);
      }
      if (version != VERSION && version != UNSEALED_VERSION) {
        throw new IOException(file + " has format version " + version + "; this slaft reads versions " + UNSEALED_VERSION
            + " and " + VERSION);
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        int rank = in.readInt();
        int[] shape = new int[rank];
        int size = 1;
        for (int k = 0; k < rank; k++) {
          shape[k] = in.readInt();
          size *= shape[k];
        }
        byte[] bytes = new byte[size * 4];
        in.readFully(bytes);
        float[] v = new float[size];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        m.put(name, new Tensor(shape, v));
      }
    }
    return m;
  }
}
