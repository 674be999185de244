package io.slaft.model.train;

import io.slaft.model.adapters.GateFamily;
import java.util.Map;

/**
 * A module's learned structure for one task.
 *
 * @param module module id ({@code l3.ffn})
 * @param layer layer
 * @param site site id
 * @param gate gate value at evaluation of the search
 * @param active whether the gate is at or above the threshold
 * @param activation the kept (argmax) activation, or {@code null} for LoRA and bias modules
 * @param activationWeights softmax weights of the candidates
 * @param width kept bottleneck channels (or LoRA rank, or a bias module's number of deltas)
 */
public record ModuleGate(String module, int layer, String site, double gate, boolean active, String activation,
    Map<String, Double> activationWeights, int width) {

  /**
   * The gate the discrete model (and its export) applies to this module when it is kept: 1 where
   * {@link GateFamily#servesKeptModulesFullyOn}, its gate value otherwise.
   */
  public double servedGate(GateFamily family) {
    return family.servesKeptModulesFullyOn() ? 1.0 : gate;
  }
}
