package io.slaft.model.backbone;

import io.slaft.model.onnx.OnnxModel;
import io.slaft.model.onnx.OnnxNode;
import io.slaft.model.onnx.OnnxTensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an ONNX export of a BERT-family encoder (HF transformers / optimum naming) into
 * {@link BackboneWeights}. The unnamed MatMul weights ({@code onnx::MatMul_NNN}) are mapped to
 * layer and role through the MatMul node that consumes them; the shape (layers, hidden, heads,
 * FFN size, LayerNorm epsilon) is read from the graph.
 *
 * <p>Refuses, with a {@link ModelFileException} naming the file and the problem, anything it
 * cannot rebuild exactly: unknown ops, a non-erf GELU, missing tensors, wrong shapes.
 */
public final class BertOnnxImporter {
  /** Ops that appear in BERT-family encoder exports and that the TF rebuild reproduces. */
  static final Set<String> SUPPORTED_OPS = Set.of(
      "Constant", "Add", "Gather", "Unsqueeze", "Squeeze", "Shape", "MatMul", "Mul", "ReduceMean",
      "Div", "Concat", "Reshape", "Transpose", "Sub", "Pow", "Sqrt", "Softmax", "Erf", "Cast",
      "Slice", "LayerNormalization", "Identity", "Where", "Equal", "Expand", "ConstantOfShape",
      "Not", "Gemm");

  private static final Pattern MATMUL = Pattern.compile(
      "/encoder/layer\\.(\\d+)/(attention/self/query|attention/self/key|attention/self/value"
          + "|attention/output/dense|intermediate/dense|output/dense)/MatMul");
  private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");
  private static final String FIX_EXPORT =
      "export a BERT-family encoder with HF optimum or torch.onnx (e.g. optimum-cli export onnx "
          + "--model sentence-transformers/all-MiniLM-L6-v2 DIR) and pass it with --onnx";

  private BertOnnxImporter() {}

