package io.slaft.transforms.perturb;

/** The kind of unit a perturbation counts and changes. */
public enum PerturbationLevel {
  /** Letters of the raw text. */
  CHARACTER,
  /** Whitespace-separated words of the raw text. */
  WORD,
  /** Token ids of a tokenized sequence. */
  TOKEN
}
