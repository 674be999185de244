package io.slaft.model.export;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.slaft.model.backbone.BackboneSource;
import io.slaft.model.backbone.Pooling;
import io.slaft.model.backbone.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code export.json}: what an export needs besides its weights — the backbone to load (by
 * built-in id or file path, with its digest, never a copy), tasks with their label names, the
 * discretized structure per task, and provenance.
 *
 * @param format always {@code slaft-export}
 * @param version format version
 * @param backbone backbone reference
 * @param tasks tasks in the export
 * @param provenance config hash, data digest, seed, git commit, ...
 */
public record ExportManifest(String format, int version, BackboneRef backbone, List<TaskEntry> tasks,
    Map<String, String> provenance) {
  /** The manifest's file name in an export directory; its presence makes a directory an export. */
  public static final String FILE = "export.json";
  /** The human-readable structure beside it. */
  public static final String STRUCTURE_FILE = "structure.json";
  public static final String FORMAT = "slaft-export";
  public static final int VERSION = 1;

  /**
   * The frozen backbone an export was trained on, and the precision of its frozen matmuls (a
   * {@link io.slaft.model.backbone.Precision} id; absent in exports written before it existed: fp32).
   * The export is served in that precision.
   */
  public record BackboneRef(String builtin, String onnx, String tokenizer, String pooling, int maxLength, String digest,
      String precision) {
    /**
     * Where to load the backbone from.
     *
     * @throws IllegalArgumentException naming {@code exportDir} when the export was written from an in-memory
     *     backbone (tests), which only the same {@code Backbone} object can serve
     */
    public BackboneSource source(Path exportDir) {
      if (builtin == null && onnx == null) {
        throw new IllegalArgumentException(exportDir + " was exported from an in-memory backbone and cannot be reloaded;"
            + " load it with the same Backbone object");
      }
      return builtin != null ? new BackboneSource(builtin, null, null, Pooling.valueOf(pooling))
          : BackboneSource.files(Path.of(onnx), Path.of(tokenizer), Pooling.valueOf(pooling));
    }

    /** The precision the export is served in: {@link #precision}, fp32 when absent. */
    @JsonIgnore
    public Precision servedPrecision() {
      return Precision.byId(precision);
    }
  }

  /** One task: its head and its discretized structure. */
  public record TaskEntry(String name, List<String> labels, boolean regression, List<ModuleEntry> modules,
      long activeParams) {}

  /**
   * One active module after discretization.
   *
   * @param module id ({@code l3.ffn})
   * @param layer layer
   * @param site site id
   * @param gate the gate value folded into the weights
   * @param activation kept activation (bottleneck modules); a fusion module's sources' activations,
   *     comma-separated in source order
   * @param width kept channels (bottleneck), LoRA rank, a bias module's number of deltas, or a fusion
   *     module's number of sources
   */
  public record ModuleEntry(String module, int layer, String site, double gate, String activation, int width) {}
}
