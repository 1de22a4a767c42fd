package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Operator;
import dev.fixpoint.dsl.Operators;
import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ValueFunction;
import dev.fixpoint.tabular.internal.LinearSystems;
import dev.fixpoint.tabular.operators.DoubleInterpreter;
import org.apiguardian.api.API;

/**
 * Entropy-regularised MDPs (temperature tau &gt; 0, discount gamma &lt; 1), in double arithmetic
 * (exp and log make them irrational). Definitions as in Cen, Cheng, Chen, Wei and Chi (Operations
 * Research 2022, arXiv 2007.06558), spec A3:
 *
 * <pre>
 * V_tau^pi = (I - gamma P_pi)^-1 (r_pi + tau H_pi),   H_pi(s) = -sum_a pi(a|s) log pi(a|s)
 * Q_tau^pi = r + gamma P V_tau^pi
 * (T_tau Q)(s,a) = r(s,a) + gamma sum_s' p(s'|s,a) tau log sum_a' exp(Q(s',a')/tau)
 * V_tau*(s) = tau logsumexp(Q_tau*(s,.)/tau),  pi_tau*(a|s) = exp((Q_tau*(s,a) - V_tau*(s))/tau)
 * </pre>
 *
 * <p>T_tau is the soft operator of the operator algebra ({@link Operators#soft}), a
 * gamma-contraction in the sup norm; {@link #softOptimal} iterates it. Terminal states have no rows
 * and value 0. The entropy of pi at s lies in [0, log|A_s|], so 0 &lt;= V*(s) - V^{pi_tau*}(s)
 * &lt;= tau max_s log|A_s| / (1 - gamma) (spec A3, bias).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class EntropyRegularised {
  /** Relative target of soft value iteration's a-posteriori bound. */
  static final double TOLERANCE = 1e-12;

  /** The most soft value-iteration sweeps. */
  static final int MAX_SWEEPS = 1_000_000;

  /** Ulps of max(1, ||Q||) per sweep charged for rounding in the certificate (spec A6.5). */
  static final double ROUNDING_ULPS = 16;

  private EntropyRegularised() {}

  /**
   * The regularised values of a policy: V_tau^pi by one LU solve, Q_tau^pi = r + gamma P V_tau^pi.
   *
   * @param m the model, gamma &lt; 1
   * @param pi the policy
   * @param tau the temperature &gt; 0
   * @param <S> the state type
   * @param <A> the action type
   * @return V_tau^pi and Q_tau^pi
   * @throws ModelException when gamma = 1 or tau is not positive and finite
   */
  public static <S, A> SoftValues<S, A> evaluate(TabularMdp<S, A> m, TabularPolicy<S, A> pi,
      double tau) {
    check(m, tau);
    double[] p = pi.toArray();
    double[] b = LinearSystems.policyReward(m, p);
    for (int s = 0; s < m.numStates(); s++) {
      b[s] += tau * entropy(p, m.rowStart(s), m.rowEnd(s));
    }
    double[] v = LinearSystems.solve(LinearSystems.identityMinusGammaP(m, p), b);
    for (int s = 0; s < v.length; s++) {
      v[s] = m.isTerminal(s) ? 0 : v[s];
    }
    double[] q = qOf(m, v);
    return new SoftValues<>(ValueFunction.of(m.states(), v), QFunction.of(m, q));
  }

  /**
   * The soft-optimal Q_tau* by soft value iteration Q_{n+1} = T_tau Q_n from Q_0 = 0, until the
   * a-posteriori bound gamma/(1 - gamma) ||Q_{n+1} - Q_n||_inf is below 1e-12 max(1, ||Q||), the
   * iterates stop changing, or 10^6 sweeps. The certificate adds a rounding term, 16 ulps of max(1,
   * ||Q||) per sweep divided by (1 - gamma), so that it never reads 0 at a floating-point fixed
   * point (spec A6.5: at gamma = 0.95 the true error there can be about 1e-13).
   *
   * @param m the model, gamma &lt; 1
   * @param tau the temperature &gt; 0
   * @param <S> the state type
   * @param <A> the action type
   * @return Q_tau*, V_tau*, pi_tau* and the error bound on Q
   */
  public static <S, A> SoftOptimum<S, A> softOptimal(TabularMdp<S, A> m, double tau) {
    check(m, tau);
    double gamma = m.discount();
    Operator soft = Operators.soft(Rationals.fromDouble(tau));
    double[] q = new double[m.numRows()];
    double change = Double.POSITIVE_INFINITY;
    int n = 0;
    while (n < MAX_SWEEPS) {
      double[] next = DoubleInterpreter.apply(soft, m, q);
      change = 0;
      for (int r = 0; r < q.length; r++) {
        change = Math.max(change, Math.abs(next[r] - q[r]));
      }
      q = next;
      n++;
      if (gamma / (1 - gamma) * change <= TOLERANCE * Math.max(1, norm(q)) || change == 0) {
        break;
      }
    }
    double rounding = ROUNDING_ULPS * Math.ulp(Math.max(1, norm(q))) / (1 - gamma);
    double bound = gamma / (1 - gamma) * change + rounding;
    double[] v = softValues(m, q, tau);
    double[] pi = new double[q.length];
    for (int r = 0; r < q.length; r++) {
      pi[r] = Math.exp((q[r] - v[m.rowState(r)]) / tau);
    }
    normalise(m, pi);
    return new SoftOptimum<>(tau, QFunction.of(m, q), ValueFunction.of(m.states(), v),
        TabularPolicy.of(m, pi), n, bound);
  }

  /**
   * Soft policy values V(s) = tau log sum_a exp(Q(s,a)/tau), max-shifted; 0 at terminal states.
   *
   * @param m the model
   * @param q Q over rows
   * @param tau the temperature
   * @return V over states
   */
  public static double[] softValues(TabularMdp<?, ?> m, double[] q, double tau) {
    double[] v = new double[m.numStates()];
    for (int s = 0; s < v.length; s++) {
      int lo = m.rowStart(s);
      int hi = m.rowEnd(s);
      if (lo == hi) {
        continue;
      }
      double mx = Double.NEGATIVE_INFINITY;
      for (int r = lo; r < hi; r++) {
        mx = Math.max(mx, q[r]);
      }
      double sum = 0;
      for (int r = lo; r < hi; r++) {
        sum += Math.exp((q[r] - mx) / tau);
      }
      v[s] = mx + tau * Math.log(sum);
    }
    return v;
  }

  /**
   * The regularised KL update shared by Cen et al.'s NPG and Lan's PMD:
   *
   * <pre>pi'(a|s) proportional to pi(a|s)^keep exp(scale Q(s,a))</pre>
   *
   * computed as exp(keep log pi + scale (Q - max Q)) and normalised (with keep = 0 the pi factor is
   * dropped: soft policy iteration, which may revive a zero-mass action).
   *
   * @param m the model
   * @param keep the exponent on pi, in [0, 1]
   * @param scale the factor on Q, &gt; 0
   * @param pi the current policy over rows
   * @param q the (regularised) action values over rows
   * @return the next policy over rows
   */
  public static double[] update(TabularMdp<?, ?> m, double keep, double scale, double[] pi,
      double[] q) {
    if (!(keep >= 0 && keep <= 1) || !(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("regularised update needs keep in [0, 1] and a finite "
          + "scale > 0, got keep " + keep + ", scale " + scale);
    }
    double[] out = new double[pi.length];
    for (int s = 0; s < m.numStates(); s++) {
      int lo = m.rowStart(s);
      int hi = m.rowEnd(s);
      double mx = Double.NEGATIVE_INFINITY;
      for (int r = lo; r < hi; r++) {
        out[r] = (keep == 0 ? 0 : keep * Math.log(pi[r])) + scale * q[r];
        mx = Math.max(mx, out[r]);
      }
      for (int r = lo; r < hi; r++) {
        out[r] = Math.exp(out[r] - mx);
      }
    }
    normalise(m, out);
    return out;
  }

  /** H(pi(.|s)) = -sum pi log pi over the rows lo..hi (0 log 0 = 0). */
  static double entropy(double[] p, int lo, int hi) {
    double h = 0;
    for (int r = lo; r < hi; r++) {
      h -= p[r] > 0 ? p[r] * Math.log(p[r]) : 0;
    }
    return h;
  }

  static double[] qOf(TabularMdp<?, ?> m, double[] v) {
    double gamma = m.discount();
    double[] q = new double[m.numRows()];
    for (int r = 0; r < q.length; r++) {
      double acc = 0;
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        acc += m.prob(k) * v[m.next(k)];
      }
      q[r] = m.reward(r) + gamma * acc;
    }
    return q;
  }

  static void check(TabularMdp<?, ?> m, double tau) {
    if (!(tau > 0) || Double.isInfinite(tau)) {
      throw new ModelException("temperature tau = " + tau + " must be finite and positive");
    }
    if (!(m.discount() < 1)) {
      throw new ModelException(m.name() + ": entropy-regularised values need a discount below 1,"
          + " got " + m.discount());
    }
  }

  private static void normalise(TabularMdp<?, ?> m, double[] p) {
    for (int s = 0; s < m.numStates(); s++) {
      double sum = 0;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        sum += p[r];
      }
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        p[r] /= sum;
      }
    }
  }

  private static double norm(double[] x) {
    double mx = 0;
    for (double d : x) {
      mx = Math.max(mx, Math.abs(d));
    }
    return mx;
  }

  /**
   * Regularised values of one policy.
   *
   * @param values V_tau^pi
   * @param q Q_tau^pi
   * @param <S> the state type
   * @param <A> the action type
   */
  public record SoftValues<S, A>(ValueFunction<S> values, QFunction<S, A> q) {}

  /**
   * The soft optimum of an entropy-regularised model.
   *
   * @param tau the temperature
   * @param q Q_tau*
   * @param values V_tau*(s) = tau logsumexp(Q_tau*(s, .)/tau)
   * @param policy pi_tau* = exp((Q_tau* - V_tau*)/tau)
   * @param sweeps soft value-iteration sweeps made
   * @param errorBound a bound on ||Q_tau* - q||_inf: gamma/(1-gamma) times the last change plus
   *     the rounding term
   * @param <S> the state type
   * @param <A> the action type
   */
  public record SoftOptimum<S, A>(double tau, QFunction<S, A> q, ValueFunction<S> values,
      TabularPolicy<S, A> policy, int sweeps, double errorBound) {}
}
