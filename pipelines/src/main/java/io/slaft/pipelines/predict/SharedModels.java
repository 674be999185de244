package io.slaft.pipelines.predict;

import io.slaft.model.export.CompactModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compact models of this JVM, one per (export directory, task), loaded on first use and
 * shared by every {@link Predict} DoFn instance on the worker (a {@link CompactModel} is
 * thread-safe). They live as long as the JVM: a worker that serves a model keeps serving it.
 */
final class SharedModels {
  private static final Map<String, CompactModel> MODELS = new ConcurrentHashMap<>();

  private SharedModels() {}

  /** The model of {@code spec}, loaded once per JVM. */
  static CompactModel get(ModelSpec spec) {
    return MODELS.computeIfAbsent(spec.exportDir() + "\u0000" + spec.task(),
        k -> CompactModel.load(Path.of(spec.exportDir()), spec.task()));
  }
}
