/**
 * {@link TrackingOverheadBench}: measures how much logging to a real MLflow server slows a
 * training loop, against an untracked baseline.
 */
package io.slaft.tracking.bench;
