package io.slaft.transforms.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Deterministic coder for {@link SweepPoint}: index, then config and overrides in their order. */
public final class SweepPointCoder extends AtomicCoder<SweepPoint> {
  private static final long serialVersionUID = 1L;
  private static final SweepPointCoder INSTANCE = new SweepPointCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarIntCoder INT = VarIntCoder.of();

  private SweepPointCoder() {}

  public static SweepPointCoder of() {
    return INSTANCE;
  }

  /** Used by {@code @DefaultCoder} on {@link SweepPoint}. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(SweepPoint.class), INSTANCE);
  }

  @Override
  public void encode(SweepPoint p, OutputStream out) throws IOException {
    INT.encode(p.index(), out);
    encodeMap(p.config(), out);
    encodeMap(p.overrides(), out);
  }

  private static void encodeMap(Map<String, String> m, OutputStream out) throws IOException {
    INT.encode(m.size(), out);
    for (Map.Entry<String, String> e : m.entrySet()) {
      STRING.encode(e.getKey(), out);
      STRING.encode(e.getValue(), out);
    }
  }

  private static void decodeMap(InputStream in, Map<String, String> into) throws IOException {
    int n = INT.decode(in);
    for (int i = 0; i < n; i++) {
      into.put(STRING.decode(in), STRING.decode(in));
    }
  }

  @Override
  public SweepPoint decode(InputStream in) throws IOException {
    int index = INT.decode(in);
    Map<String, String> config = new TreeMap<>();
    decodeMap(in, config);
    Map<String, String> overrides = new LinkedHashMap<>();
    decodeMap(in, overrides);
    return new SweepPoint(index, config, overrides);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
