package io.slaft.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One ONNX {@code TensorProto}: an initializer or the value of a {@code Constant} node. The data
 * is a little-endian view into the model file (no copy) for {@code raw_data}, or a buffer built
 * from the typed repeated fields.
 *
 * @param name tensor name ({@code onnx::MatMul_787} for the unnamed MatMul weights)
 * @param dims shape; empty for a scalar
 * @param dataType ONNX {@code TensorProto.DataType} code (1 = float, 7 = int64, ...)
 * @param data the bytes of the tensor, little-endian, position 0
 */
public record OnnxTensor(String name, long[] dims, int dataType, ByteBuffer data) {
  public static final int FLOAT = 1;
  public static final int INT32 = 6;
  public static final int INT64 = 7;
  public static final int DOUBLE = 11;

  public OnnxTensor {
    dims = dims.clone();
    data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public long[] dims() {
    return dims.clone();
  }

  /** Number of elements (1 for a scalar). */
  public long elementCount() {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  /** Bytes per element for the types this reader supports, or -1. */
  public int elementSize() {
    return switch (dataType) {
      case FLOAT, INT32 -> 4;
      case INT64, DOUBLE -> 8;
      default -> -1;
    };
  }

  /** Whether the data holds exactly {@link #elementCount()} elements of {@link #elementSize()}. */
  public boolean isComplete() {
    int size = elementSize();
    return size > 0 && data.remaining() == elementCount() * size;
  }

  /** A read-only float view; only for {@link #FLOAT} tensors. */
  public FloatBuffer floats() {
    if (dataType != FLOAT) {
      throw new IllegalStateException(name + " is not a float tensor (data_type " + dataType + ")");
    }
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().asReadOnlyBuffer();
  }

  /** The value as a double, for scalar or one-element float/int/double tensors. */
  public double scalar() {
    if (elementCount() != 1) {
      throw new IllegalStateException(name + " is not a scalar: dims " + Arrays.toString(dims));
    }
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    return switch (dataType) {
      case FLOAT -> b.getFloat(0);
      case INT32 -> b.getInt(0);
      case INT64 -> b.getLong(0);
      case DOUBLE -> b.getDouble(0);
      default -> throw new IllegalStateException(name + ": unsupported data_type " + dataType);
    };
  }

  /** The values of an int64 or int32 tensor. */
  public long[] longs() {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[(int) elementCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = dataType == INT64 ? b.getLong(i * 8) : b.getInt(i * 4);
    }
    return out;
  }
}
