package io.slaft.model.backbone;

import io.slaft.model.onnx.OnnxModel;
import io.slaft.model.tokenize.TextTokenizer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A loaded frozen backbone: its shape, weights, tokenizer and the {@link Precision} its frozen
 * matmuls compute in (fp32 as loaded; {@link #withPrecision} gives a view that shares the weights).
 * Immutable and thread-safe; loading
 * costs a few seconds and about 2x the model size in memory, so {@link #shared} keeps one per
 * source and JVM for every thread (e.g. every Beam DoFn instance on a worker).
 */
public final class Backbone {
  /**
   * Backbones shared in this JVM, by source, least recently used first; at most {@link
   * #SHARED_LIMIT}, so a long-lived worker that serves runs on many backbones keeps only the ones in
   * use (an evicted backbone is freed once no trainer or model holds it). Immutable values: sharing
   * one between runs cannot change a result.
   */
  private static final int SHARED_LIMIT = 2;
  private static final Map<BackboneSource, Backbone> SHARED = new java.util.LinkedHashMap<>(4, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<BackboneSource, Backbone> eldest) {
      return size() > SHARED_LIMIT;
    }
  };

  private final String name;
  private final BackboneSource source;
  private final Path onnxFile;
  private final BackboneWeights weights;
  private final TextTokenizer tokenizer;
  private final Precision precision;

  private Backbone(String name, BackboneSource source, Path onnxFile, BackboneWeights weights, TextTokenizer tokenizer,
      Precision precision) {
    this.name = name;
    this.source = source;
    this.onnxFile = onnxFile;
    this.weights = weights;
    this.tokenizer = tokenizer;
    this.precision = java.util.Objects.requireNonNull(precision, "precision");
  }

  /** Loads {@code source}; {@code maxLength} is the tokenizer's truncation length. */
  public static Backbone load(BackboneSource source, int maxLength) {
    Path onnx = source.onnxFile();
    OnnxModel.requireReadable(onnx, "ONNX model file", "check the ONNX model path");
    Path tok = source.tokenizerFile();
    OnnxModel.requireReadable(tok, "tokenizer file", "use the tokenizer.json exported with the model");
    BackboneWeights weights = BertOnnxImporter.importWeights(OnnxModel.read(onnx));
    if (maxLength > weights.config().maxPositions()) {
      throw new IllegalArgumentException("max length " + maxLength + " exceeds the model's "
          + weights.config().maxPositions() + " positions (" + onnx + ")");
    }
    TextTokenizer tokenizer = TextTokenizer.load(tok, maxLength);
    tokenizer.checkFits(weights.config().vocabSize(), onnx);
    return new Backbone(source.displayName(), source, onnx, weights, tokenizer, Precision.FP32);
  }

  /** One backbone per (source, max length) and JVM, loaded on first use. */
  public static Backbone shared(BackboneSource source, int maxLength) {
    BackboneSource key = source;
    synchronized (SHARED) {
      Backbone b = SHARED.get(key);
      if (b == null || b.tokenizer.maxLength() != maxLength) {
        b = load(source, maxLength);
        SHARED.put(key, b);
      }
      return b;
    }
  }

  /** A backbone with given weights and tokenizer ({@code null} allowed: tests with tiny random encoders). */
  public static Backbone of(String name, BackboneWeights weights, TextTokenizer tokenizer) {
    return new Backbone(name, null, null, weights, tokenizer, Precision.FP32);
  }

  /** This backbone (same weights and tokenizer, nothing copied) computing its frozen matmuls in {@code p}. */
  public Backbone withPrecision(Precision p) {
    return p == precision ? this : new Backbone(name, source, onnxFile, weights, tokenizer, p);
  }

  /** The precision of the frozen matmuls of every graph built on this backbone. */
  public Precision precision() {
    return precision;
  }

  public String name() {
    return name;
  }

  public BackboneSource source() {
    return source;
  }

  /** The ONNX file the weights came from; {@code null} for in-memory backbones. */
  public Path onnxFile() {
    return onnxFile;
  }

  public BackboneConfig config() {
    return weights.config();
  }

  public BackboneWeights weights() {
    return weights;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The padding id ([PAD]); 0 for in-memory backbones without a tokenizer. */
  public int padId() {
    return tokenizer == null ? 0 : tokenizer.padId();
  }

  public Pooling pooling() {
    return source == null ? Pooling.CLS : source.pooling();
  }
}
