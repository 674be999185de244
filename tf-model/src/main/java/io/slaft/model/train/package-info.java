/**
 * Training of gated adapters on a frozen backbone: {@link Trainer} runs a {@link TrainSpec} over
 * {@link TrainTask}s of {@link LabeledExample}s on a {@link TrainingGraph} whose trainable
 * {@link Slot}s are fed from Java, so the optimizer, checkpoints and all randomness live in Java
 * and a resumed run gives the same result as an uninterrupted one.
 *
 * <p>Outcomes are a {@link TrainResult} of per-task {@link TaskResult}s with each module's learned
 * {@link ModuleGate}; progress goes to a {@link TrainListener} on the training thread.
 * {@link TaskNames} is the one rule for telling task names apart. A {@link Trainer} is not
 * thread-safe.
 */
package io.slaft.model.train;
