package io.slaft.model.train;

import com.google.common.base.Preconditions;
import io.slaft.model.adapters.SearchSpace;
import io.slaft.model.adapters.SparsityControl;

/**
 * Everything that defines one training run except the data and the backbone. Immutable and
 * validated; two runs with equal specs, data, backbone and thread count give identical metrics.
 *
 * @param method method name recorded in results (e.g. {@code sla}, {@code lora}, {@code houlsby})
 * @param space adapter search space
 * @param sparsity gates and sparsity control
 * @param optimizer optimizer and schedule
 * @param steps training steps (batches)
 * @param batchSize examples per step
 * @param evalEvery evaluate on dev every this many steps (0 = only at the end)
 * @param evalBatchSize examples per evaluation batch
 * @param patience stop after this many evaluations without improvement (0 = never)
 * @param checkpointEvery write a checkpoint every this many steps (0 = never)
 * @param seed the run's seed: initialization, data order, task sampling and gate noise
 * @param taskTemperature task sampling ∝ size^(1/T); 1 = proportional, large = uniform
 * @param bucketWindow length-bucketing window in batches (examples are sorted by length within it)
 * @param logEvery report progress every this many steps
 * @param noiseSite where training-time Gaussian noise is injected
 * @param trainNoise σ of that noise relative to the tensor's std (the noise-injection ratio)
 */
public record TrainSpec(
    String method,
    SearchSpace space,
    SparsityControl sparsity,
    OptimizerConfig optimizer,
    int steps,
    int batchSize,
    int evalEvery,
    int evalBatchSize,
    int patience,
    int checkpointEvery,
    long seed,
    float taskTemperature,
    int bucketWindow,
    int logEvery,
    NoiseSite noiseSite,
    float trainNoise) {

  public TrainSpec {
    Preconditions.checkArgument(method != null && !method.isBlank(), "method must be set");
    Preconditions.checkNotNull(space, "adapters (search space) must be set");
    Preconditions.checkNotNull(sparsity, "sparsity must be set");
    Preconditions.checkNotNull(optimizer, "optimizer must be set");
    Preconditions.checkArgument(steps > 0, "train.steps must be > 0, got %s", steps);
    Preconditions.checkArgument(batchSize > 0, "train.batch_size must be > 0, got %s", batchSize);
    Preconditions.checkArgument(evalEvery >= 0, "train.eval_every must be >= 0");
    Preconditions.checkArgument(evalBatchSize > 0, "train.eval_batch_size must be > 0");
    Preconditions.checkArgument(patience >= 0, "train.patience must be >= 0");
    Preconditions.checkArgument(checkpointEvery >= 0, "train.checkpoint_every must be >= 0");
    Preconditions.checkArgument(taskTemperature > 0, "train.task_temperature must be > 0");
    Preconditions.checkArgument(bucketWindow >= 1, "train.bucket_window must be >= 1");
    Preconditions.checkArgument(logEvery >= 1, "train.log_every must be >= 1");
    Preconditions.checkNotNull(noiseSite, "noise site");
    Preconditions.checkArgument(trainNoise >= 0, "noise.train_sigma must be >= 0");
    Preconditions.checkArgument(trainNoise == 0 || noiseSite != NoiseSite.NONE,
        "noise.train_sigma > 0 needs noise.site = embeddings or hidden");
  }

  /**
   * The steps of an epochs budget: {@code ceil(epochs × rows ÷ batchSize)}, at least 1. The one rule
   * for {@code train.epochs}; {@code rows} are the training rows of all tasks (task sampling draws
   * from them in proportion, so every row is seen about {@code epochs} times).
   */
  public static int stepsForEpochs(double epochs, long rows, int batchSize) {
    Preconditions.checkArgument(epochs > 0, "epochs must be > 0, got %s", epochs);
    Preconditions.checkArgument(rows > 0 && batchSize > 0, "rows and batch size must be > 0");
    double steps = Math.ceil(epochs * rows / batchSize - 1e-9);
    Preconditions.checkArgument(steps <= Integer.MAX_VALUE, "%s epochs of %s rows is too many steps", (Object) epochs, (Object) rows);
    return (int) Math.max(1, steps);
  }

  /** This spec with {@code steps} training steps. */
  public TrainSpec withSteps(int steps) {
    return new TrainSpec(method, space, sparsity, optimizer, steps, batchSize, evalEvery, evalBatchSize, patience,
        checkpointEvery, seed, taskTemperature, bucketWindow, logEvery, noiseSite, trainNoise);
  }
}
