/**
 * Batch inference as Beam transforms: {@link io.slaft.pipelines.predict.Predict} (examples →
 * predictions with an exported model, loaded once per worker JVM, rows batched by length) and
 * {@link io.slaft.pipelines.predict.PredictFiles} (task files read with the training columns,
 * malformed rows dead-lettered, predictions written as sharded JSON lines).
 */
package io.slaft.pipelines.predict;
