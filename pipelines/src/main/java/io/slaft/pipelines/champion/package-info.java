/**
 * The sweep's champion, chosen on three axes: the Pareto front of the finished points over (validation metric ↑,
 * active parameters ↓) per task ({@link io.slaft.pipelines.champion.ParetoFront}), optionally each front point's
 * robustness measured on the validation split ({@link io.slaft.pipelines.champion.ChampionStage}), and the
 * config's rule ({@link io.slaft.pipelines.champion.ChampionRule}: best metric subject to a size budget and a
 * robustness floor) picking one point per task ({@link io.slaft.pipelines.champion.ChampionChoice}). The choice is
 * written to {@code summary.json} ({@code champion}), {@code results.md} and a plot of the front, and read from
 * there by tracking (the registry alias).
 */
package io.slaft.pipelines.champion;
