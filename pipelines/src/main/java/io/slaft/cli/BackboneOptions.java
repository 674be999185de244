package io.slaft.cli;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneSource;
import io.slaft.model.backbone.Precision;
import io.slaft.model.backbone.BuiltinBackbone;
import io.slaft.model.backbone.Pooling;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which backbone to use: a built-in one or any BERT-family ONNX export with its tokenizer. */
public final class BackboneOptions {
  @Option(names = "--backbone", defaultValue = "minilm-l6",
      description = "Built-in backbone: minilm-l6 (6 layers) or bge-small (12 layers). Default: ${DEFAULT-VALUE}.")
  String backbone;

  @Option(names = "--onnx", paramLabel = "FILE", description = "Any BERT-family ONNX export (overrides --backbone).")
  Path onnx;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "The tokenizer.json that belongs to --onnx.")
  Path tokenizer;

  @Option(names = "--pooling", description = "cls or mean (default: the backbone's own).")
  Pooling pooling;

  @Option(names = "--max-length", defaultValue = "128", description = "Truncation length in tokens. Default: ${DEFAULT-VALUE}.")
  int maxLength;

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P",
      description = "Precision of the frozen matmuls: auto, fp32 or bf16 (as backbone.precision). Default: ${DEFAULT-VALUE}.")
  String precision;

  /** The chosen backbone loaded with room for {@code maxLength} tokens, in the chosen precision. */
  public Backbone load(int maxLength) {
    return Backbone.load(source(), maxLength).withPrecision(precision());
  }

  /** {@code --precision} resolved on this CPU. */
  public Precision precision() {
    return Precision.resolve(precision);
  }

  /** The chosen source; fails with a usage message when --onnx lacks --tokenizer. */
  public BackboneSource source() {
    if (onnx != null) {
      if (tokenizer == null) {
        throw new IllegalArgumentException("--onnx " + onnx + " needs --tokenizer FILE (the model's tokenizer.json)");
      }
      return BackboneSource.files(onnx, tokenizer, pooling == null ? Pooling.CLS : pooling);
    }
    BuiltinBackbone b = BuiltinBackbone.byId(backbone);
    return new BackboneSource(b.id(), null, null, pooling == null ? b.pooling() : pooling);
  }
}
