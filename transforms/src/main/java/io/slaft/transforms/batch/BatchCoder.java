package io.slaft.transforms.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** Coder for {@link Batch}; deterministic when the item coder is. */
public final class BatchCoder<T> extends StructuredCoder<Batch<T>> {
  private static final long serialVersionUID = 1L;
  private static final VarIntCoder INT = VarIntCoder.of();

  private final Coder<T> itemCoder;
  private final ListCoder<T> listCoder;

  private BatchCoder(Coder<T> itemCoder) {
    this.itemCoder = itemCoder;
    this.listCoder = ListCoder.of(itemCoder);
  }

  public static <T> BatchCoder<T> of(Coder<T> itemCoder) {
    return new BatchCoder<>(itemCoder);
  }

  @Override
  public void encode(Batch<T> b, OutputStream out) throws IOException {
    INT.encode(b.bucket(), out);
    INT.encode(b.bucketUpperBound(), out);
    INT.encode(b.index(), out);
    INT.encode(b.maxLength(), out);
    listCoder.encode(b.items(), out);
  }

  @Override
  public Batch<T> decode(InputStream in) throws IOException {
    int bucket = INT.decode(in);
    int upper = INT.decode(in);
    int index = INT.decode(in);
    int maxLength = INT.decode(in);
    List<T> items = listCoder.decode(in);
    return new Batch<>(bucket, upper, index, maxLength, items);
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of(itemCoder);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    verifyDeterministic(this, "the item coder must be deterministic", itemCoder);
  }
}
