package dev.fixpoint.tabular.gflownet;

import org.apiguardian.api.API;

/**
 * An exact evaluation of a training run: the terminal distribution of the learned forward policy
 * by {@link ForwardPush} against R/Z, not a sample histogram.
 *
 * @param step optimiser steps so far
 * @param trajectories fresh trajectories sampled so far
 * @param distance TV, L1 (sum and per-state mean), JSD and KL against R/Z
 * @param logZError |learned log Z - log sum R|, NaN for losses without a log Z estimate (ZVar,
 *     modified DB)
 * @param modesFound distinct mode states among the sampled trajectories so far
 * @param loss the last batch's loss
 */
@API(status = API.Status.EXPERIMENTAL)
public record GfnEvaluation(int step, long trajectories, TerminalDistance distance,
    double logZError, int modesFound, double loss) {}
