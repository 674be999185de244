package io.slaft.model.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.slaft.model.backbone.ModelFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model read with protobuf's wire-format reader alone (no generated classes, no ONNX
 * Runtime): the graph's nodes, initializers, inputs and outputs. The file is memory-mapped and
 * tensor data are views into it, so reading a 90 MB model costs no copy.
 *
 * <p>Errors name the file: a missing file, a file that is not an ONNX model, a truncated file, or
 * tensors stored as external data each raise a {@link ModelFileException}.
 */
public final class OnnxModel {
  private final Path file;
  private final long opsetVersion;
  private final List<OnnxNode> nodes;
  private final Map<String, OnnxTensor> initializers;
  private final List<String> inputs;
  private final List<String> outputs;

  private OnnxModel(
      Path file,
      long opsetVersion,
      List<OnnxNode> nodes,
      Map<String, OnnxTensor> initializers,
      List<String> inputs,
      List<String> outputs) {
    this.file = file;
    this.opsetVersion = opsetVersion;
    this.nodes = List.copyOf(nodes);
    this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
  }

  /** Reads and parses {@code file}. */
  public static OnnxModel read(Path file) {
    ByteBuffer bytes;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        throw new ModelFileException(file, "the file is empty", "use a complete .onnx export");
      }
      MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      bytes = mapped.order(ByteOrder.LITTLE_ENDIAN);
    } catch (NoSuchFileException e) {
      throw new ModelFileException(file, "no such file", "check the ONNX model path");
    } catch (IOException e) {
      throw new ModelFileException(file, "cannot be read: " + e.getMessage(), "check permissions", e);
    }
    try {
      return parse(file, bytes);
    } catch (InvalidProtocolBufferException e) {
      String why = e.getMessage() != null && e.getMessage().contains("truncated")
          ? "the file is truncated (it ends in the middle of a record)"
          : "the file is not a valid ONNX protobuf (" + e.getMessage() + ")";
      throw new ModelFileException(file, why, "re-download or re-export the model", e);
    } catch (IOException e) {
      throw new ModelFileException(file, "cannot be parsed: " + e.getMessage(), "re-export the model", e);
    }
  }

  private static OnnxModel parse(Path file, ByteBuffer bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes.duplicate());
    in.setSizeLimit(Integer.MAX_VALUE);
    ByteBuffer graph = null;
    long opset = -1;
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == 7 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        graph = sub(in, bytes);
      } else if (field == 8 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        long v = readOpset(sub(in, bytes));
        opset = Math.max(opset, v);
      } else {
        in.skipField(tag);
      }
    }
    if (graph == null) {
      throw new ModelFileException(file, "no graph found: this is not an ONNX model", "use a .onnx model file");
    }
    List<OnnxNode> nodes = new ArrayList<>();
    Map<String, OnnxTensor> inits = new LinkedHashMap<>();
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    CodedInputStream g = CodedInputStream.newInstance(graph.duplicate());
    g.setSizeLimit(Integer.MAX_VALUE);
    while ((tag = g.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      switch (field) {
        case 1 -> nodes.add(readNode(file, sub(g, graph)));
        case 5 -> {
          OnnxTensor t = readTensor(file, sub(g, graph));
          inits.put(t.name(), t);
        }
        case 11 -> inputs.add(readValueInfoName(sub(g, graph)));
        case 12 -> outputs.add(readValueInfoName(sub(g, graph)));
        default -> g.skipField(tag);
      }
    }
    return new OnnxModel(file, opset, nodes, inits, inputs, outputs);
  }

  private static ByteBuffer sub(CodedInputStream in, ByteBuffer parent) throws IOException {
    int len = in.readRawVarint32();
    if (len < 0) {
      throw new InvalidProtocolBufferException("negative length: file truncated or corrupt");
    }
    int start = in.getTotalBytesRead();
    int base = parent.position();
    if ((long) base + start + len > parent.limit()) {
      throw new InvalidProtocolBufferException("While parsing a protocol message, the input ended unexpectedly: truncated");
    }
    ByteBuffer slice = parent.duplicate();
    slice.position(base + start).limit(base + start + len);
    in.skipRawBytes(len);
    return slice.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static long readOpset(ByteBuffer b) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b);
    String domain = "";
    long version = -1;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> domain = in.readString();
        case 2 -> version = in.readInt64();
        default -> in.skipField(tag);
      }
    }
    return domain.isEmpty() || domain.equals("ai.onnx") ? version : -1;
  }

  private static String readValueInfoName(ByteBuffer b) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        return in.readString();
      }
      in.skipField(tag);
    }
    return "";
  }

  private static OnnxNode readNode(Path file, ByteBuffer b) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b.duplicate());
    String name = "";
    String op = "";
    List<String> ins = new ArrayList<>();
    List<String> outs = new ArrayList<>();
    Map<String, OnnxTensor> tensors = new HashMap<>();
    Map<String, Double> numbers = new HashMap<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> ins.add(in.readString());
        case 2 -> outs.add(in.readString());
        case 3 -> name = in.readString();
        case 4 -> op = in.readString();
        case 5 -> readAttribute(file, sub(in, b), tensors, numbers);
        default -> in.skipField(tag);
      }
    }
    return new OnnxNode(name, op, ins, outs, tensors, numbers);
  }

  private static void readAttribute(
      Path file, ByteBuffer b, Map<String, OnnxTensor> tensors, Map<String, Double> numbers)
      throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b.duplicate());
    String name = "";
    OnnxTensor t = null;
    Double number = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = in.readString();
        case 2 -> number = (double) in.readFloat();
        case 3 -> number = (double) in.readInt64();
        case 5 -> t = readTensor(file, sub(in, b));
        default -> in.skipField(tag);
      }
    }
    if (t != null) {
      tensors.put(name, t);
    }
    if (number != null) {
      numbers.put(name, number);
    }
  }

  private static OnnxTensor readTensor(Path file, ByteBuffer b) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b.duplicate());
    List<Long> dims = new ArrayList<>();
    int type = 0;
    String name = "";
    ByteBuffer raw = null;
    java.io.ByteArrayOutputStream typed = new java.io.ByteArrayOutputStream();
    boolean external = false;
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      switch (field) {
        case 1 -> {
          if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
              dims.add(in.readInt64());
            }
            in.popLimit(limit);
          } else {
            dims.add(in.readInt64());
          }
        }
        case 2 -> type = in.readInt32();
        case 4 -> readPackedFloats(in, wire, typed);
        case 7 -> readPackedLongs(in, wire, typed);
        case 8 -> name = in.readString();
        case 9 -> raw = sub(in, b);
        case 13 -> {
          external = true;
          in.skipField(tag);
        }
        case 14 -> external |= in.readInt32() == 1;
        default -> in.skipField(tag);
      }
    }
    if (external) {
      throw new ModelFileException(file, "tensor '" + name + "' is stored as external data",
          "re-export the model with all tensors inside the .onnx file (save_as_external_data=False)");
    }
    long[] d = dims.stream().mapToLong(Long::longValue).toArray();
    ByteBuffer data = raw != null ? raw : ByteBuffer.wrap(typed.toByteArray());
    return new OnnxTensor(name, d, type, data);
  }

  private static void readPackedFloats(CodedInputStream in, int wire, java.io.ByteArrayOutputStream out)
      throws IOException {
    ByteBuffer one = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int limit = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        one.clear();
        out.write(one.putFloat(in.readFloat()).array(), 0, 4);
      }
      in.popLimit(limit);
    } else {
      out.write(one.putFloat(in.readFloat()).array(), 0, 4);
    }
  }

  private static void readPackedLongs(CodedInputStream in, int wire, java.io.ByteArrayOutputStream out)
      throws IOException {
    ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int limit = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        one.clear();
        out.write(one.putLong(in.readInt64()).array(), 0, 8);
      }
      in.popLimit(limit);
    } else {
      out.write(one.putLong(in.readInt64()).array(), 0, 8);
    }
  }

  public Path file() {
    return file;
  }

  /** Highest default-domain opset imported, or -1 when none is declared. */
  public long opsetVersion() {
    return opsetVersion;
  }

  public List<OnnxNode> nodes() {
    return nodes;
  }

  public Map<String, OnnxTensor> initializers() {
    return initializers;
  }

  public List<String> inputs() {
    return inputs;
  }

  public List<String> outputs() {
    return outputs;
  }

  /** Checks file existence early so callers can fail before slow work. */
  public static void requireReadable(Path file, String what, String fix) {
    if (!Files.isRegularFile(file)) {
      throw new ModelFileException(file, what + " not found", fix);
    }
  }
}
