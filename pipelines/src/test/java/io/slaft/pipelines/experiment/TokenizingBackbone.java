package io.slaft.pipelines.experiment;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneConfig;
import io.slaft.model.backbone.BackboneWeights;
import io.slaft.model.backbone.BuiltinBackbone;
import io.slaft.model.tokenize.TextTokenizer;

/** A backbone for tests that only read tasks: loading tasks tokenizes and never runs the model, so tiny random weights do. */
final class TokenizingBackbone {
  private TokenizingBackbone() {}

  /** MiniLM's tokenizer (max length 32) on a tiny random model. */
  static Backbone create() {
    return Backbone.of("tiny", BackboneWeights.random(BackboneConfig.tiny(2, 16, 2, 40), 11),
        TextTokenizer.load(BuiltinBackbone.MINILM_L6.tokenizerFile(), 32));
  }
}
