/**
 * The {@code slaft run} Beam pipeline ({@link ExperimentPipeline}): prepare and validate the data,
 * train one element per sweep point through the step cache ({@link PointTrainer}), and collect
 * every point's records into {@code summary.json}; the same pipeline runs on the DirectRunner and
 * on Flink. {@link PointObserver} is the serializable hook around each point's training.
 */
package io.slaft.pipelines.run;
