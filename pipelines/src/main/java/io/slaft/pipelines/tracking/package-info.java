/**
 * Experiment tracking of pipeline runs: {@link TrackingObserver} is the
 * {@link io.slaft.pipelines.run.PointObserver} that logs every sweep point × task as a child run
 * through {@link io.slaft.tracking.Tracker}, and {@link TrackingSettings} says where records go.
 * Settings are serializable so Beam workers open their own tracker; credentials are never carried
 * in them, each JVM reads them from its environment.
 */
package io.slaft.pipelines.tracking;
