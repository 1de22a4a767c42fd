package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import org.apiguardian.api.API;

/**
 * Exact moments of zeta(tau) = log P_F(tau) - log P_B(tau | x) - log R(x) over complete
 * trajectories, without enumerating them (spec {@code gflownet.md} section 3, moment DP). Under
 * tau ~ P_F, propagate in topological order the visit probability m0, m1 = E[A 1_visit] and m2 =
 * E[A^2 1_visit] of the running sum A of a(s -&gt; s') = log P_F(s'|s) - log P_B(s|s') (exit edge:
 * log P_F(s_f|x) - log R(x)): m0' += p m0, m1' += p (m1 + a m0), m2' += p (m2 + 2 a m1 + a^2
 * m0). Under the target tau ~ P_B(tau|x) R(x)/Z, edge e is crossed with probability F*(e)/Z where
 * F* is the exact flow of the same P_B (Bengio et al., Foundations, 2023), so E[zeta] is a sum
 * over edges. O(|S| + |E|).
 *
 * <p>From these: expected TB loss E[(log Z + zeta)^2], the population variance Var(zeta) (a batch
 * of N i.i.d. trajectories has expected ZVar loss (N-1)/N Var(zeta)), KL(P_F(tau) || P_B(tau|x)
 * R(x)/Z) = E_{P_F}[zeta] + log Z, ELBO = -E_{P_F}[zeta] &lt;= log Z &lt;= EUBO = -E_{target}
 * [zeta] (Malkin et al., "GFlowNets and variational inference", ICLR 2023), with equality iff
 * trajectory balance holds on the support.
 *
 * @param meanZeta E_{P_F}[zeta]
 * @param secondMoment E_{P_F}[zeta^2]
 * @param targetMeanZeta E_{target}[zeta]
 * @param logZ the true log Z = log sum R
 */
