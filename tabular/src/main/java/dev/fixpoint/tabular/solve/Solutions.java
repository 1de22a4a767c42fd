package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ValueFunction;
import dev.fixpoint.tabular.internal.Bellman;
import java.util.Locale;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * Assembles {@link Solution}s and computes the a-posteriori sup-norm certificate shared by the
 * double solvers.
 *
 * <p><b>The certificate.</b> Let T be the Bellman optimality operator (a gamma-contraction in the
 * sup norm when gamma &lt; 1, fixed point v*), v the returned values, q~ the computed action values
 * of v, rho~ = max_s |max_a q~(s, a) - v(s)| the computed Bellman residual, and eta a bound on the
 * rounding error of one computed backup (see {@link #eta}). Then:
 *
 * <ol>
 *   <li>||v - v*|| &lt;= (rho + eta) / (1 - gamma), because ||v - v*|| &lt;= ||v - Tv|| + ||Tv -
 *       Tv*|| &lt;= rho + gamma ||v - v*|| and the true residual rho &lt;= rho~ + eta;
 *   <li>when v = G v' for a gamma-contraction G with fixed point v* (a Jacobi backup T, or a
 *       Gauss-Seidel sweep) and delta = ||v - v'||: ||v - v*|| &lt;= gamma ||v' - v*|| + eta &lt;=
 *       gamma (delta + ||v - v*||) + eta, so ||v - v*|| &lt;= (gamma delta + eta) / (1 - gamma)
 *       (Puterman 1994, Thm 6.3.1 and its proof);
 *   <li>for the returned deterministic policy d with slack sigma~ = max_s (max_a q~(s, a) -
 *       q~(s, d(s))) (0 for a greedy policy), with sigma = sigma~ + 2 eta: T_d v &gt;= T v -
 *       sigma, ||v - v^d|| &lt;= ||T_d v - v|| / (1 - gamma) &lt;= (rho~ + sigma~ + 3 eta) / (1 -
 *       gamma), and v* - v^d = (T v* - T v) + (T v - T_d v) + T_d v - T_d v^d &lt;= gamma B +
 *       sigma + gamma ||v - v^d||, where B is the value bound (Williams &amp; Baird 1993 give the
 *       same argument without rounding: loss &lt;= 2 gamma rho / (1 - gamma)).
 * </ol>
 *
 * The value bound is the smaller of (1) and (2).
 */
final class Solutions {
  private Solutions() {}

  static final int[] NO_ROWS = new int[0];

  /**
   * A bound on |fl(T v)(s) - (T v)(s)| for one backup of v in double, including the rounding of
   * the model's numbers to double: each state's backup sums at most L products (L = the largest
   * number of entries of a state over all its rows, plus 3 per row for the reward, the discount and
   * the policy weight), so the error is at most about L u (max|r| + ||v||) with u = 2^-53 (Higham
   * 2002, eq. 3.5 for a dot product); we use 2u per operation as a safety factor.
   *
   * @param m the model
   * @param vNorm ||v||_inf
   * @return eta
   */
  static double eta(TabularMdp<?, ?> m, double vNorm) {
    int maxLen = 0;
    double rMax = 0;
    for (int s = 0; s < m.numStates(); s++) {
      int len = 0;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        len += m.entryEnd(r) - m.entryStart(r) + 3;
        rMax = Math.max(rMax, Math.abs(m.reward(r)));
      }
      maxLen = Math.max(maxLen, len);
    }
    return (maxLen + 3) * 0x1p-52 * (rMax + vNorm);
  }

  static double supNorm(double[] v) {
    double x = 0;
    for (double d : v) {
      x = Math.max(x, Math.abs(d));
    }
    return x;
  }

  /**
   * The a-posteriori certificate of the class comment (gamma &lt; 1 only).
   *
   * @param m the model
   * @param v the returned values
   * @param q the computed action values of v
   * @param rows the returned deterministic policy (a row per state, -1 at terminal states)
   * @param stepChange delta of bound (2) when v is the image of a gamma-contraction step, NaN when
   *     not
   * @param stepName what the step was, for the explanation
   */
  static Certificate.SupNorm supNorm(TabularMdp<?, ?> m, double[] v, double[] q, int[] rows,
      double stepChange, String stepName) {
    double gamma = m.discount();
    if (!(gamma < 1)) {
      throw new IllegalStateException("sup-norm certificate needs gamma < 1, got " + gamma);
    }
    double rho = 0;
    double sigma = 0;
    for (int s = 0; s < m.numStates(); s++) {
      int r0 = m.rowStart(s);
      int r1 = m.rowEnd(s);
      if (r0 == r1) {
        continue;
      }
      double best = q[r0];
      for (int r = r0 + 1; r < r1; r++) {
        best = Math.max(best, q[r]);
      }
      rho = Math.max(rho, Math.abs(best - v[s]));
      sigma = Math.max(sigma, best - q[rows[s]]);
    }
    double eta = eta(m, supNorm(v));
    double oneMinus = 1 - gamma;
    boolean useStep = !Double.isNaN(stepChange) && gamma * stepChange < rho;
    double bound = ((useStep ? gamma * stepChange : rho) + eta) / oneMinus;
    double loss = gamma * bound + sigma + 2 * eta + gamma * (rho + sigma + 3 * eta) / oneMinus;
    String how = useStep
        ? "(gamma*delta + eta)/(1 - gamma), delta = " + fmt(stepChange) + " the change of the last "
            + stepName + " (a gamma-contraction with fixed point V*)"
        : "(rho + eta)/(1 - gamma), rho = ||Tv - v||_inf = " + fmt(rho) + " the Bellman residual"
            + " of the returned values";
    String explain = String.format(Locale.ROOT,
        "||v - V*||_inf <= B = %2$s, B = %1$s, with gamma = %3$s and eta = %4$s bounding the "
            + "rounding of one "
            + "backup; the %5$s policy loses at most gamma*B + sigma + 2 eta + gamma*(rho + sigma "
            + "+ 3 eta)/(1 - gamma) = %6$s in every state (rho = %7$s, sigma = %8$s its shortfall from "
            + "greedy; Puterman 1994, Thm 6.3.1; Williams & Baird 1993)",
        how, fmt(bound), fmt(gamma), fmt(eta), sigma == 0 ? "greedy" : "returned", fmt(loss),
        fmt(rho), fmt(sigma));
    return new Certificate.SupNorm(bound, loss, explain);
  }

  /** {@return x with 6 significant digits, trailing zeros dropped} @param x a number */
  static String fmt(double x) {
    String t = String.format(Locale.ROOT, "%.6g", x);
    int e = t.indexOf('e');
    String mant = e < 0 ? t : t.substring(0, e);
    if (mant.indexOf('.') >= 0) {
      mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return e < 0 ? mant : mant + t.substring(e);
  }

  static <S, A> Solution<S, A> ofDouble(TabularMdp<S, A> m, double[] v, double[] q,
      TabularPolicy<S, A> policy, String method, int iterations, double residual,
      boolean converged, Certificate certificate) {
    return new Solution<>(m, ValueFunction.of(m.states(), v), QFunction.of(m, q), policy,
        method, iterations, residual, converged, certificate);
  }

  static <S, A> Solution<S, A> ofDouble(TabularMdp<S, A> m, double[] v, double[] q, int[] rows,
      String method, int iterations, double residual, boolean converged,
      Certificate certificate) {
    return ofDouble(m, v, q, TabularPolicy.deterministic(m, rows), method, iterations, residual,
        converged, certificate);
  }

  static <S, A> Solution<S, A> ofExact(TabularMdp<S, A> m, BigFraction[] v, BigFraction[] q,
      TabularPolicy<S, A> policy, String method, int iterations, Certificate certificate) {
    return new Solution<>(m, ValueFunction.ofExact(m.states(), v), QFunction.ofExact(m, q),
        policy, method, iterations, 0.0, true, certificate);
  }

  static <S, A> Solution<S, A> ofExact(TabularMdp<S, A> m, BigFraction[] v, BigFraction[] q,
      int[] rows, String method, int iterations, Certificate certificate) {
    return ofExact(m, v, q, TabularPolicy.deterministic(m, rows), method, iterations,
        certificate);
  }

  static int[] greedy(TabularMdp<?, ?> m, double[] q) {
    return Bellman.greedyRows(m, q);
  }

  /** {@return whether the double solvers see gamma = 1 (the double discount rounds to 1)} */
  static boolean undiscounted(TabularMdp<?, ?> m) {
    return m.discount() == 1.0;
  }

  /** {@return whether the exact discount is 1} */
  static boolean undiscountedExact(TabularMdp<?, ?> m) {
    return m.exact().discount().equals(BigFraction.ONE);
  }

  /**
   * The a-posteriori bound for policy evaluation: ||v - v^pi|| &lt;= (min(gamma delta, rho) +
   * eta) / (1 - gamma) with rho~ = ||T^pi v - v|| computed, by bounds (1) and (2) of the class
   * comment applied to the gamma-contraction T^pi.
   */
  static Certificate.SupNorm evaluationBound(TabularMdp<?, ?> m, double[] v, double[] tv,
      double stepChange) {
    double gamma = m.discount();
    double rho = 0;
    for (int s = 0; s < v.length; s++) {
      rho = Math.max(rho, Math.abs(tv[s] - v[s]));
    }
    double eta = eta(m, supNorm(v));
    boolean useStep = !Double.isNaN(stepChange) && gamma * stepChange < rho;
    double bound = ((useStep ? gamma * stepChange : rho) + eta) / (1 - gamma);
    String how = useStep
        ? "(gamma*delta + eta)/(1 - gamma), delta = " + fmt(stepChange) + " the change of the last"
            + " sweep of T^pi"
        : "(rho + eta)/(1 - gamma), rho = ||T^pi v - v||_inf = " + fmt(rho);
    return new Certificate.SupNorm(bound, 0.0, "||v - v^pi||_inf <= " + how + " = " + fmt(bound)
        + ", with gamma = " + fmt(gamma) + " and eta = " + fmt(eta) + " bounding the rounding of"
        + " one backup (Puterman 1994, Thm 6.3.1 applied to T^pi); the policy is the evaluated "
        + "one, so its loss against v^pi is 0");
  }
}
