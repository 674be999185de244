/**
 * The BERT-family encoder as a TensorFlow graph: {@link BertEncoderGraph} builds it with the
 * backbone weights as frozen constants, following the HF/ONNX export op for op, and adapters and
 * noise enter through the {@link EncoderHooks} it calls while building each layer.
 */
package io.slaft.model.graph;
