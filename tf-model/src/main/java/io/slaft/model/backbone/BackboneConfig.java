package io.slaft.model.backbone;

import com.google.common.base.Preconditions;

/**
 * Shape of a BERT-family encoder, read from the model file (never hard-wired).
 *
 * @param layers number of transformer layers
 * @param hidden hidden size
 * @param heads attention heads; {@code hidden % heads == 0}
 * @param intermediate FFN inner size
 * @param vocabSize rows of the word-embedding table
 * @param maxPositions rows of the position-embedding table
 * @param typeVocabSize rows of the token-type table
 * @param layerNormEps LayerNorm epsilon
 */
public record BackboneConfig(
    int layers,
    int hidden,
    int heads,
    int intermediate,
    int vocabSize,
    int maxPositions,
    int typeVocabSize,
    float layerNormEps) {

  public BackboneConfig {
    Preconditions.checkArgument(layers > 0, "layers must be > 0, got %s", layers);
    Preconditions.checkArgument(hidden > 0 && heads > 0 && hidden % heads == 0,
        "hidden (%s) must be a positive multiple of heads (%s)", hidden, heads);
    Preconditions.checkArgument(intermediate > 0, "intermediate must be > 0, got %s", intermediate);
    Preconditions.checkArgument(vocabSize > 0 && maxPositions > 0 && typeVocabSize > 0,
        "embedding tables must be non-empty");
    Preconditions.checkArgument(layerNormEps > 0, "layerNormEps must be > 0, got %s", layerNormEps);
  }

  public int headDim() {
    return hidden / heads;
  }

  /** Parameters of the backbone (embeddings, all layers, LayerNorms); the denominator of compression. */
  public long parameterCount() {
    long emb = (long) (vocabSize + maxPositions + typeVocabSize) * hidden + 2L * hidden;
    long attn = 4L * hidden * hidden + 4L * hidden;
    long ffn = 2L * hidden * intermediate + intermediate + hidden;
    long norms = 4L * hidden;
    return emb + layers * (attn + ffn + norms);
  }

  /** A small random configuration for unit tests. */
  public static BackboneConfig tiny(int layers, int hidden, int heads, int vocab) {
    return new BackboneConfig(layers, hidden, heads, hidden * 4, vocab, 64, 2, 1e-12f);
  }
}
