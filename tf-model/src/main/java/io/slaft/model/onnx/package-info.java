/**
 * A minimal ONNX reader on protobuf's wire format, without generated classes or ONNX Runtime:
 * {@link OnnxModel} (memory-mapped; nodes, initializers, inputs and outputs), {@link OnnxNode} and
 * {@link OnnxTensor} (data as views into the file). Errors are
 * {@link io.slaft.model.backbone.ModelFileException}s that name the file.
 */
package io.slaft.model.onnx;
