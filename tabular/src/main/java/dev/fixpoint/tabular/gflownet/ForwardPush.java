package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The terminal distribution P_T(x) = sum over trajectories ending in x of P_F(tau) of any forward
 * policy, without enumerating trajectories (spec {@code gflownet.md} section 3; torchgfn's {@code
 * exact_terminating_distribution}): in topological order u(s_0) = 1, u(s') = sum_{s in Par(s')}
 * u(s) P_F(s' | s), and P_T(x) = u(x) P_F(s_f | x). O(|S| + |E|). Forward policies are arrays over
 * the network's forward actions.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ForwardPush {
  private ForwardPush() {}

  /**
   * {@return P_T over states (0 on non-terminating states), exactly}
   * @param net the network
   * @param forward P_F(a | s) per forward action; each state's row non-negative, summing to 1
   * @throws ModelException naming the state when a row is not a distribution
   */
  public static BigFraction[] exact(TabularFlowNetwork<?> net, BigFraction[] forward) {
    FlowCsr g = net.csr();
    checkLength(g, forward.length);
    int n = g.n();
    BigFraction[] u = new BigFraction[n];
    java.util.Arrays.fill(u, BigFraction.ZERO);
    u[0] = BigFraction.ONE;
    BigFraction[] out = new BigFraction[n];
    int[] cs = g.childStart();
    for (int s = 0; s < n; s++) {
      int a0 = g.actionStart()[s];
      BigFraction sum = BigFraction.ZERO;
      for (int a = a0; a < g.actionStart()[s + 1]; a++) {
        if (Rationals.signum(forward[a]) < 0) {
          throw new ModelException("state " + net.state(s) + ": forward probability "
              + Rationals.format(forward[a]) + " of action " + (a - a0) + " is negative");
        }
        sum = sum.add(forward[a]);
      }
      if (!sum.equals(BigFraction.ONE)) {
        throw new ModelException("state " + net.state(s) + ": forward probabilities sum to "
            + Rationals.format(sum) + ", expected 1");
      }
      for (int e = cs[s]; e < cs[s + 1]; e++) {
        int c = g.child()[e];
        u[c] = u[c].add(u[s].multiply(forward[a0 + e - cs[s]]));
      }
      out[s] = g.terminating()[s] ? u[s].multiply(forward[g.exitAction(s)]) : BigFraction.ZERO;
    }
    return out;
  }

  /**
   * {@return P_T over states (0 on non-terminating states)}
   * @param net the network
   * @param forward P_F(a | s) per forward action; each row non-negative, summing to 1 within 1e-9
   * @throws ModelException naming the state when a row is not a distribution
   */
  public static double[] of(TabularFlowNetwork<?> net, double[] forward) {
    FlowCsr g = net.csr();
    checkLength(g, forward.length);
    int n = g.n();
    double[] u = new double[n];
    u[0] = 1;
    double[] out = new double[n];
    int[] cs = g.childStart();
    int[] child = g.child();
    int[] as = g.actionStart();
    for (int s = 0; s < n; s++) {
      int a0 = as[s];
      double sum = 0;
      for (int a = a0; a < as[s + 1]; a++) {
        double p = forward[a];
        if (!(p >= 0) || p > 1 + 1e-12) {
          throw new ModelException("state " + net.state(s) + ": forward probability " + p
              + " of action " + (a - a0) + " is not in [0, 1]");
        }
        sum += p;
      }
      if (Math.abs(sum - 1) > 1e-9) {
        throw new ModelException("state " + net.state(s) + ": forward probabilities sum to "
            + sum + ", expected 1");
      }
      double us = u[s];
      for (int e = cs[s]; e < cs[s + 1]; e++) {
        u[child[e]] += us * forward[a0 + e - cs[s]];
      }
      out[s] = g.terminating()[s] ? us * forward[as[s + 1] - 1] : 0;
    }
    return out;
  }

  /**
   * {@return P_T of the softmax policy of per-action logits: P_F(a | s) = exp theta_a / sum_{b of
   * s} exp theta_b}
   * @param net the network
   * @param logits theta per forward action, finite
   */
  public static double[] ofLogits(TabularFlowNetwork<?> net, double[] logits) {
    return of(net, softmax(net, logits));
  }

  /**
   * {@return the per-state softmax of logits over the forward actions}
   * @param net the network
   * @param logits theta per forward action (-infinity masks an action; each state needs one
   *     finite logit)
   */
  public static double[] softmax(TabularFlowNetwork<?> net, double[] logits) {
    FlowCsr g = net.csr();
    checkLength(g, logits.length);
    double[] p = new double[logits.length];
    int[] as = g.actionStart();
    for (int s = 0; s < g.n(); s++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int a = as[s]; a < as[s + 1]; a++) {
        if (Double.isNaN(logits[a]) || logits[a] == Double.POSITIVE_INFINITY) {
          throw new ModelException("state " + net.state(s) + ": logit " + logits[a]
              + " of action " + (a - as[s]) + " is not finite");
        }
        m = Math.max(m, logits[a]);
      }
      if (m == Double.NEGATIVE_INFINITY) {
        throw new ModelException("state " + net.state(s) + ": every action is masked");
      }
      double sum = 0;
      for (int a = as[s]; a < as[s + 1]; a++) {
        p[a] = Math.exp(logits[a] - m);
        sum += p[a];
      }
      for (int a = as[s]; a < as[s + 1]; a++) {
        p[a] /= sum;
      }
    }
    return p;
  }

  private static void checkLength(FlowCsr g, int length) {
    if (length != g.actions()) {
      throw new IllegalArgumentException("forward policy has " + length
          + " entries, the network " + g.actions() + " forward actions");
    }
  }
}
