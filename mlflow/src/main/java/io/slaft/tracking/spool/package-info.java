/**
 * The local journal of tracking records that have not reached the server: {@link Spool}
 * (append-only, shareable by several processes), {@link SpoolReplayer} (replays a spool into a
 * {@link io.slaft.tracking.record.RecordSink} exactly once per record, reporting a
 * {@link ReplayReport}) and {@link SpoolingTracker} (the {@link io.slaft.tracking.Tracker} used
 * when no server is configured). All are thread-safe.
 */
package io.slaft.tracking.spool;
