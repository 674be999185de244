package io.slaft.transforms.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;

public class BucketByLengthTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final SerializableFunction<String, Integer> WORDS = s -> s.isEmpty() ? 0 : s.split(" ").length;

  private static List<String> sentences() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      StringBuilder sb = new StringBuilder("w" + i);
      for (int j = 0; j < (i * 7) % 19; j++) {
        sb.append(" x");
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  public void bucketOfFollowsTheBounds() {
    LengthBuckets b = LengthBuckets.of(4, 4, 8, 16);
    assertEquals(0, b.bucketOf(0));
    assertEquals(0, b.bucketOf(4));
    assertEquals(1, b.bucketOf(5));
    assertEquals(2, b.bucketOf(16));
    assertEquals(3, b.bucketOf(17));
    assertEquals(Integer.MAX_VALUE, b.upperBound(3));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LengthBuckets.of(4, 8, 8))
        .getMessage().contains("strictly increasing"));
    assertEquals(List.of(8, 16, 32, 64), java.util.Arrays.stream(LengthBuckets.powersOfTwo(2, 8, 64).upperBounds()).boxed().toList());
  }

  @Test
  public void batchesMatchThePlainJavaBatchingWithByteOrderTieBreak() {
    LengthBuckets buckets = LengthBuckets.of(3, 4, 8, 12);
    List<String> input = sentences();
    List<Batch<String>> expected =
        buckets.batch(input, WORDS::apply, Comparator.comparing(s -> s, (a, b) -> {
          byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          return java.util.Arrays.compareUnsigned(x, y);
        }));
    int total = 0;
    for (Batch<String> batch : expected) {
      assertTrue(batch.size() <= 3);
      for (String s : batch.items()) {
        assertEquals(batch.bucket(), buckets.bucketOf(WORDS.apply(s)));
        assertTrue(WORDS.apply(s) <= batch.maxLength());
      }
      total += batch.size();
    }
    assertEquals(input.size(), total);

    PCollection<Batch<String>> out =
        pipeline
            .apply(Create.of(input).withCoder(StringUtf8Coder.of()))
            .apply(BucketByLength.of(WORDS, buckets));
    PAssert.that(out).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void emptyInputGivesNoBatches() {
    PCollection<Batch<String>> out =
        pipeline
            .apply(Create.empty(StringUtf8Coder.of()))
            .apply(BucketByLength.of(WORDS, LengthBuckets.of(2, 8)));
    PAssert.that(out).empty();
    pipeline.run().waitUntilFinish();
  }
}
