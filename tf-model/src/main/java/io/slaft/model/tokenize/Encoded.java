package io.slaft.model.tokenize;

/**
 * One tokenized example: word-piece ids with [CLS]/[SEP] and token-type ids, unpadded.
 *
 * @param ids token ids
 * @param typeIds token-type (segment) ids, same length
 */
public record Encoded(int[] ids, int[] typeIds) {
  public Encoded {
    if (ids.length != typeIds.length) {
      throw new IllegalArgumentException("ids and typeIds differ in length: " + ids.length + " vs " + typeIds.length);
    }
  }

  public int length() {
    return ids.length;
  }
}
