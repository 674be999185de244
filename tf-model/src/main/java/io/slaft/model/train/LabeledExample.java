package io.slaft.model.train;

import io.slaft.model.tokenize.Encoded;

/**
 * A tokenized example with its target: a class index for classification, a score for regression.
 *
 * @param id stable example id (line number or key), used for seeding per-example randomness
 * @param tokens the encoding
 * @param label class index, or -1 for regression
 * @param score regression target (ignored for classification)
 */
public record LabeledExample(long id, Encoded tokens, int label, float score) {}