  /** Imports weights and config from a parsed model. */
  public static BackboneWeights importWeights(OnnxModel model) {
    var file = model.file();
    Set<String> unsupported = new TreeSet<>();
    for (OnnxNode n : model.nodes()) {
      if (!SUPPORTED_OPS.contains(n.opType())) {
        unsupported.add(n.opType());
      }
    }
    if (!unsupported.isEmpty()) {
      throw new ModelFileException(file, "unsupported ops " + unsupported
          + ": this is not a plain BERT-family encoder slaft can rebuild exactly", FIX_EXPORT);
    }
    Map<String, OnnxTensor> init = model.initializers();
    Map<String, OnnxTensor> constants = new HashMap<>(init);
    for (OnnxNode n : model.nodes()) {
      if (n.opType().equals("Constant") && n.tensorAttributes().containsKey("value")) {
        constants.put(n.outputs().get(0), n.tensorAttributes().get("value"));
      }
    }

    OnnxTensor word = require(file, init, "embeddings.word_embeddings.weight");
    OnnxTensor pos = require(file, init, "embeddings.position_embeddings.weight");
    OnnxTensor type = require(file, init, "embeddings.token_type_embeddings.weight");
    long[] wd = word.dims();
    if (wd.length != 2) {
      throw new ModelFileException(file, "word embeddings are not 2-D", FIX_EXPORT);
    }
    int hidden = (int) wd[1];

    Set<Integer> layerIds = new TreeSet<>();
    for (String name : init.keySet()) {
      Matcher m = LAYER.matcher(name);
      if (m.find()) {
        layerIds.add(Integer.parseInt(m.group(1)));
      }
    }
    int layers = layerIds.size();
    if (layers == 0 || !layerIds.contains(layers - 1)) {
      throw new ModelFileException(file, "no encoder.layer.N.* tensors found (or layer numbers have gaps)",
          FIX_EXPORT);
    }

    Map<String, OnnxTensor> matmuls = new HashMap<>();
    for (OnnxNode n : model.nodes()) {
      if (!n.opType().equals("MatMul")) {
        continue;
      }
      Matcher m = MATMUL.matcher(n.name());
      if (m.matches() && n.inputs().size() == 2 && init.containsKey(n.inputs().get(1))) {
        matmuls.put(m.group(1) + "/" + m.group(2), init.get(n.inputs().get(1)));
      }
    }
    int heads = readHeads(model, constants, hidden);
    float eps = readEps(model, constants);
    checkGelu(model, layers);

    OnnxTensor ffn0 = matmul(file, matmuls, 0, "intermediate/dense");
    int intermediate = (int) ffn0.dims()[1];
    BackboneConfig config = new BackboneConfig(layers, hidden, heads, intermediate,
        (int) wd[0], (int) pos.dims()[0], (int) type.dims()[0], eps);

    List<LayerWeights> lw = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      String p = "encoder.layer." + i + ".";
      lw.add(new LayerWeights(
          floats(file, matmul(file, matmuls, i, "attention/self/query"), hidden, hidden),
          floats(file, require(file, init, p + "attention.self.query.bias"), hidden),
          floats(file, matmul(file, matmuls, i, "attention/self/key"), hidden, hidden),
          floats(file, require(file, init, p + "attention.self.key.bias"), hidden),
          floats(file, matmul(file, matmuls, i, "attention/self/value"), hidden, hidden),
          floats(file, require(file, init, p + "attention.self.value.bias"), hidden),
          floats(file, matmul(file, matmuls, i, "attention/output/dense"), hidden, hidden),
          floats(file, require(file, init, p + "attention.output.dense.bias"), hidden),
          floats(file, require(file, init, p + "attention.output.LayerNorm.weight"), hidden),
          floats(file, require(file, init, p + "attention.output.LayerNorm.bias"), hidden),
          floats(file, matmul(file, matmuls, i, "intermediate/dense"), hidden, intermediate),
          floats(file, require(file, init, p + "intermediate.dense.bias"), intermediate),
          floats(file, matmul(file, matmuls, i, "output/dense"), intermediate, hidden),
          floats(file, require(file, init, p + "output.dense.bias"), hidden),
          floats(file, require(file, init, p + "output.LayerNorm.weight"), hidden),
          floats(file, require(file, init, p + "output.LayerNorm.bias"), hidden)));
    }
    return new BackboneWeights(config,
        floats(file, word, config.vocabSize(), hidden),
        floats(file, pos, config.maxPositions(), hidden),
        floats(file, type, config.typeVocabSize(), hidden),
        floats(file, require(file, init, "embeddings.LayerNorm.weight"), hidden),
        floats(file, require(file, init, "embeddings.LayerNorm.bias"), hidden),
        lw);
  }

  private static int readHeads(OnnxModel model, Map<String, OnnxTensor> constants, int hidden) {
    for (OnnxNode n : model.nodes()) {
      if (n.name().equals("/encoder/layer.0/attention/self/Div") && n.inputs().size() == 2) {
        OnnxTensor c = constants.get(n.inputs().get(1));
        if (c != null && c.elementCount() == 1) {
          double scale = c.scalar();
          int headDim = (int) Math.round(scale * scale);
          if (headDim > 0 && hidden % headDim == 0 && Math.abs(Math.sqrt(headDim) - scale) < 1e-3) {
            return hidden / headDim;
          }
        }
      }
    }
    for (OnnxNode n : model.nodes()) {
      if (n.opType().equals("Reshape") && n.name().startsWith("/encoder/layer.0/attention/self/")) {
        for (OnnxNode c : model.nodes()) {
          if (c.opType().equals("Concat") && c.outputs().contains(n.inputs().get(1)) && c.inputs().size() == 4) {
            OnnxTensor h = constants.get(c.inputs().get(2));
            if (h != null && h.elementCount() == 1) {
              return (int) h.longs()[0];
            }
          }
        }
      }
    }
    throw new ModelFileException(model.file(),
        "cannot find the number of attention heads (no /encoder/layer.0/attention/self/Div scale "
            + "and no head-split Reshape)", FIX_EXPORT);
  }

  private static float readEps(OnnxModel model, Map<String, OnnxTensor> constants) {
    for (OnnxNode n : model.nodes()) {
      if (n.opType().equals("LayerNormalization")) {
        return n.numberAttributes().getOrDefault("epsilon", 1e-5).floatValue();
      }
      if (n.opType().equals("Add") && n.name().equals("/embeddings/LayerNorm/Add") && n.inputs().size() == 2) {
        OnnxTensor c = constants.get(n.inputs().get(1));
        if (c != null && c.elementCount() == 1) {
          return (float) c.scalar();
        }
      }
    }
    throw new ModelFileException(model.file(), "cannot find the LayerNorm epsilon", FIX_EXPORT);
  }

  private static void checkGelu(OnnxModel model, int layers) {
    int erf = 0;
    for (OnnxNode n : model.nodes()) {
      if (n.opType().equals("Erf") && n.name().contains("/intermediate/")) {
        erf++;
      }
    }
    if (erf != layers) {
      throw new ModelFileException(model.file(), "the FFN activation is not exact (erf) GELU in every layer ("
          + erf + " Erf nodes for " + layers + " layers)", FIX_EXPORT);
    }
  }

  private static OnnxTensor require(java.nio.file.Path file, Map<String, OnnxTensor> init, String name) {
    OnnxTensor t = init.get(name);
    if (t == null) {
      throw new ModelFileException(file, "missing tensor '" + name + "': not a BERT-family export", FIX_EXPORT);
    }
    return t;
  }

  private static OnnxTensor matmul(java.nio.file.Path file, Map<String, OnnxTensor> m, int layer, String role) {
    OnnxTensor t = m.get(layer + "/" + role);
    if (t == null) {
      throw new ModelFileException(file, "no MatMul node '/encoder/layer." + layer + "/" + role
          + "/MatMul' with a weight initializer", FIX_EXPORT);
    }
    return t;
  }

  private static float[] floats(java.nio.file.Path file, OnnxTensor t, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (t.dataType() != OnnxTensor.FLOAT) {
      throw new ModelFileException(file, "tensor '" + t.name() + "' has data_type " + t.dataType()
          + ", expected float32", "export the model in fp32 (no quantization)");
    }
    if (t.elementCount() != n || !t.isComplete()) {
      throw new ModelFileException(file, "tensor '" + t.name() + "' has " + t.data().remaining() / 4
          + " floats for shape " + java.util.Arrays.toString(t.dims()) + ", expected " + n
          + " (file corrupt or truncated)", "re-download or re-export the model");
    }
    FloatBuffer fb = t.floats();
    float[] a = new float[(int) n];
    fb.get(a);
    return a;
  }
}
