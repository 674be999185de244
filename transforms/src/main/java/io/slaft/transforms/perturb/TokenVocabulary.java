package io.slaft.transforms.perturb;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The vocabulary facts token perturbations need: its size and its special ids.
 *
 * <p>Protected ids ([PAD], [CLS], [SEP] and the reserved ids) mark positions that are never
 * changed. Replacement ids are drawn from the ordinary ids: every id in [0, size) that is neither
 * protected nor [UNK] nor [MASK]. [UNK] and [MASK] found in an input are ordinary content
 * positions.
 *
 * @param size number of ids; ids are {@code 0 .. size-1}
 * @param padId the padding token
 * @param unkId the unknown-word token
 * @param clsId the sequence-start token
 * @param sepId the separator / sequence-end token
 * @param maskId the mask token
 * @param reservedIds further ids that are neither sampled nor changed, e.g. BERT's
 *     {@code [unusedN]}; copied
 */
public record TokenVocabulary(
    int size, int padId, int unkId, int clsId, int sepId, int maskId, Set<Integer> reservedIds)
    implements Serializable {

  /** Size of the uncased BERT WordPiece vocabulary, which MiniLM-L6 uses. */
  public static final int BERT_UNCASED_SIZE = 30522;

  /**
   * Validates the ids.
   *
   * @throws IllegalArgumentException if the size is below 2, an id lies outside [0, size), the five
   *     special ids are not distinct, or fewer than 2 ordinary ids remain
   */
  public TokenVocabulary {
    if (size < 2) {
      throw new IllegalArgumentException("vocabulary size must be at least 2, got " + size);
    }
    reservedIds = Set.copyOf(reservedIds);
    int[] specials = {padId, unkId, clsId, sepId, maskId};
    String[] names = {"padId", "unkId", "clsId", "sepId", "maskId"};
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < specials.length; i++) {
      checkRange(names[i], specials[i], size);
      if (!seen.add(specials[i])) {
        throw new IllegalArgumentException(
            "special ids must be distinct, " + names[i] + "=" + specials[i] + " repeats another");
      }
    }
    for (int id : reservedIds) {
      checkRange("reserved id", id, size);
    }
    Set<Integer> excluded = new HashSet<>(reservedIds);
    excluded.addAll(seen);
    if (size - excluded.size() < 2) {
      throw new IllegalArgumentException(
          "vocabulary must keep at least 2 ordinary ids besides special and reserved ones, has "
              + (size - excluded.size()));
    }
  }

  /**
   * The uncased BERT WordPiece vocabulary of {@code bert-base-uncased} and all-MiniLM-L6-v2: 30522
   * ids, [PAD]=0, [UNK]=100, [CLS]=101, [SEP]=102, [MASK]=103, and {@code [unused0..993]} at 1–99
   * and 104–998 reserved.
   */
  public static TokenVocabulary bertUncased() {
    Set<Integer> unused = new HashSet<>();
    IntStream.rangeClosed(1, 99).forEach(unused::add);
    IntStream.rangeClosed(104, 998).forEach(unused::add);
    return new TokenVocabulary(BERT_UNCASED_SIZE, 0, 100, 101, 102, 103, unused);
  }

  /** Whether positions holding {@code id} must never change ([PAD], [CLS], [SEP], reserved). */
  public boolean isProtected(int id) {
    return id == padId || id == clsId || id == sepId || reservedIds.contains(id);
  }

  /** Whether {@code id} may be drawn as a random replacement. */
  public boolean isOrdinary(int id) {
    return id >= 0 && id < size && !isProtected(id) && id != unkId && id != maskId;
  }

  /** A uniformly random ordinary id different from {@code original}. */
  int sampleReplacement(int original, SplittableRandom random) {
    int id;
    do {
      id = random.nextInt(size);
    } while (id == original || !isOrdinary(id));
    return id;
  }

  private static void checkRange(String name, int id, int size) {
    if (id < 0 || id >= size) {
      throw new IllegalArgumentException(
          name + " must be in [0, size=" + size + "), got " + id);
    }
  }
}
