/**
 * GLUE evaluation metrics: {@link GlueMetrics} (accuracy, F1, Matthews and Pearson/Spearman
 * correlation, all pure functions) and the {@link MetricKind} a task reports.
 */
package io.slaft.model.eval;
