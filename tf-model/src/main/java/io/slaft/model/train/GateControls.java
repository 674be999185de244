package io.slaft.model.train;

import java.util.SplittableRandom;

/**
 * The structure controls fed with one batch: how gates, activations and channels behave for that
 * run of the graph (search step, discrete re-training step or evaluation).
 *
 * @param noise logistic gate noise per module (hard-concrete search steps; zeros otherwise)
 * @param gateTemp gate temperature fed to the graph
 * @param shift the budget family's shift ({@code -inf} serves kept modules fully on)
 * @param gateMask multiplies the learned gate: 1 for open modules, 0 for closed or committed ones
 * @param gateFixed added after the mask: a committed module's served gate (0 for closed), 0 otherwise
 * @param actHard per bottleneck module, 0 for the soft activation mix, 1 for the fed one-hot choice
 * @param actHardWeights the one-hot activation choice per bottleneck module, or {@code null} (none)
 * @param lambda the penalty weight λ of this step
 * @param reprNoise representation noise σ (graphs with a noise site)
 * @param random the source of representation noise
 * @param chanMask 1 for kept channels, 0 for removed ones, or {@code null} (all kept)
 */
record GateControls(float[] noise, float gateTemp, float shift, float[] gateMask, float[] gateFixed, float[] actHard,
    float[] actHardWeights, float lambda, float reprNoise, SplittableRandom random, float[] chanMask) {}
