/**
 * Seeded input perturbations with a ratio knob, label noise, severity schedules and robustness
 * metrics.
 *
 * <p>Entry points: {@link io.slaft.transforms.perturb.Perturbations} resolves a perturbation by
 * name; {@link io.slaft.transforms.perturb.TextPerturber} and
 * {@link io.slaft.transforms.perturb.TokenPerturber} bind one to a ratio and a global seed and
 * derive the randomness of every example from (seed, perturbation name, example key), so results
 * do not depend on the order or the parallelism in which examples are processed.
 * Everything here is plain Java and {@link java.io.Serializable}, so Beam {@code DoFn}s can hold
 * it.
 */
package io.slaft.transforms.perturb;
