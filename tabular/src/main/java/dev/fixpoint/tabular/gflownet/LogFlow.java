package dev.fixpoint.tabular.gflownet;

import org.apiguardian.api.API;

/**
 * The unique flow of a reward under a fixed backward policy, in log space ({@link
 * Flows#logSpace}). Arrays are indexed like the network's states, edges and forward actions; they
 * are owned by this record and must not be modified.
 *
 * @param logStateFlow log F(s)
 * @param logEdgeFlow log F(s -&gt; c) per edge
 * @param logZ log Z = log F(s_0)
 * @param logForward log P_F(a | s) per forward action (uniform over the actions of a state with
 *     F(s) = 0)
 */
@API(status = API.Status.EXPERIMENTAL)
public record LogFlow(double[] logStateFlow, double[] logEdgeFlow, double logZ,
    double[] logForward) {

  /** {@return P_F(a | s) per forward action} */
  public double[] forward() {
    double[] p = new double[logForward.length];
    for (int a = 0; a < p.length; a++) {
      p[a] = Math.exp(logForward[a]);
    }
    return p;
  }
}
