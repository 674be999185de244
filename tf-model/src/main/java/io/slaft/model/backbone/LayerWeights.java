package io.slaft.model.backbone;

/**
 * Frozen weights of one encoder layer. Matrices are row-major {@code [in, out]} (used as
 * {@code x @ W}); every array is owned by this record and never modified.
 */
public record LayerWeights(
    float[] query, float[] queryBias,
    float[] key, float[] keyBias,
    float[] value, float[] valueBias,
    float[] attnOut, float[] attnOutBias,
    float[] attnNormGamma, float[] attnNormBeta,
    float[] ffnIn, float[] ffnInBias,
    float[] ffnOut, float[] ffnOutBias,
    float[] ffnNormGamma, float[] ffnNormBeta) {}
