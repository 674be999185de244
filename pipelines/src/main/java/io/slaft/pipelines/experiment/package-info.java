/**
 * One experiment, without Beam: {@link ExperimentSpec} binds a validated config into the model
 * library's typed specs, and {@link ExperimentSession} is the one path that builds backbone, data
 * ({@link TaskLoader}) and {@link Provenance} and trains a point into a {@link TrainedPoint}, for
 * {@code train}, {@code run}, {@code robustness}, {@code export} and the benches.
 *
 * <p>{@link ExperimentRunner} runs a configuration end to end into {@link RunRecord}s;
 * {@link RunSummary} is the one writer of {@code summary.json}, whose format is the JSON Schema
 * {@link RunSummary#SCHEMA}; {@link RunDirectory} reads a run directory back.
 */
package io.slaft.pipelines.experiment;
