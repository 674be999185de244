package io.slaft.transforms.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.FloatCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Deterministic field-by-field coder for {@link Example}. Stateless and thread-safe. */
public final class ExampleCoder extends AtomicCoder<Example> {
  private static final long serialVersionUID = 1L;
  private static final ExampleCoder INSTANCE = new ExampleCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final BooleanCoder BOOL = BooleanCoder.of();

  private ExampleCoder() {}

  public static ExampleCoder of() {
    return INSTANCE;
  }

  /** Used by {@code @DefaultCoder} on {@link Example}. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Example.class), INSTANCE);
  }

  @Override
  public void encode(Example e, OutputStream out) throws IOException {
    STRING.encode(e.task(), out);
    VarIntCoder.of().encode(e.split().ordinal(), out);
    STRING.encode(e.id(), out);
    STRING.encode(e.text(), out);
    String pair = e.textPairOrNull();
    BOOL.encode(pair != null, out);
    if (pair != null) {
      STRING.encode(pair, out);
    }
    BOOL.encode(e.isRegression(), out);
    if (e.isRegression()) {
      FloatCoder.of().encode(e.score(), out);
    } else {
      VarIntCoder.of().encode(e.isLabeled() ? e.label() : Example.UNLABELED, out);
    }
    STRING.encode(e.sourceFile(), out);
    VarLongCoder.of().encode(e.line(), out);
  }

  @Override
  public Example decode(InputStream in) throws IOException {
    String task = STRING.decode(in);
    Split split = Split.values()[VarIntCoder.of().decode(in)];
    String id = STRING.decode(in);
    String text = STRING.decode(in);
    String pair = BOOL.decode(in) ? STRING.decode(in) : null;
    boolean regression = BOOL.decode(in);
    float score = regression ? FloatCoder.of().decode(in) : Float.NaN;
    int label = regression ? -1 : VarIntCoder.of().decode(in);
    String file = STRING.decode(in);
    long line = VarLongCoder.of().decode(in);
    return regression
        ? Example.regression(task, split, id, text, pair, score, file, line)
        : label == Example.UNLABELED ? Example.unlabeled(task, split, id, text, pair, file, line)
        : Example.classification(task, split, id, text, pair, label, file, line);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
