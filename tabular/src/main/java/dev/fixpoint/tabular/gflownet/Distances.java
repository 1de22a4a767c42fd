package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import org.apiguardian.api.API;

/**
 * Distances between distributions over a network's terminating states, given as arrays over all
 * states with 0 on non-terminating ones (as {@link ForwardPush} and {@link Flows#target} return
 * them). Natural logarithms, 0 log 0 = 0.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Distances {
  private Distances() {}

  /**
   * {@return every distance between a learned p and the target pi}
   * @param net the network (for |X|)
   * @param p the learned terminal distribution
   * @param pi the target distribution
   */
  public static TerminalDistance compare(TabularFlowNetwork<?> net, double[] p, double[] pi) {
    double l1 = l1(p, pi);
    int x = net.terminatingStates().length;
    return new TerminalDistance(l1 / 2, l1, l1 / x, jsd(p, pi), kl(pi, p));
  }

  /**
   * {@return sum_i |p_i - q_i|}
   * @param p one distribution
   * @param q another, same length
   */
  public static double l1(double[] p, double[] q) {
    check(p, q);
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += Math.abs(p[i] - q[i]);
    }
    return s;
  }

  /**
   * {@return total variation (1/2) sum_i |p_i - q_i|}
   * @param p one distribution
   * @param q another
   */
  public static double tv(double[] p, double[] q) {
    return l1(p, q) / 2;
  }

  /**
   * {@return KL(p || q) = sum_i p_i log(p_i/q_i); +infinity when some q_i = 0 &lt; p_i}
   * @param p one distribution
   * @param q another
   */
  public static double kl(double[] p, double[] q) {
    check(p, q);
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        if (q[i] <= 0) {
          return Double.POSITIVE_INFINITY;
        }
        s += p[i] * Math.log(p[i] / q[i]);
      }
    }
    return Math.max(0, s);
  }

  /**
   * {@return the Jensen-Shannon divergence (1/2) KL(p || m) + (1/2) KL(q || m), m = (p+q)/2}
   * @param p one distribution
   * @param q another
   */
  public static double jsd(double[] p, double[] q) {
    check(p, q);
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      if (p[i] > 0) {
        s += p[i] * Math.log(p[i] / m);
      }
      if (q[i] > 0) {
        s += q[i] * Math.log(q[i] / m);
      }
    }
    return Math.min(Math.log(2), Math.max(0, s / 2));
  }

  private static void check(double[] p, double[] q) {
    if (p.length != q.length) {
      throw new IllegalArgumentException("distributions have lengths " + p.length + " and "
          + q.length);
    }
  }
}
