package io.slaft.transforms.perturb;

import java.io.Serializable;

/**
 * A named input perturbation with a ratio knob.
 *
 * <p>Contract shared by every implementation: ratio 0 returns the input unchanged; a ratio
 * {@code r} in (0, 1] changes exactly {@code round(r × units)} distinct units, except the adjacent
 * swaps, which displace units in pairs: an even number within 2 of {@code r × units} and exact in
 * expectation (fewer only when the input has too few swappable pairs); the outcome is a pure
 * function of the input, the ratio and the random stream passed in. For a fixed random stream the
 * units changed at a lower ratio are a subset of those changed at a higher ratio, so severity
 * curves are nested. Implementations are immutable, thread-safe and serializable.
 */
public interface Perturbation extends Serializable {

  /** The registry name, for example {@code char-swap}; see {@link Perturbations#names()}. */
  String name();

  /** The unit this perturbation counts and changes. */
  PerturbationLevel level();
}
