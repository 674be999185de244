package io.slaft.transforms.batch;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Groups items into batches of similar length, so padding wastes little compute: each item goes to
 * its {@link LengthBuckets} bucket, each bucket is sorted by length and then by the item's encoded
 * bytes (outer context, compared unsigned), and cut into batches of at most the batch size.
 *
 * <p>Deterministic: the same input gives the same batches with the same contents in the same order
 * within each batch, on any runner; batches carry (bucket, index) for ordering downstream. The
 * input coder must be deterministic (checked at {@code apply}). One bucket is sorted on one worker,
 * in memory. Global window only.
 */
public final class BucketByLength<T> extends PTransform<PCollection<T>, PCollection<Batch<T>>> {
  private static final long serialVersionUID = 1L;

  private final SerializableFunction<T, Integer> length;
  private final LengthBuckets buckets;

  private BucketByLength(SerializableFunction<T, Integer> length, LengthBuckets buckets) {
    this.length = checkNotNull(length, "length function");
    this.buckets = checkNotNull(buckets, "buckets");
  }

  /** Buckets items by {@code length} (e.g. token count, must be >= 0) into {@code buckets}. */
  public static <T> BucketByLength<T> of(SerializableFunction<T, Integer> length, LengthBuckets buckets) {
    return new BucketByLength<>(length, buckets);
  }

  @Override
  public PCollection<Batch<T>> expand(PCollection<T> input) {
    Coder<T> coder = input.getCoder();
    try {
      coder.verifyDeterministic();
    } catch (Coder.NonDeterministicException e) {
      throw new IllegalArgumentException(
          "BucketByLength orders items by their encoding, so the input coder must be deterministic, but "
              + coder + " is not: " + e.getMessage() + ". Fix: set a deterministic coder on the input.", e);
    }
    return input
        .apply("AssignBucket", ParDo.of(new AssignFn<>(length, buckets)))
        .setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("GroupByBucket", GroupByKey.create())
        .apply("SortAndCut", ParDo.of(new SortAndCutFn<>(length, buckets, coder)))
        .setCoder(BatchCoder.of(coder));
  }

  private static final class AssignFn<T> extends DoFn<T, KV<Integer, T>> {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<T, Integer> length;
    private final LengthBuckets buckets;

    AssignFn(SerializableFunction<T, Integer> length, LengthBuckets buckets) {
      this.length = length;
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element T item, OutputReceiver<KV<Integer, T>> out) {
      out.output(KV.of(buckets.bucketOf(length.apply(item)), item));
    }
  }

  private static final class SortAndCutFn<T> extends DoFn<KV<Integer, Iterable<T>>, Batch<T>> {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<T, Integer> length;
    private final LengthBuckets buckets;
    private final Coder<T> coder;

    SortAndCutFn(SerializableFunction<T, Integer> length, LengthBuckets buckets, Coder<T> coder) {
      this.length = length;
      this.buckets = buckets;
      this.coder = coder;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<T>> bucket, OutputReceiver<Batch<T>> out) {
      List<Keyed<T>> keyed = new ArrayList<>();
      for (T item : bucket.getValue()) {
        keyed.add(new Keyed<>(item, length.apply(item), encode(item)));
      }
      keyed.sort(
          Comparator.<Keyed<T>>comparingInt(k -> k.length)
              .thenComparing((a, b) -> Arrays.compareUnsigned(a.bytes, b.bytes)));
      List<T> sorted = new ArrayList<>(keyed.size());
      keyed.forEach(k -> sorted.add(k.item));
      buckets.cut(bucket.getKey(), sorted, length::apply, out::output);
    }

    private byte[] encode(T item) {
      try {
        return CoderUtils.encodeToByteArray(coder, item);
      } catch (CoderException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class Keyed<T> {
    final T item;
    final int length;
    final byte[] bytes;

    Keyed(T item, int length, byte[] bytes) {
      this.item = item;
      this.length = length;
      this.bytes = bytes;
    }
  }
}
