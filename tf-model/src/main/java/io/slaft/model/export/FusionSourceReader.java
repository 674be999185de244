package io.slaft.model.export;

import io.slaft.model.adapters.Activation;
import io.slaft.model.adapters.FusionSources;
import io.slaft.model.adapters.ModuleLayout;
import io.slaft.model.adapters.Site;
import io.slaft.model.backbone.ModelFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AdapterFusion's first stage from exports: every task of every export directory becomes one
 * {@link FusionSources.Source}, its adapters after the FFN by layer (as a {@code pfeiffer} run exports
 * them; the gate is already folded into the weights). An export with any other kind of module, or
 * whose tasks' adapters differ in activation across layers, or trained on another backbone than
 * the others, is refused with the file and the reason.
 */
public final class FusionSourceReader {
  private FusionSourceReader() {}

  /** The sources of {@code exports}, in the given order (tasks in export order); names are made unique by the export's folder name. */
  public static FusionSources read(List<Path> exports) {
    if (exports.isEmpty()) {
      return FusionSources.NONE;
    }
    List<Pending> pending = new ArrayList<>();
    String digest = null;
    Path first = null;
    if (exports.stream().map(p -> p.toAbsolutePath().normalize()).distinct().count() != exports.size()) {
      throw new IllegalArgumentException("adapters.fusion_sources lists an export twice: " + exports
          + "; name each pfeiffer export once");
    }
    for (Path dir : exports) {
      ExportManifest m = CompactModel.manifest(dir);
      if (digest == null) {
        digest = m.backbone().digest();
        first = dir;
      } else if (!digest.equals(m.backbone().digest())) {
        throw new ModelFileException(dir.resolve(ExportManifest.FILE), "trained on backbone digest "
            + m.backbone().digest() + " but " + first + " on " + digest,
            "fuse adapters trained on one backbone (the one this run trains on)");
      }
      Map<String, WeightFile.Tensor> w;
      try {
        w = WeightFile.read(dir.resolve(WeightFile.NAME));
      } catch (IOException e) {
        throw new ModelFileException(dir.resolve(WeightFile.NAME), "cannot read: " + e.getMessage(), "re-export the model", e);
      }
      for (ExportManifest.TaskEntry t : m.tasks()) {
        pending.add(new Pending(dir, t.name(), source(dir, t, w)));
      }
    }
    List<FusionSources.Source> sources = new ArrayList<>();
    for (Pending p : pending) {
      boolean repeated = pending.stream().filter(o -> o.task.equals(p.task)).count() > 1;
      String name = repeated ? p.task + "@" + p.dir.getFileName() : p.task;
      sources.add(new FusionSources.Source(name, p.source.activation(), p.source.layers()));
    }
    return new FusionSources(sources, digest);
  }

  private record Pending(Path dir, String task, FusionSources.Source source) {}

  private static FusionSources.Source source(Path dir, ExportManifest.TaskEntry t, Map<String, WeightFile.Tensor> w) {
    Path file = dir.resolve(ExportManifest.FILE);
    Activation act = null;
    Map<Integer, FusionSources.Adapter> layers = new LinkedHashMap<>();
    for (ExportManifest.ModuleEntry e : t.modules()) {
      if (!e.site().equals(Site.FFN.id())) {
        throw new ModelFileException(file, "task " + t.name() + " has module " + e.module() + " (site " + e.site()
            + "); AdapterFusion fuses adapters after the FFN only", "fuse the exports of pfeiffer runs");
      }
      Activation a = Activation.byId(e.activation());
      if (act != null && a != act) {
        throw new ModelFileException(file, "task " + t.name() + "'s adapters use both " + act.id() + " and " + a.id(),
            "fuse the exports of pfeiffer runs (one activation, relu)");
      }
      act = a;
      String p = TensorNames.module(t.name(), ModuleLayout.Module.idOf(e.layer(), Site.FFN));
      WeightFile.Tensor dw = tensor(w, file, p + TensorNames.DOWN_W);
      layers.put(e.layer(), new FusionSources.Adapter(dw.shape()[1], dw.values(), tensor(w, file, p + TensorNames.DOWN_B).values(),
          tensor(w, file, p + TensorNames.UP_W).values(), tensor(w, file, p + TensorNames.UP_B).values()));
    }
    if (layers.isEmpty()) {
      throw new ModelFileException(file, "task " + t.name() + " kept no adapter", "fuse the exports of pfeiffer runs");
    }
    return new FusionSources.Source(t.name(), act, layers);
  }

  private static WeightFile.Tensor tensor(Map<String, WeightFile.Tensor> w, Path file, String name) {
    WeightFile.Tensor t = w.get(name);
    if (t == null) {
      throw new ModelFileException(file, "weights.bin has no tensor " + name, "re-export the model");
    }
    return t;
  }
}
