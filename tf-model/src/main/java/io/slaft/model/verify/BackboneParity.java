package io.slaft.model.verify;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.inference.FrozenEncoder;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.tokenize.Encoded;
import io.slaft.model.tokenize.TextTokenizer;
import io.slaft.model.tokenize.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Compares the TensorFlow rebuild of a backbone with ONNX Runtime on the original export, over a
 * fixed set of varied inputs: single sentences, sentence pairs, inputs truncated at the maximum
 * length, unicode, and mixed lengths padded within one batch.
 */
public final class BackboneParity {
  /** Single sentences: short, long, punctuation, unicode, numbers. */
  static final List<String> SINGLES = List.of(
      "the movie was great .",
      "A gripping, beautifully acted drama that never lets go.",
      "it 's a charming and often affecting journey .",
      "Unflinchingly bleak and desperate",
      "Café crème brûlée à la carte — naïve façade, Zürich.",
      "東京は日本の首都です。",
      "Emoji test 😀🎉 with mixed scripts: Привет мир, مرحبا",
      "1234567890 3.14159 $100 50% #hashtag @user",
      "OK",
      "",
      "\"Quoted\" text with 'single' quotes and (parentheses) [brackets] {braces}",
      "This sentence repeats. This sentence repeats. This sentence repeats. This sentence repeats.");

  /** Sentence pairs (token type ids 0 and 1). */
  static final List<String[]> PAIRS = List.of(
      new String[] {"A man is playing a guitar.", "A person plays an instrument."},
      new String[] {"What is the capital of France?", "Paris is the capital and largest city of France."},
      new String[] {"The cat sat on the mat.", "Dogs are loyal animals that love their owners very much."},
      new String[] {"He said he would come.", "He didn't come."},
      new String[] {"Short.", "A considerably longer second segment that goes on and on to make the pair uneven in length."});

  private BackboneParity() {}

  /** Long texts that exceed the maximum length and are truncated. */
  static List<String> longTexts(int maxLength) {
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < maxLength; i++) {
      a.append("word").append(i).append(' ');
      b.append(i % 2 == 0 ? "the quick brown fox " : "jumps over the lazy dog ");
    }
    return List.of(a.toString(), b.toString(), "unicode " + "ñ é ü 中 ".repeat(maxLength));
  }

  /**
   * Runs every case through both engines (slaft's in {@code backbone}'s precision, ONNX Runtime in
   * fp32) and reports the worst cosine and element difference.
   */
  public static ParityReport run(Backbone backbone, Consumer<String> progress) {
    TextTokenizer tok = backbone.tokenizer();
    List<Encoded> all = new ArrayList<>();
    for (String s : SINGLES) {
      all.add(tok.encode(s));
    }
    for (String[] p : PAIRS) {
      all.add(tok.encode(p[0], p[1]));
    }
    for (String s : longTexts(tok.maxLength())) {
      all.add(tok.encode(s));
    }
    all.add(tok.encode(longTexts(tok.maxLength()).get(1), "and a pair that must also be truncated " .repeat(20)));
    List<List<Encoded>> batches = new ArrayList<>();
    for (Encoded e : all) {
      batches.add(List.of(e));
    }
    batches.add(all);
    batches.add(all.subList(0, SINGLES.size()));

    double cosMin = 1;
    double maxDiff = 0;
    long tokens = 0;
    int h = backbone.config().hidden();
    try (FrozenEncoder tf = new FrozenEncoder(backbone);
         OnnxReference ort = new OnnxReference(backbone.onnxFile(), TfRuntime.intraOpThreads())) {
      int n = 0;
      for (List<Encoded> rows : batches) {
        TokenBatch b = TokenBatch.pad(rows, tok.padId());
        float[] y = ort.hidden(b);
        // Each batch runs twice: a shape's first run may use TensorFlow's kernels op by op and a later
        // one the XLA-compiled cluster (TfRuntime); the served encoder is whichever runs, so both count.
        for (int run = 0; run < 2; run++) {
          float[] x = tf.hidden(b);
          if (x.length != y.length) {
            throw new IllegalStateException("output sizes differ: TF " + x.length + " vs ONNX Runtime " + y.length);
          }
          for (int t = 0; t < b.batch() * b.length(); t++) {
            if (b.mask()[t] == 0) {
              continue;
            }
            double dot = 0;
            double nx = 0;
            double ny = 0;
            for (int k = 0; k < h; k++) {
              double xi = x[t * h + k];
              double yi = y[t * h + k];
              dot += xi * yi;
              nx += xi * xi;
              ny += yi * yi;
              maxDiff = Math.max(maxDiff, Math.abs(xi - yi));
            }
            cosMin = Math.min(cosMin, dot / Math.sqrt(nx * ny));
            tokens += run == 0 ? 1 : 0;
          }
        }
        n++;
        progress.accept(String.format(java.util.Locale.ROOT, "batch %d/%d: %d rows x %d tokens, cosine_min so far %.7f",
            n, batches.size(), b.batch(), b.length(), cosMin));
      }
    }
    return new ParityReport(backbone.name(), backbone.precision(), all.size(), tokens, cosMin, maxDiff);
  }
}
