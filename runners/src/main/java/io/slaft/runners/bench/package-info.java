/**
 * {@link RunnerOverheadBench}: wall time of one experiment config on the DirectRunner against
 * Beam's FlinkRunner on the embedded MiniCluster, in the same JVM, with a check that both give the
 * same metrics per point.
 */
package io.slaft.runners.bench;
