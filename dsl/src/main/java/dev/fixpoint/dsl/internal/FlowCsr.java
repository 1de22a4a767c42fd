package dev.fixpoint.dsl.internal;

import org.apache.commons.math3.fraction.BigFraction;
import org.jspecify.annotations.Nullable;

/**
 * The raw arrays of a tabulated flow network, shared with sibling modules without copying; not API
 * and never to be modified. States are numbered in topological order, the source is 0. Edge e runs
 * from {@code edgeSource[e]} to {@code child[e]}; the edges leaving s are {@code childStart[s] ..
 * childStart[s+1]-1}; the edges entering s are {@code parentEdge[parentStart[s] ..
 * parentStart[s+1]-1]}. The forward actions of s are its out-edges in order followed, when s is
 * terminating, by the exit action: they occupy {@code actionStart[s] .. actionStart[s+1]-1}, and
 * the action of edge e is {@code actionStart[edgeSource[e]] + e - childStart[edgeSource[e]]}.
 *
 * @param n number of states
 * @param childStart out-edge offsets, length n+1
 * @param child edge targets, length E
 * @param edgeSource edge sources, length E
 * @param parentStart in-edge offsets, length n+1
 * @param parentEdge in-edges grouped by target, length E
 * @param terminating whether each state has an exit action
 * @param actionStart forward-action offsets, length n+1 (total E + number of terminating states)
 * @param logReward log R(s) for terminating states, -infinity otherwise
 * @param reward R(s) exactly for terminating states (null entries elsewhere), or null when some
 *     reward is inexact
 */
public record FlowCsr(int n, int[] childStart, int[] child, int[] edgeSource, int[] parentStart,
    int[] parentEdge, boolean[] terminating, int[] actionStart, double[] logReward,
    @Nullable BigFraction @Nullable [] reward) {

  /** {@return the number of edges E (exit actions excluded)} */
  public int edges() {
    return child.length;
  }

  /** {@return the number of forward actions, E plus the number of terminating states} */
  public int actions() {
    return actionStart[n];
  }

  /**
   * {@return the forward action that follows edge e}
   * @param e an edge
   */
  public int actionOfEdge(int e) {
    int s = edgeSource[e];
    return actionStart[s] + e - childStart[s];
  }

  /**
   * {@return the exit action of a terminating state}
   * @param s a terminating state
   */
  public int exitAction(int s) {
    return actionStart[s + 1] - 1;
  }
}