@API(status = API.Status.EXPERIMENTAL)
public record TrajectoryMoments(double meanZeta, double secondMoment, double targetMeanZeta,
    double logZ) {

  /**
   * Computes the moments for a parameterisation's P_F and P_B.
   *
   * @param net the network
   * @param params the forward and backward logits (P_F, P_B by softmax)
   * @return the moments
   */
  public static TrajectoryMoments of(TabularFlowNetwork<?> net, GfnParameters params) {
    FlowCsr g = net.csr();
    double[] logPf = logSoftmaxForward(net, params.forwardLogits());
    double[] logPb = logSoftmaxBackward(g, params.backwardLogits());
    int n = g.n();
    double[] m0 = new double[n];
    double[] m1 = new double[n];
    double[] m2 = new double[n];
    m0[0] = 1;
    double e1 = 0;
    double e2 = 0;
    int[] cs = g.childStart();
    for (int s = 0; s < n; s++) {
      if (m0[s] == 0) {
        continue;
      }
      for (int e = cs[s]; e < cs[s + 1]; e++) {
        int a = g.actionOfEdge(e);
        double p = Math.exp(logPf[a]);
        if (p == 0) {
          continue;
        }
        double inc = logPf[a] - logPb[e];
        int c = g.child()[e];
        m0[c] += p * m0[s];
        m1[c] += p * (m1[s] + inc * m0[s]);
        m2[c] += p * (m2[s] + 2 * inc * m1[s] + inc * inc * m0[s]);
      }
      if (g.terminating()[s]) {
        int a = g.exitAction(s);
        double p = Math.exp(logPf[a]);
        if (p > 0) {
          double inc = logPf[a] - g.logReward()[s];
          e1 += p * (m1[s] + inc * m0[s]);
          e2 += p * (m2[s] + 2 * inc * m1[s] + inc * inc * m0[s]);
        }
      }
    }
    // target expectation: edge crossing probabilities of the exact flow of this P_B
    double[] pb = new double[g.edges()];
    for (int e = 0; e < pb.length; e++) {
      pb[e] = logPb[e];
    }
    double[] logF = new double[n];
    double[] edgeLog = new double[g.edges()];
    double[] logR = g.logReward();
    for (int s = n - 1; s >= 0; s--) {
      double m = g.terminating()[s] ? logR[s] : Double.NEGATIVE_INFINITY;
      for (int e = cs[s]; e < cs[s + 1]; e++) {
        edgeLog[e] = logF[g.child()[e]] + pb[e];
        m = Math.max(m, edgeLog[e]);
      }
      double acc = m == Double.NEGATIVE_INFINITY ? 0
          : (g.terminating()[s] ? Math.exp(logR[s] - m) : 0);
      for (int e = cs[s]; e < cs[s + 1]; e++) {
        acc += m == Double.NEGATIVE_INFINITY ? 0 : Math.exp(edgeLog[e] - m);
      }
      logF[s] = m == Double.NEGATIVE_INFINITY ? m : m + Math.log(acc);
    }
    double logZ = logF[0];
    double t1 = 0;
    for (int e = 0; e < g.edges(); e++) {
      double w = Math.exp(edgeLog[e] - logZ);
      if (w > 0) {
        t1 += w * (logPf[g.actionOfEdge(e)] - logPb[e]);
      }
    }
    for (int s = 0; s < n; s++) {
      if (g.terminating()[s]) {
        double w = Math.exp(logR[s] - logZ);
        t1 += w * (logPf[g.exitAction(s)] - logR[s]);
      }
    }
    return new TrajectoryMoments(e1, e2, t1, logZ);
  }

  /** {@return Var(zeta) under P_F} */
  public double variance() {
    return Math.max(0, secondMoment - meanZeta * meanZeta);
  }

  /**
   * {@return the expected squared TB loss under on-policy sampling, E[(logZ + zeta)^2]}
   * @param logZParameter the learned log Z
   */
  public double expectedTb(double logZParameter) {
    return logZParameter * logZParameter + 2 * logZParameter * meanZeta + secondMoment;
  }

  /** {@return KL(P_F(tau) || P_B(tau|x) R(x)/Z) = E[zeta] + log Z &gt;= 0} */
  public double kl() {
    return meanZeta + logZ;
  }

  /** {@return the evidence lower bound -E_{P_F}[zeta] &lt;= log Z} */
  public double elbo() {
    return -meanZeta;
  }

  /** {@return the evidence upper bound -E_{target}[zeta] &gt;= log Z} */
  public double eubo() {
    return -targetMeanZeta;
  }

  private static double[] logSoftmaxForward(TabularFlowNetwork<?> net, double[] logits) {
    ForwardPush.softmax(net, logits); // validates every state's logits
    FlowCsr g = net.csr();
    double[] out = new double[logits.length];
    int[] as = g.actionStart();
    for (int s = 0; s < g.n(); s++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int a = as[s]; a < as[s + 1]; a++) {
        m = Math.max(m, logits[a]);
      }
      double sum = 0;
      for (int a = as[s]; a < as[s + 1]; a++) {
        sum += Math.exp(logits[a] - m);
      }
      for (int a = as[s]; a < as[s + 1]; a++) {
        out[a] = logits[a] - m - Math.log(sum);
      }
    }
    return out;
  }

  private static double[] logSoftmaxBackward(FlowCsr g, double[] logits) {
    double[] out = new double[logits.length];
    int[] ps = g.parentStart();
    int[] pe = g.parentEdge();
    for (int s = 1; s < g.n(); s++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int k = ps[s]; k < ps[s + 1]; k++) {
        m = Math.max(m, logits[pe[k]]);
      }
      double sum = 0;
      for (int k = ps[s]; k < ps[s + 1]; k++) {
        sum += Math.exp(logits[pe[k]] - m);
      }
      for (int k = ps[s]; k < ps[s + 1]; k++) {
        out[pe[k]] = logits[pe[k]] - m - Math.log(sum);
      }
    }
    return out;
  }
}
