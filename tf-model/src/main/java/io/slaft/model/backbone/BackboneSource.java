package io.slaft.model.backbone;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a backbone comes from: a built-in one (by id) or any BERT-family ONNX export plus its
 * tokenizer.json.
 *
 * @param builtin the built-in id, or {@code null} for files
 * @param onnx the ONNX file for a file source
 * @param tokenizer the tokenizer.json for a file source
 * @param pooling pooling for sentence vectors
 */
public record BackboneSource(String builtin, Path onnx, Path tokenizer, Pooling pooling) {
  public BackboneSource {
    if (builtin == null) {
      Objects.requireNonNull(onnx, "onnx file is required when no built-in backbone is named");
      Objects.requireNonNull(tokenizer, "an ONNX backbone needs its tokenizer.json");
    }
    Objects.requireNonNull(pooling, "pooling");
  }

  /** A built-in backbone by id, with its native pooling. */
  public static BackboneSource builtin(String id) {
    BuiltinBackbone b = BuiltinBackbone.byId(id);
    return new BackboneSource(b.id(), null, null, b.pooling());
  }

  /** Any BERT-family export. */
  public static BackboneSource files(Path onnx, Path tokenizer, Pooling pooling) {
    return new BackboneSource(null, onnx, tokenizer, pooling);
  }

  /** The id used in records: the built-in id or the ONNX file name. */
  public String displayName() {
    return builtin != null ? builtin : onnx.getFileName().toString();
  }

  Path onnxFile() {
    return builtin != null ? BuiltinBackbone.byId(builtin).onnxFile() : onnx;
  }

  Path tokenizerFile() {
    return builtin != null ? BuiltinBackbone.byId(builtin).tokenizerFile() : tokenizer;
  }
}
