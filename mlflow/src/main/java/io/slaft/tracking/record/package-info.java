/**
 * Tracking operations as data: the sealed {@link TrackingRecord} hierarchy ({@link StartRun},
 * {@link LogParams}, {@link LogMetrics}, {@link SetTags}, {@link LogInput}, {@link LogArtifact},
 * {@link EndRun}), queued, delivered, spooled and replayed; each names its run by
 * {@link io.slaft.tracking.RunRef} and delivering it twice has the effect of delivering it once.
 *
 * <p>{@link RecordFactory} is the one place where tracker calls are validated, redacted and turned
 * into records; a {@link RecordSink} applies records synchronously, in order, idempotently.
 */
package io.slaft.tracking.record;
