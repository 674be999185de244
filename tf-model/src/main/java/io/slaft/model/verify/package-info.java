/**
 * Parity of the TensorFlow rebuild of a backbone with ONNX Runtime on the original export:
 * {@link BackboneParity} compares them over varied inputs into a {@link ParityReport}, and
 * {@link OnnxReference} is the ONNX Runtime reference, used for verification and benchmarks only,
 * never on the training or inference path.
 */
package io.slaft.model.verify;
