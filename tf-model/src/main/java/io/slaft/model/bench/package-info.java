/**
 * Model benchmarks, reported as medians of interleaved runs: {@link BackboneBenchmark} (the
 * TensorFlow encoder against ONNX Runtime), {@link InferenceBenchmark} (frozen backbone, compact
 * export and unpruned gated model) and {@link TrainBenchmark} (training throughput over the full
 * search space); {@link BenchStats} holds their shared helpers.
 */
package io.slaft.model.bench;
