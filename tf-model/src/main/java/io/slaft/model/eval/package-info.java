/**
 * Evaluation metrics: {@link GlueMetrics} (accuracy, F1, macro-F1, Matthews and Pearson/Spearman
 * correlation, all pure functions) and the {@link MetricKind}, the primary metric, a task is scored
 * by.
 */
package io.slaft.model.eval;
