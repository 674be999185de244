package io.slaft.transforms.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Deterministic field-by-field coder for {@link DeadLetter}. Stateless and thread-safe. */
public final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
  private static final long serialVersionUID = 1L;
  private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  private DeadLetterCoder() {}

  public static DeadLetterCoder of() {
    return INSTANCE;
  }

  /** Used by {@code @DefaultCoder} on {@link DeadLetter}. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(DeadLetter.class), INSTANCE);
  }

  @Override
  public void encode(DeadLetter d, OutputStream out) throws IOException {
    STRING.encode(d.task(), out);
    VarIntCoder.of().encode(d.split().ordinal(), out);
    STRING.encode(d.file(), out);
    VarLongCoder.of().encode(d.line(), out);
    STRING.encode(d.reason().name(), out);
    STRING.encode(d.detail(), out);
    STRING.encode(d.raw(), out);
  }

  @Override
  public DeadLetter decode(InputStream in) throws IOException {
    String task = STRING.decode(in);
    Split split = Split.values()[VarIntCoder.of().decode(in)];
    String file = STRING.decode(in);
    long line = VarLongCoder.of().decode(in);
    DeadLetter.Reason reason = DeadLetter.Reason.valueOf(STRING.decode(in));
    String detail = STRING.decode(in);
    String raw = STRING.decode(in);
    return DeadLetter.of(task, split, file, line, reason, detail, raw);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
