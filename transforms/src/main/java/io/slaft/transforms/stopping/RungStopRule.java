package io.slaft.transforms.stopping;

import io.slaft.model.train.StopRule;
import io.slaft.model.train.TrainListener;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The {@link StopRule} of one sweep point: at every rung it reports the evaluation's score (the mean primary
 * metric on the selection split, higher is better) to the sweep's {@link RungStore} and stops when the score
 * falls below the rule's cutoff among the other points that reported that rung before it.
 *
 * <p>Arrival order: a point is compared with the points that reached the rung before it, as in ASHA, so
 * the first point at a rung is never cut there. While a rung has fewer than {@link EarlyStopping#minPoints()}
 * other reports, the point goes on and its score at that rung is checked again at each later evaluation (its next
 * rung included, before that rung's own comparison) against the reports that have arrived since; a late cut names
 * the rung. A rung still undecided when the next one is reached is dropped. Given the same
 * arrival order the decisions are the same; on a cluster, where points reach rungs in the order the workers
 * get there, which points are cut can differ from run to run — a point at the top of a rung is never cut there.
 * A transient store failure counts as "go on". Not thread-safe: one per training run.
 */
public final class RungStopRule implements StopRule {
  private final EarlyStopping settings;
  private final RungStore store;
  private final String pointId;
  private int pendingRung = -1;
  private double pendingScore;

  private RungStopRule(EarlyStopping settings, RungStore store, String pointId) {
    this.settings = settings;
    this.store = store;
    this.pointId = pointId;
  }

  /** The rule of {@code pointId}, or {@link StopRule#NEVER} when {@code settings} are off. */
  public static StopRule of(EarlyStopping settings, RungStore store, String pointId) {
    return settings.enabled() ? new RungStopRule(settings, store, pointId) : StopRule.NEVER;
  }

  @Override
  public Optional<Stop> after(TrainListener.EvalInfo eval) {
    int step = eval.step();
    try {
      // a rung reached before enough other points had reported it is decided as soon as they have
      Optional<Stop> late = decidePending(step);
      if (late.isPresent() || !settings.isRung(step)) {
        return late;
      }
      store.report(step, pointId, eval.score());
      pendingRung = step;
      pendingScore = eval.score();
      return decidePending(step);
    } catch (RuntimeException e) {
      System.err.printf("[%s] early stopping: the rung store failed (%s); the point goes on%n", pointId, e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<Stop> decidePending(int step) {
    if (pendingRung < 0) {
      return Optional.empty();
    }
    List<RungStore.Report> others = store.others(pendingRung, pointId);
    if (others.size() < settings.minPoints()) {
      return Optional.empty();
    }
    int rung = pendingRung;
    pendingRung = -1; // decided: a point that goes on is not compared at this rung again
    OptionalDouble cutoff = settings.rule().cutoff(others.stream().map(RungStore.Report::score).toList(),
        settings.reductionFactor());
    if (cutoff.isPresent() && StopRuleKind.below(pendingScore, cutoff.getAsDouble())) {
      return Optional.of(new Stop(step, rung, String.format(Locale.ROOT, "%s rung %d: %.4f < cutoff %.4f of %d other point%s",
          settings.rule().id(), rung, pendingScore, cutoff.getAsDouble(), others.size(), others.size() == 1 ? "" : "s")));
    }
    return Optional.empty();
  }
}
