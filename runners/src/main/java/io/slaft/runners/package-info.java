/**
 * Where a slaft pipeline runs: {@link RunnerChoice} (DirectRunner, embedded Flink, a Flink session
 * cluster), {@link RunnerConfig} (runner, {@link FlinkMaster}, {@link JobJar}, parallelism,
 * {@link RestartPolicy}), applied to Beam {@code PipelineOptions} by {@link Runners}. A cluster
 * that does not answer is a {@link FlinkMasterUnreachableException}.
 */
package io.slaft.runners;
