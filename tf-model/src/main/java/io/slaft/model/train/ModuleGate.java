package io.slaft.model.train;

import java.util.Map;

/**
 * A module's learned structure for one task.
 *
 * @param module module id ({@code l3.ffn})
 * @param layer layer
 * @param site site id
 * @param gate gate value at evaluation
 * @param active whether the gate is at or above the threshold
 * @param activation the kept (argmax) activation, or {@code null} for LoRA
 * @param activationWeights softmax weights of the candidates
 * @param width kept bottleneck channels (or LoRA rank)
 */
public record ModuleGate(String module, int layer, String site, double gate, boolean active, String activation,
    Map<String, Double> activationWeights, int width) {}
