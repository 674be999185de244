package io.slaft.model.train;

/** Where Gaussian representation noise is injected (σ relative to the tensor's std). */
public enum NoiseSite {
  /** No noise ops in the graph. */
  NONE,
  /** On the embedding output. */
  EMBEDDINGS,
  /** On every layer's output hidden states. */
  HIDDEN
}
