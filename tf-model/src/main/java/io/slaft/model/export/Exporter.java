package io.slaft.model.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.slaft.files.AtomicFiles;
import io.slaft.model.adapters.ModuleLayout.Module;
import io.slaft.model.adapters.Site;
import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneSource;
import io.slaft.model.graph.AdapterOps;
import io.slaft.model.graph.EncoderHooks;
import io.slaft.model.runtime.TensorData;
import io.slaft.model.runtime.TfRuntime;
import io.slaft.model.train.ModuleGate;
import io.slaft.model.train.SlotNames;
import io.slaft.model.train.TrainTask;
import io.slaft.model.train.Trainer;
import io.slaft.model.train.TrainingGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Discretizes a trained structure and writes an export directory: {@code export.json} (backbone
 * reference, tasks, per-task structure, provenance), {@code structure.json} (the same structure
 * with every module's gate and activation weights, for people) and {@code weights.bin} with only
 * the kept adapter and head weights — closed modules and removed channels are gone, each gate
 * value and channel gate is folded into the up-projection (or LoRA B, or a bias module's deltas),
 * a prefix module's MLP is folded into its keys and values, and no backbone weight is copied.
 */
public final class Exporter {
  /** Every file an export directory holds (what copies and artifact uploads take). */
  public static final java.util.List<String> FILES = java.util.List.of(ExportManifest.FILE, ExportManifest.STRUCTURE_FILE, WeightFile.NAME);
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Exporter() {}

  /**
   * A prefix module's keys and values for {@code task}: its reparameterisation MLP run once, by the
   * same {@link AdapterOps#prefixKeyValues} the training graph runs every step.
   */
  private static float[][] foldPrefix(Trainer trainer, Module m, String task) {
    try (Graph graph = new Graph()) {
      Ops tf = TfRuntime.ops(graph);
      List<Operand<TFloat32>> kv = AdapterOps.prefixKeyValues(tf, slot(tf, trainer, m, SlotNames.PREFIX_EMB, task),
          slot(tf, trainer, m, SlotNames.PREFIX_W1, task), slot(tf, trainer, m, SlotNames.PREFIX_B1, task),
          slot(tf, trainer, m, SlotNames.PREFIX_WK, task), slot(tf, trainer, m, SlotNames.PREFIX_BK, task),
          slot(tf, trainer, m, SlotNames.PREFIX_WV, task), slot(tf, trainer, m, SlotNames.PREFIX_BV, task));
      try (Session session = TfRuntime.newSession(graph);
           Result r = session.runner().fetch(kv.get(0)).fetch(kv.get(1)).run()) {
        return new float[][] {TensorData.floats((TFloat32) r.get(0)), TensorData.floats((TFloat32) r.get(1))};
      }
    }
  }

  private static Operand<TFloat32> slot(Ops tf, Trainer trainer, Module m, String part, String task) {
    String name = SlotNames.of(m, part);
    int[] dims = trainer.slotShape(name);
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
    }
    return tf.constant(Shape.of(shape), DataBuffers.of(trainer.value(name, task), true, false));
  }

  /**
   * @param labels class names per task (empty list for regression tasks)
   * @param provenance config hash, data digest, seed, git commit, ...
   * @throws IllegalArgumentException for a method whose result has no compact form (see
   *     {@link io.slaft.model.adapters.SearchSpace#exportable()})
   */
  public static Path export(Trainer trainer, Map<String, List<String>> labels, Map<String, String> provenance, Path dir) {
    if (!trainer.spec().space().exportable()) {
      throw new IllegalArgumentException("method '" + trainer.spec().method() + "' cannot be exported as a compact"
          + " adapter model: its gates depend on the input or it changes the backbone itself; evaluate it with"
          + " slaft train (summary.json) instead");
    }
    Backbone backbone = trainer.backbone();
    BackboneSource src = backbone.source();
    int h = backbone.config().hidden();
    var space = trainer.spec().space();
    Map<String, WeightFile.Tensor> tensors = new LinkedHashMap<>();
    List<ExportManifest.TaskEntry> entries = new ArrayList<>();
    Map<String, Object> human = new LinkedHashMap<>();
    for (TrainTask task : trainer.tasks()) {
      String t = task.name();
      List<ModuleGate> structure = trainer.structure(t);
      float[][] channels = trainer.channelGates(t);
      List<ExportManifest.ModuleEntry> modules = new ArrayList<>();
      for (Module m : trainer.layout().modules()) {
        ModuleGate g = structure.get(m.index());
        if (!g.active()) {
          continue;
        }
        String name = TensorNames.module(t, m.id());
        float z = (float) g.servedGate(trainer.spec().sparsity().family());
        if (m.site().isBottleneck()) {
          float[] c = channels[m.bottleneckIndex()];
          List<Integer> kept = new ArrayList<>();
          for (int k = 0; k < c.length; k++) {
            if (c[k] > 0) {
              kept.add(k);
            }
          }
          int r = space.bottleneck();
          int w = kept.size();
          float[] dw = trainer.value(SlotNames.of(m, SlotNames.DOWN_W), t);
          float[] db = trainer.value(SlotNames.of(m, SlotNames.DOWN_B), t);
          float[] uw = trainer.value(SlotNames.of(m, SlotNames.UP_W), t);
          float[] ub = trainer.value(SlotNames.of(m, SlotNames.UP_B), t);
          float[] dw2 = new float[h * w];
          float[] db2 = new float[w];
          float[] uw2 = new float[w * h];
          for (int j = 0; j < w; j++) {
            int k = kept.get(j);
            for (int i = 0; i < h; i++) {
              dw2[i * w + j] = dw[i * r + k];
              uw2[j * h + i] = uw[k * h + i] * c[k] * z;
            }
            db2[j] = db[k];
          }
          float[] ub2 = new float[h];
          for (int i = 0; i < h; i++) {
            ub2[i] = ub[i] * z;
          }
          tensors.put(name + TensorNames.DOWN_W, new WeightFile.Tensor(new int[] {h, w}, dw2));
          tensors.put(name + TensorNames.DOWN_B, new WeightFile.Tensor(new int[] {w}, db2));
          tensors.put(name + TensorNames.UP_W, new WeightFile.Tensor(new int[] {w, h}, uw2));
          tensors.put(name + TensorNames.UP_B, new WeightFile.Tensor(new int[] {h}, ub2));
          modules.add(new ExportManifest.ModuleEntry(m.id(), m.layer(), m.site().id(), g.gate(), g.activation(), w));
        } else if (m.site() == Site.BIAS) {
          for (String role : EncoderHooks.BIAS_ROLES) {
            float[] d = trainer.value(SlotNames.biasDelta(m, role), t).clone();
            for (int i = 0; i < d.length; i++) {
              d[i] *= z;
            }
            tensors.put(name + role, new WeightFile.Tensor(new int[] {d.length}, d));
          }
          modules.add(new ExportManifest.ModuleEntry(m.id(), m.layer(), m.site().id(), g.gate(), null, g.width()));
        } else if (m.site() == Site.FUSION) {
          var sources = space.fusion().sources();
          String[][] parts = {{SlotNames.DOWN_W, TensorNames.DOWN_W}, {SlotNames.DOWN_B, TensorNames.DOWN_B},
              {SlotNames.UP_W, TensorNames.UP_W}, {SlotNames.UP_B, TensorNames.UP_B}};
          for (int n = 0; n < sources.size(); n++) {
            for (String[] part : parts) {
              String slot = SlotNames.fusionSource(m, n, part[0]);
              tensors.put(name + TensorNames.fusionSource(n, part[1]),
                  new WeightFile.Tensor(trainer.slotShape(slot), trainer.value(slot, t).clone()));
            }
          }
          tensors.put(name + TensorNames.FUSION_QUERY_W, new WeightFile.Tensor(new int[] {h, h},
              trainer.value(SlotNames.of(m, SlotNames.FUSION_QUERY_W), t).clone()));
          tensors.put(name + TensorNames.FUSION_QUERY_B, new WeightFile.Tensor(new int[] {h},
              trainer.value(SlotNames.of(m, SlotNames.FUSION_QUERY_B), t).clone()));
          tensors.put(name + TensorNames.FUSION_KEY_W, new WeightFile.Tensor(new int[] {h, h},
              trainer.value(SlotNames.of(m, SlotNames.FUSION_KEY_W), t).clone()));
          tensors.put(name + TensorNames.FUSION_KEY_B, new WeightFile.Tensor(new int[] {h},
              trainer.value(SlotNames.of(m, SlotNames.FUSION_KEY_B), t).clone()));
          // the served value projection: (I + fv) as the training graph adds it, times the gate
          float[] value = trainer.value(SlotNames.of(m, SlotNames.FUSION_VALUE), t).clone();
          for (int i = 0; i < h; i++) {
            value[i * h + i] += 1f;
          }
          for (int i = 0; i < value.length; i++) {
            value[i] *= z;
          }
          tensors.put(name + TensorNames.FUSION_VALUE, new WeightFile.Tensor(new int[] {h, h}, value));
          // the sources' activations, in source order, where a bottleneck module names its one activation
          String acts = sources.stream().map(source -> source.activation().id()).collect(java.util.stream.Collectors.joining(","));
          modules.add(new ExportManifest.ModuleEntry(m.id(), m.layer(), m.site().id(), g.gate(), acts, sources.size()));
        } else if (m.site() == Site.PREFIX) {
          int p = space.prefixLength();
          float[][] kv = foldPrefix(trainer, m, t);
          tensors.put(name + TensorNames.PREFIX_K, new WeightFile.Tensor(new int[] {p, h}, kv[0]));
          tensors.put(name + TensorNames.PREFIX_V, new WeightFile.Tensor(new int[] {p, h}, kv[1]));
          if (z != 1f) {
            tensors.put(name + TensorNames.PREFIX_LOG_GATE, new WeightFile.Tensor(new int[] {1},
                new float[] {(float) Math.log(Math.max(z, TrainingGraph.PREFIX_MIN_GATE))}));
          }
          modules.add(new ExportManifest.ModuleEntry(m.id(), m.layer(), m.site().id(), g.gate(), null, p));
        } else {
          int r = space.loraRank();
          float scale = z * space.loraScale();
          String[][] parts = {{SlotNames.LORA_AQ, SlotNames.LORA_BQ, TensorNames.LORA_AQ, TensorNames.LORA_BQ},
              {SlotNames.LORA_AV, SlotNames.LORA_BV, TensorNames.LORA_AV, TensorNames.LORA_BV}};
          for (String[] part : parts) {
            float[] a = trainer.value(SlotNames.of(m, part[0]), t);
            float[] b = trainer.value(SlotNames.of(m, part[1]), t).clone();
            for (int i = 0; i < b.length; i++) {
              b[i] *= scale;
            }
            tensors.put(name + part[2], new WeightFile.Tensor(new int[] {h, r}, a.clone()));
            tensors.put(name + part[3], new WeightFile.Tensor(new int[] {r, h}, b));
          }
          modules.add(new ExportManifest.ModuleEntry(m.id(), m.layer(), m.site().id(), g.gate(), null, r));
        }
      }
      if (space.bitfit()) {
        for (int l = 0; l < backbone.config().layers(); l++) {
          for (String role : EncoderHooks.BIAS_ROLES) {
            float[] v = trainer.value(SlotNames.bitfit(l, role), t);
            tensors.put(TensorNames.bitfit(t, l, role), new WeightFile.Tensor(new int[] {v.length}, v.clone()));
          }
        }
      }
      int outs = task.outputs();
      float[] hw = trainer.value(SlotNames.HEAD_W, t);
      float[] hb = trainer.value(SlotNames.HEAD_B, t);
      int maxOut = hb.length;
      float[] w2 = new float[h * outs];
      for (int i = 0; i < h; i++) {
        System.arraycopy(hw, i * maxOut, w2, i * outs, outs);
      }
      tensors.put(TensorNames.head(t, "head_w"), new WeightFile.Tensor(new int[] {h, outs}, w2));
      tensors.put(TensorNames.head(t, "head_b"), new WeightFile.Tensor(new int[] {outs}, java.util.Arrays.copyOf(hb, outs)));
      long activeParams = 0;
      for (Map.Entry<String, WeightFile.Tensor> e : tensors.entrySet()) {
        if (e.getKey().startsWith(t + "/")) {
          activeParams += e.getValue().values().length;
        }
      }
      entries.add(new ExportManifest.TaskEntry(t, labels.getOrDefault(t, List.of()), task.isRegression(), modules, activeParams));
      Map<String, Object> tHuman = new LinkedHashMap<>();
      tHuman.put("active_modules", modules);
      tHuman.put("all_modules", structure);
      tHuman.put("active_params", activeParams);
      human.put(t, tHuman);
    }
    ExportManifest.BackboneRef ref = src == null
        ? new ExportManifest.BackboneRef(null, null, null, backbone.pooling().name(), 0, backbone.weights().digest(),
            backbone.precision().id())
        : new ExportManifest.BackboneRef(src.builtin(),
            src.onnx() == null ? null : src.onnx().toAbsolutePath().toString(),
            src.tokenizer() == null ? null : src.tokenizer().toAbsolutePath().toString(),
            src.pooling().name(), backbone.tokenizer().maxLength(), backbone.weights().digest(), backbone.precision().id());
    ExportManifest manifest = new ExportManifest(ExportManifest.FORMAT, ExportManifest.VERSION, ref, entries, provenance);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("tasks", human);
    s.put("provenance", provenance);
    try {
      AtomicFiles.replaceDirectory(dir, tmp -> {
        WeightFile.write(tmp.resolve(WeightFile.NAME), tensors);
        AtomicFiles.writeBytes(tmp.resolve(ExportManifest.STRUCTURE_FILE), JSON.writeValueAsBytes(s));
        AtomicFiles.writeBytes(tmp.resolve(ExportManifest.FILE), JSON.writeValueAsBytes(manifest));
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the export to " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }
}
