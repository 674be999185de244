/**
 * {@link LocalMlflowServer}: a real MLflow tracking server on 127.0.0.1, installed and driven
 * through the repository's {@code mlflow/bin/mlflow-server} script.
 */
package io.slaft.tracking.server;
