package io.slaft.model.onnx;

import java.util.List;
import java.util.Map;

/**
 * One ONNX {@code NodeProto}, with the attributes slaft reads (tensor-valued ones, used by
 * {@code Constant} nodes, and int/float ones).
 */
public record OnnxNode(
    String name,
    String opType,
    List<String> inputs,
    List<String> outputs,
    Map<String, OnnxTensor> tensorAttributes,
    Map<String, Double> numberAttributes) {

  public OnnxNode {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    tensorAttributes = Map.copyOf(tensorAttributes);
    numberAttributes = Map.copyOf(numberAttributes);
  }
}
