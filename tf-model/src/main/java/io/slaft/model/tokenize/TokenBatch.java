package io.slaft.model.tokenize;

import com.google.common.base.Preconditions;
import java.util.List;

/**
 * A batch of encoded examples padded to the longest one in the batch (dynamic padding), stored
 * row-major as {@code [batch, length]}. Padding positions have id {@code padId}, type 0, mask 0.
 */
public record TokenBatch(int batch, int length, int[] ids, int[] typeIds, int[] mask) {
  public TokenBatch {
    Preconditions.checkArgument(batch > 0 && length > 0, "empty batch");
    Preconditions.checkArgument(ids.length == batch * length && typeIds.length == ids.length
        && mask.length == ids.length, "arrays must hold batch*length values");
  }

  /** Pads {@code rows} to their longest length. */
  public static TokenBatch pad(List<Encoded> rows, int padId) {
    Preconditions.checkArgument(!rows.isEmpty(), "cannot pad an empty list");
    int len = 0;
    for (Encoded e : rows) {
      len = Math.max(len, e.length());
    }
    int b = rows.size();
    int[] ids = new int[b * len];
    int[] types = new int[b * len];
    int[] mask = new int[b * len];
    java.util.Arrays.fill(ids, padId);
    for (int i = 0; i < b; i++) {
      Encoded e = rows.get(i);
      System.arraycopy(e.ids(), 0, ids, i * len, e.length());
      System.arraycopy(e.typeIds(), 0, types, i * len, e.length());
      java.util.Arrays.fill(mask, i * len, i * len + e.length(), 1);
    }
    return new TokenBatch(b, len, ids, types, mask);
  }

  /** Real (non-padding) tokens in the batch. */
  public long realTokens() {
    long n = 0;
    for (int m : mask) {
      n += m;
    }
    return n;
  }

  /** Padded tokens processed: {@code batch * length}. */
  public long paddedTokens() {
    return (long) batch * length;
  }
}
