/**
 * Robustness evaluation of a trained or exported model: {@link RobustnessEvaluator} measures the
 * primary metric, its drop and the prediction-flip rate under every perturbation family and
 * severity of {@link RobustnessSettings}, deterministically per seed, into a
 * {@link RobustnessTable}; {@link RobustnessRun} is the stage end to end ({@code slaft robustness}).
 *
 * <p>{@link EvalModels} is the model as the evaluation sees it, and {@link TrainingDataNoise}
 * applies data-level perturbations and label noise to the training split only.
 */
package io.slaft.pipelines.robustness;
