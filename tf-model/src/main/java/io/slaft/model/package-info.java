/**
 * The model side of slaft: a frozen pretrained BERT-family backbone rebuilt in TensorFlow Java,
 * structure-learnable gated adapters, their trainer, and pruning/merging/export. Knows nothing of
 * Beam or MLflow.
 */
package io.slaft.model;
