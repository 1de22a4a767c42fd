package dev.fixpoint.tabular.traces;

import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TraceRule;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The expected off-policy trace operator M of a rule on a tabular model, in affine form M Q = b +
 * Z Q (spec {@code traces.md} section 2.2; Daley, White, Amato and Machado, ICML 2023).
 *
 * <p>With B_t[(s,a),(s',a')] = E_mu[beta_t 1{(S_t, A_t) = (s', a')} | S_0 = s, A_0 = a] (B_0 = I)
 * and S = sum_{t &gt;= 0} gamma^t B_t, equation (1) of the spec reads M Q = Q + S (T_pi Q - Q), so
 * b = S r and Z = I - S (I - gamma P_pi) = sum_{t &gt;= 1} gamma^t (B_{t-1} P_pi - B_t).
 *
 * <ul>
 *   <li>Per-decision rules ({@link TraceRule#isPerDecision()}): B_t = P_cmu^t with P_cmu[(s,a),
 *       (s',a')] = P(s'|s,a) mu(a'|s') c(s',a'), so S = (I - gamma P_cmu)^-1 and one linear solve
 *       with several right-hand sides, (I - gamma P_cmu) [Z | b] = [gamma (P_pi - P_cmu) | r],
 *       gives M. The matrix condition B_t &lt;= B_{t-1} P_pi holds for all t iff P_cmu &lt;= P_pi
 *       entrywise (t = 1 is that inequality; later t multiply it by P_cmu^(t-1) &gt;= 0), that is
 *       mu c &lt;= pi on every reachable pair.
 *   <li>Trajectory-aware rules: the layered computation (one map (row, statistic) -&gt; mass per
 *       start row and step, equal keys merged) on a terminating acyclic model, where every history
 *       ends within |S| steps and the sums are finite. On a model with a cycle the layers stop at
 *       a horizon H and the rule's pathwise tail bound (spec 2.2) is carried in the result; the
 *       condition is checked layer by layer (up to H).
 * </ul>
 *
 * The ratio rho = pi / mu is only evaluated where mu &gt; 0; pairs with mu = 0 are never visited
 * after step 0, so coverage is not required.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TraceOperators {
  private TraceOperators() {}

  /** The truncation target of {@link #ofDouble(TabularMdp, Policy, Policy, TraceRule)}. */
  public static final double TAIL_TOLERANCE = 1e-13;

  /**
   * {@return the exact trace operator M on this model, with nothing truncated}
   * @param mdp an exact model
   * @param pi the target policy (exact)
   * @param mu the behaviour policy (exact)
   * @param rule the trace rule
   * @throws InexactModelException when the model or a policy is inexact
   * @throws ModelException when the sums diverge (gamma = 1 without termination) or a
   *     trajectory-aware rule is asked of a model with a cycle (use {@link #exact(TabularMdp,
   *     Policy, Policy, TraceRule, int)} with a horizon)
   */
  public static ExactTraceOperator exact(TabularMdp<?, ?> mdp, Policy<?, ?> pi, Policy<?, ?> mu,
      TraceRule rule) {
    mdp.exact();
    if (!rule.isPerDecision() && !Tails.isAcyclic(mdp.csr())) {
      throw new ModelException(describe(rule, pi, mu) + ": the model has a cycle, so the "
          + "history sum of a trajectory-aware rule is infinite; give a horizon "
          + "(TraceOperators.exact(mdp, pi, mu, rule, horizon)) to truncate it with a tail bound");
    }
    return exact(mdp, pi, mu, rule, 0);
  }

  /**
   * {@return the exact trace operator M, the layered sum of a trajectory-aware rule truncated
   * after {@code horizon} steps with the rule's tail bound in {@link ExactTraceOperator#tail()}
   * (per-decision rules use the closed form and are never truncated)}
   * @param mdp an exact model
   * @param pi the target policy (exact)
   * @param mu the behaviour policy (exact)
   * @param rule the trace rule
   * @param horizon H &gt;= 1, or 0 for an acyclic terminating model (checked)
   * @throws ModelException when the tail has no bound (plain IS, custom rules, gamma lambda = 1)
   */
  public static ExactTraceOperator exact(TabularMdp<?, ?> mdp, Policy<?, ?> pi, Policy<?, ?> mu,
      TraceRule rule, int horizon) {
    checkHorizon(horizon);
    mdp.exact();
    BigFraction[] p = ExactTraces.tabulate(pi, mdp, "target");
    BigFraction[] b = ExactTraces.tabulate(mu, mdp, "behaviour");
    String name = describe(rule, pi, mu);
    return rule.isPerDecision() ? ExactTraces.perDecision(mdp, p, b, rule, name)
        : ExactTraces.layered(mdp, p, b, rule, name, horizon);
  }

  /**
   * {@return the trace operator M in double}: exact up to rounding for per-decision rules and on
   * acyclic models; on a model with cycles a trajectory-aware rule is truncated at the shortest
   * horizon whose tail bound is at most {@value #TAIL_TOLERANCE} (see {@link
   * DoubleTraceOperator#tail()})
   * @param mdp the model
   * @param pi the target policy
   * @param mu the behaviour policy
   * @param rule the trace rule
   * @throws ModelException as {@link #exact(TabularMdp, Policy, Policy, TraceRule, int)}, or when
   *     the layers hold too many distinct statistics
   */
  public static DoubleTraceOperator ofDouble(TabularMdp<?, ?> mdp, Policy<?, ?> pi,
      Policy<?, ?> mu, TraceRule rule) {
    int horizon = 0;
    if (!rule.isPerDecision() && !Tails.isAcyclic(mdp.csr())) {
      String name = describe(rule, pi, mu);
      horizon = 1;
      while (Tails.coefficient(rule, mdp.discount(), horizon, name) > TAIL_TOLERANCE) {
        horizon++;
      }
    }
    return ofDouble(mdp, pi, mu, rule, horizon);
  }

  /**
   * {@return the trace operator M in double, truncated after {@code horizon} steps as {@link
   * #exact(TabularMdp, Policy, Policy, TraceRule, int)}}
   * @param mdp the model
   * @param pi the target policy
   * @param mu the behaviour policy
   * @param rule the trace rule
   * @param horizon H &gt;= 1, or 0 for an acyclic terminating model (checked)
   */
  public static DoubleTraceOperator ofDouble(TabularMdp<?, ?> mdp, Policy<?, ?> pi,
      Policy<?, ?> mu, TraceRule rule, int horizon) {
    checkHorizon(horizon);
    double[] p = DoubleTraces.tabulate(pi, mdp);
    double[] b = DoubleTraces.tabulate(mu, mdp);
    String name = describe(rule, pi, mu);
    return rule.isPerDecision() ? DoubleTraces.perDecision(mdp, p, b, rule, name)
        : DoubleTraces.layered(mdp, p, b, rule, name, horizon);
  }

  private static void checkHorizon(int horizon) {
    if (horizon < 0) {
      throw new IllegalArgumentException("horizon " + horizon + " must be >= 0");
    }
  }

  /**
   * The operator from given expected-trace occupancy matrices B_0 = I, B_1, ..., B_N, for traces
   * that no rule of the family expresses (for example the on-policy binary trace of the paper's
   * counterexample, whose beta_t depends on the action's identity). S = sum_{t &lt;= N} gamma^t
   * B_t, plus gamma^(N+1) / (1 - gamma) B_N when {@code repeatLast} (B_t = B_N for all t &gt; N),
   * otherwise B_t = 0 for t &gt; N; then b = S r and Z = I - S (I - gamma P_pi). The condition is
   * checked for t = 1 .. N (and N + 1 when the last layer repeats, which covers all later t).
   *
   * @param name a description for the certificate
   * @param policyKernel P_pi over rows
   * @param reward r over rows
   * @param discount gamma
   * @param layers B_0 .. B_N
   * @param repeatLast whether B_N repeats forever (needs gamma &lt; 1)
   * @return M
   */
  public static ExactTraceOperator fromLayers(String name, BigFraction[][] policyKernel,
      BigFraction[] reward, BigFraction discount, List<BigFraction[][]> layers,
      boolean repeatLast) {
    int n = reward.length;
    if (policyKernel.length != n) {
      throw new IllegalArgumentException("P_pi has " + policyKernel.length + " rows for " + n
          + " rewards");
    }
    for (int t = 0; t < layers.size(); t++) {
      if (layers.get(t).length != n) {
        throw new IllegalArgumentException("layer " + t + " has " + layers.get(t).length
            + " rows, expected " + n);
      }
    }
    return ExactTraces.fromLayers(policyKernel, reward, discount, layers, repeatLast, name, 0);
  }

  private static String describe(TraceRule rule, Policy<?, ?> pi, Policy<?, ?> mu) {
    return "trace operator of " + rule + " (target " + pi + ", behaviour " + mu + ")";
  }

  /**
   * The double twin of {@link #fromLayers(String, BigFraction[][], BigFraction[], BigFraction,
   * List, boolean)}, for occupancies computed elsewhere (for example in log space for long
   * horizons). Truncating a cyclic model at horizon N with B_t = 0 beyond leaves out sum_{t &gt; N}
   * gamma^t (B_{t-1} P_pi - B_t), at most 2 gamma^(N+1) / (1 - gamma) in sup norm when every B_t
   * has row sums at most 1; the caller bounds it.
   *
   * @param name a description for the certificate
   * @param policyKernel P_pi over rows
   * @param reward r over rows
   * @param discount gamma
   * @param layers B_0 .. B_N
   * @param repeatLast whether B_N repeats forever (needs gamma &lt; 1)
   * @return M
   */
  public static DoubleTraceOperator fromLayers(String name, double[][] policyKernel,
      double[] reward, double discount, List<double[][]> layers, boolean repeatLast) {
    int n = reward.length;
    if (policyKernel.length != n || layers.isEmpty()) {
      throw new IllegalArgumentException("P_pi has " + policyKernel.length + " rows for " + n
          + " rewards, or no layers (" + layers.size() + ")");
    }
    for (int t = 0; t < layers.size(); t++) {
      if (layers.get(t).length != n) {
        throw new IllegalArgumentException("layer " + t + " has " + layers.get(t).length
            + " rows, expected " + n);
      }
    }
    return DoubleTraces.fromLayers(policyKernel, reward, discount, layers, repeatLast, name, 0);
  }
}
