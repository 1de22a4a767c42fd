package dev.fixpoint.tabular.gflownet;

import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The unique flow of a reward under a fixed backward policy, exactly ({@link Flows#exact}). Arrays
 * are indexed like the network's states, edges and forward actions; they are owned by this record
 * and must not be modified.
 *
 * @param stateFlow F(s)
 * @param edgeFlow F(s -&gt; c) per edge
 * @param z the partition function Z = F(s_0) = sum_x R(x)
 * @param forward the derived forward policy P_F(a | s) per forward action (uniform over the actions
 *     of a state with F(s) = 0, a state this policy never visits)
 */
@API(status = API.Status.EXPERIMENTAL)
public record ExactFlow(BigFraction[] stateFlow, BigFraction[] edgeFlow, BigFraction z,
    BigFraction[] forward) {}
