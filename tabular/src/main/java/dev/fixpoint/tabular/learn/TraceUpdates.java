package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TraceRule;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Offline trace updates on recorded steps with fixed TD errors (spec {@code traces.md} section
 * 2.3; Daley, White, Amato and Machado, ICML 2023): the increments u over rows such that an
 * offline learner sets Q &lt;- Q + alpha u once per episode (Q frozen during the episode).
 *
 * <ul>
 *   <li>{@link #forward}: the forward view, u(S_k, A_k) += sum_{t=k}^{end of k's episode}
 *       gamma^(t-k) beta^(k)_t delta_t for every step k, where beta^(k) is the rule restarted at
 *       k (it reads rho_{k+1} .. rho_t, never rho_k), summed over repeated pairs. O(T^2).
 *   <li>{@link #backward}: the same sums by the online recursion with per-time-step storage
 *       ({@link TraceBuffer}), one delta at a time, the traces cleared after every {@code done}
 *       (the repository's {@code trajectory()}). O(T x episode length).
 *   <li>{@link #perPair}: the classic trace table of per-decision rules, e(s, a) &lt;- gamma c_t
 *       e(s, a) for every pair, then e(S_t, A_t) += 1, u += delta_t e; equal to the others
 *       because all entries of one pair share the factor c_1 ... c_t (Munos et al. 2016). O(T
 *       x rows).
 * </ul>
 *
 * In exact arithmetic the three are equal (spec 8, properties 13 and 17); in doubles they differ
 * by rounding (summation order). {@link #forwardReturn} is the forward-view sum from the first
 * step of an episode in exact rationals, whose expectation under mu is (M Q - Q)(S_0, A_0)
 * (spec 2.3, property 15).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TraceUpdates {
  private TraceUpdates() {}

  /**
   * {@return the forward-view increments over {@code numRows} rows}
   *
   * @param rule the trace rule
   * @param gamma the discount, in [0, 1]
   * @param steps the recorded steps
   * @param numRows the number of rows (u's length)
   */
  public static double[] forward(TraceRule rule, double gamma, TraceSteps steps, int numRows) {
    Objects.requireNonNull(steps, "steps");
    int[] rows = steps.rows();
    checkRows(rows, numRows);
    double[] rho = steps.rho();
    double[] pi = steps.pi();
    double[] delta = steps.delta();
    boolean[] done = steps.done();
    double[] u = new double[numRows];
    TraceBuffer one = TraceBuffer.create(rule, gamma, 1);
    int n = rows.length;
    for (int k = 0; k < n; k++) {
      one.clear();
      one.push(rows[k]);
      double sum = delta[k];
      for (int t = k + 1; t < n && !done[t - 1]; t++) {
        one.advance(rho[t], pi[t]);
        sum += one.weight(0) * delta[t];
      }
      u[rows[k]] += sum;
    }
    return u;
  }

  /**
   * {@return the backward-view increments over {@code numRows} rows: per-time-step storage,
   * the spec's steps 2, 3, 5 and 6 with scale delta_t}
   *
   * @param rule the trace rule
   * @param gamma the discount, in [0, 1]
   * @param steps the recorded steps
   * @param numRows the number of rows
   */
  public static double[] backward(TraceRule rule, double gamma, TraceSteps steps, int numRows) {
    Objects.requireNonNull(steps, "steps");
    int[] rows = steps.rows();
    checkRows(rows, numRows);
    double[] rho = steps.rho();
    double[] pi = steps.pi();
    double[] delta = steps.delta();
    boolean[] done = steps.done();
    double[] u = new double[numRows];
    TraceBuffer buffer = TraceBuffer.create(rule, gamma);
    for (int t = 0; t < rows.length; t++) {
      buffer.advance(rho[t], pi[t]);
      buffer.push(rows[t]);
      buffer.scatter(u, delta[t]);
      if (done[t]) {
        buffer.clear();
      }
    }
    return u;
  }

  /**
   * {@return the increments by the classic per-pair trace table}
   *
   * @param rule a per-decision rule ({@link TraceRule#isPerDecision()})
   * @param gamma the discount, in [0, 1]
   * @param steps the recorded steps
   * @param numRows the number of rows
   * @throws ModelException when the rule is trajectory-aware (no per-pair form exists)
   */
  public static double[] perPair(TraceRule rule, double gamma, TraceSteps steps, int numRows) {
    Objects.requireNonNull(steps, "steps");
    requirePerDecision(rule);
    int[] rows = steps.rows();
    checkRows(rows, numRows);
    double[] rho = steps.rho();
    double[] pi = steps.pi();
    double[] delta = steps.delta();
    boolean[] done = steps.done();
    double[] u = new double[numRows];
    double[] e = new double[numRows];
    PairTable table = PairTable.of(rule, gamma);
    for (int t = 0; t < rows.length; t++) {
      table.decay(e, rho[t], pi[t]);
      e[rows[t]] += 1;
      for (int r = 0; r < numRows; r++) {
        u[r] += delta[t] * e[r];
      }
      if (done[t]) {
        java.util.Arrays.fill(e, 0);
      }
    }
    return u;
  }

  /**
   * {@return sum_{t=0}^{T-1} gamma^t beta_t delta_t in exact rationals, the forward-view return of
   * an episode's first pair, with beta_0 = 1 and beta_t from the rule's exact {@link
   * TraceRule#step} on rho_1 .. rho_t (rho_0 is not read)}
   *
   * @param rule the trace rule
   * @param gamma the discount
   * @param rho rho_0 .. rho_{T-1} (rho[0] is ignored)
   * @param pi pi(A_t|S_t), t = 0 .. T-1 (pi[0] is ignored)
   * @param delta delta_0 .. delta_{T-1}
   */
  public static BigFraction forwardReturn(TraceRule rule, BigFraction gamma, BigFraction[] rho,
      BigFraction[] pi, BigFraction[] delta) {
    int n = delta.length;
    if (rho.length != n || pi.length != n) {
      throw new IllegalArgumentException(n + " TD errors but " + rho.length + " ratios and "
          + pi.length + " target probabilities");
    }
    if (n == 0) {
      return BigFraction.ZERO;
    }
    BigFraction sum = delta[0];
    BigFraction discount = BigFraction.ONE;
    BigFraction stat = rule.initial();
    for (int t = 1; t < n; t++) {
      TraceRule.Update up = rule.step(stat, t, rho[t], pi[t]);
      stat = up.statistic();
      discount = discount.multiply(gamma);
      sum = sum.add(discount.multiply(up.beta()).multiply(delta[t]));
    }
    return sum;
  }

  static void requirePerDecision(TraceRule rule) {
    if (!rule.isPerDecision()) {
      throw new ModelException(rule + " is trajectory-aware: no per-pair trace table exists for "
          + "it (its traces depend on the history of each visit); use the per-step storage");
    }
  }

  private static void checkRows(int[] rows, int numRows) {
    for (int t = 0; t < rows.length; t++) {
      if (rows[t] >= numRows) {
        throw new IllegalArgumentException("row " + rows[t] + " at step " + t + " is not below "
            + numRows);
      }
    }
  }

  /** The per-pair decay of a per-decision rule: e &lt;- gamma c_t e. */
  record PairTable(TraceRule rule, double gamma) {
    static PairTable of(TraceRule rule, double gamma) {
      requirePerDecision(rule);
      return new PairTable(rule, gamma);
    }

    void decay(double[] e, double rho, double pi) {
      double c = gamma * coefficient(rule, rho, pi);
      for (int r = 0; r < e.length; r++) {
        e[r] *= c;
      }
    }

    static double coefficient(TraceRule rule, double rho, double pi) {
      return switch (rule) {
        case TraceRule.ImportanceSampling(var l) -> dev.fixpoint.dsl.Rationals.toDouble(l) * rho;
        case TraceRule.QLambda(var l) -> dev.fixpoint.dsl.Rationals.toDouble(l);
        case TraceRule.TreeBackup(var l) -> dev.fixpoint.dsl.Rationals.toDouble(l) * pi;
        case TraceRule.Retrace(var l) -> dev.fixpoint.dsl.Rationals.toDouble(l) * Math.min(1, rho);
        case TraceRule.TruncatedIs t -> throw notPerDecision(rule);
        case TraceRule.RecursiveRetrace t -> throw notPerDecision(rule);
        case TraceRule.Rbis t -> throw notPerDecision(rule);
        case TraceRule.Custom t -> throw notPerDecision(rule);
      };
    }

    private static ModelException notPerDecision(TraceRule rule) {
      return new ModelException(rule + " is not per-decision");
    }
  }
}
