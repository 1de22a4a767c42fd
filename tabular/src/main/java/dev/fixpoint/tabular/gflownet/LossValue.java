package dev.fixpoint.tabular.gflownet;

import org.apiguardian.api.API;

/**
 * A loss on a batch and its exact gradient with respect to every parameter.
 *
 * @param value the loss
 * @param gradient d loss / d parameter, shaped like the parameters
 * @param terms the number of residuals averaged (transitions, trajectories, states or
 *     sub-trajectories)
 */
@API(status = API.Status.EXPERIMENTAL)
public record LossValue(double value, GfnParameters gradient, int terms) {}
