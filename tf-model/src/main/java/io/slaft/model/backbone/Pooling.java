package io.slaft.model.backbone;

/** How token states become one sentence vector. */
public enum Pooling {
  /** The first ([CLS]) token's state. */
  CLS,
  /** Mean over the non-padding tokens. */
  MEAN
}
