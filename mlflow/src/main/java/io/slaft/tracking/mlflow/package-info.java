/**
 * The MLflow sink of {@link io.slaft.tracking.Tracker}: {@link MlflowTracker} queues records and
 * delivers them off the caller's thread in {@code runs/log-batch} requests within MLflow's limits,
 * with retries, falling back to the spool while the server is unreachable.
 *
 * <p>The REST calls (java.net.http, every one with a connect and a request timeout) stay inside
 * this package; the rest of the code speaks in {@link io.slaft.tracking.Tracker} and
 * {@link io.slaft.tracking.record.TrackingRecord}.
 * {@link MlflowTracker} is the only public type.
 */
package io.slaft.tracking.mlflow;
