/**
 * Vendor-free experiment tracking: the {@link Tracker} interface, built by {@link Trackers} from a
 * {@link TrackingConfig}, and the values it logs ({@link RunRef}, {@link RunSpec},
 * {@link MetricPoint}, {@link DatasetInput}, {@link RunStatus}).
 *
 * <p>A run is identified by its deterministic run key ({@link RunKeys}), not by a server-assigned
 * id, so records can be spooled before the server is reached and replayed later; every logging
 * operation is idempotent. Secrets are kept out of params and tags by {@link Redactor}, and
 * credentials ({@link TrackingCredentials}) come only from the environment. MLflow is one sink
 * behind {@link Tracker}, in {@code io.slaft.tracking.mlflow}.
 */
package io.slaft.tracking;
