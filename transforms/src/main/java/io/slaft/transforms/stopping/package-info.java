/**
 * Early stopping of sweep points: which rule cuts a point at a rung ({@link io.slaft.transforms.stopping.StopRuleKind}),
 * where points are compared ({@link io.slaft.transforms.stopping.EarlyStopping}), the store every worker reports
 * rungs to ({@link io.slaft.transforms.stopping.RungStore}) and the per-point {@link
 * io.slaft.model.train.StopRule} the trainer asks ({@link io.slaft.transforms.stopping.RungStopRule}).
 */
package io.slaft.transforms.stopping;
