package dev.fixpoint.theory.mirror;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.Bound.Source;
import dev.fixpoint.dsl.Bound.Term;
import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.StepSize;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.mirror.PolicyMirrorDescent;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import io.vavr.collection.List;
import org.apiguardian.api.API;

/**
 * The convergence rates of policy mirror descent (spec A2, A3) as {@link Bound} values, each with
 * its terms and source. Notation: Delta_k(rho) = V*(rho) - V^{pi_k}(rho); D_h the Bregman divergence
 * of the mirror map; D_0* = sum_s d*(s) D_h(pi*(.|s), pi_0(.|s)); R the reward range ({@link
 * Optimum#range()}, 1 for rewards in [0, 1]).
 *
 * <ul>
 *   <li>{@link #npg}: Delta_T &lt;= log|A|/(eta T) + R/((1-gamma)^2 T) from the uniform start
 *       (Agarwal, Kakade, Lee and Mahajan, JMLR 2021; confirmed), D_0* /(eta T) + ... otherwise;
 *   <li>{@link #pmdConstant}: Delta_k &lt;= (D_0* /eta + R/(1-gamma)) / ((1-gamma) k) (derived, the
 *       form of Xiao 2022's sublinear theorem);
 *   <li>{@link #pmdGeometric}: Delta_k &lt;= (1 - 1/theta)^k (Delta_0 + D_0* /((1-gamma) eta_0
 *       (theta - 1))), theta = max_s d*(s)/rho(s) / (1-gamma) (derived, after Xiao 2022);
 *   <li>{@link #adaptive}: ||V* - V^{pi_k}||_inf &lt;= gamma^k (||V* - V^{pi_0}||_inf + c_0 (1 -
 *       gamma^k)/(1 - gamma)) for c_k = c_0 gamma^(2k+1) (derived, after Johnson, Pike-Burke and
 *       Rebeschini 2023);
 *   <li>{@link #policyIteration}: ||V* - V^{pi_k}||_inf &lt;= gamma^k ||V* - V^{pi_0}||_inf;
 * </ul>
 *
 * <p>The entropy-regularised rates are in {@link RegularisedBounds}; exact rational versions of the
 * Euclidean and map-free rates in {@link ExactMirrorBounds}.
 *
 * <p>All values are doubles (V* from policy iteration, Q_tau* from soft value iteration); compare
 * with a relative tolerance of about 1e-9. Sources follow the spec's tags: [S] confirmed, [D]
 * derived, [P] (recalled from the paper, checked numerically) a proxy.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class MirrorBounds {
  static final String GAP = "V*(rho) - V^{pi_k}(rho)";
  static final String SUP = "||V* - V^{pi_k}||_inf";

  private MirrorBounds() {}

  // ------------------------------------------------------------------ divergences

  /**
   * The Bregman divergence D_h(p, q) of a mirror map over one state's rows lo..hi: KL sum p log(p/q)
   * (0 log 0 = 0; infinite when q = 0 &lt; p); Euclidean (1/2)||p - q||^2; Tsallis h_q(p) - h_q(q)
   * - &lt;grad h_q(q), p - q&gt; with h_q(p) = (sum p^q - 1)/(q - 1).
   *
   * @param map the mirror map
   * @param p the first distribution over rows
   * @param q the second distribution over rows
   * @param lo the first row
   * @param hi one past the last row
   * @return D_h(p, q) &gt;= 0, possibly infinite
   */
  public static double divergence(MirrorMap map, double[] p, double[] q, int lo, int hi) {
    double d = 0;
    switch (map) {
      case MirrorMap.Kl kl -> {
        for (int r = lo; r < hi; r++) {
          if (p[r] > 0) {
            d += q[r] > 0 ? p[r] * Math.log(p[r] / q[r]) : Double.POSITIVE_INFINITY;
          }
        }
      }
      case MirrorMap.Euclidean e -> {
        for (int r = lo; r < hi; r++) {
          d += 0.5 * (p[r] - q[r]) * (p[r] - q[r]);
        }
      }
      case MirrorMap.Tsallis ts -> {
        double a = ts.q();
        for (int r = lo; r < hi; r++) {
          if (q[r] == 0) {
            if (p[r] > 0 && a < 1) {
              return Double.POSITIVE_INFINITY;
            }
            d += Math.pow(p[r], a) / (a - 1);
            continue;
          }
          d += (Math.pow(p[r], a) - Math.pow(q[r], a)) / (a - 1)
              - a * Math.pow(q[r], a - 1) / (a - 1) * (p[r] - q[r]);
        }
      }
    }
    return Math.max(0, d);
  }

  /**
   * {@return D_0* = sum_s d*(s) D_h(pi*(.|s), pi_0(.|s)) over non-terminal states}
   * @param o the optimum
   * @param map the mirror map
   * @param pi0 the start policy
   */
  public static double startDivergence(Optimum<?, ?> o, MirrorMap map, TabularPolicy<?, ?> pi0) {
    TabularMdp<?, ?> m = o.mdp();
    double[] star = o.piStar().toArray();
    double[] p0 = pi0.toArray();
    double[] dStar = o.dStar();
    double acc = 0;
    for (int s = 0; s < m.numStates(); s++) {
      if (!m.isTerminal(s) && dStar[s] > 0) {
        acc += dStar[s] * divergence(map, star, p0, m.rowStart(s), m.rowEnd(s));
      }
    }
    return acc;
  }

  // ------------------------------------------------------------------ unregularised rates

  /**
   * NPG's sublinear rate (spec A2.1) for the T-th NPG iterate with step eta: V*(rho) -
   * V^{pi_T}(rho) &lt;= log|A|/(eta T) + R/((1-gamma)^2 T) from the uniform start (Agarwal, Kakade,
   * Lee and Mahajan, JMLR 2021, softmax NPG theorem; confirmed), and with D_0* (KL) in place of
   * log|A| from any other start (derived).
   *
   * @param o the optimum
   * @param eta the NPG step (the logit step is eta/(1-gamma))
   * @param pi0 the start policy
   * @param t the iterate index T
   * @return the bound (vacuous at T = 0)
   */
  public static Bound npg(Optimum<?, ?> o, double eta, TabularPolicy<?, ?> pi0, int t) {
    TabularMdp<?, ?> m = o.mdp();
    boolean uniform = isUniform(pi0);
    Source src = uniform
        ? Source.confirmed("Agarwal, Kakade, Lee, Mahajan, JMLR 2021, softmax NPG theorem; "
            + "Agarwal, Jiang, Kakade, Sun, RL theory monograph, NPG chapter (spec A2.1)")
        : Source.derived("spec A2.1: log|A| replaced by the KL form of D_0* for a general pi_0");
    if (t <= 0) {
      return Bound.vacuous(GAP, "T = 0: the rate bounds T >= 1", src);
    }
    double gamma = m.discount();
    double d0 = uniform ? Math.log(maxActions(m)) : startDivergence(o, MirrorMap.kl(), pi0);
    if (Double.isInfinite(d0)) {
      return Bound.vacuous(GAP, "pi_0 puts no mass on an action of pi*: D_0* is infinite", src);
    }
    double value = d0 / (eta * t) + o.range() / ((1 - gamma) * (1 - gamma) * t);
    return Bound.upper(GAP, (uniform ? "log|A|" : "D_0*") + "/(eta T) + R/((1-gamma)^2 T)",
        value, List.of(gamma(gamma), Term.of("T", "iteration", t), Term.of("eta", "NPG step", eta),
            Term.of(uniform ? "log|A|" : "D_0*", uniform ? "log of the most actions at a state"
                : "sum_s d*(s) KL(pi*(.|s) || pi_0(.|s))", d0), range(o)), src);
  }

  /**
   * Constant-step PMD (spec A2.2, derived; the form of Xiao 2022's sublinear theorem): V*(rho) -
   * V^{pi_k}(rho) &lt;= (D_0* /eta + R/(1-gamma)) / ((1-gamma) k).
   *
   * @param o the optimum
   * @param map the mirror map
   * @param eta the constant step
   * @param pi0 the start
   * @param k the iterate index
   * @return the bound (vacuous at k = 0 or infinite D_0*)
   */
  public static Bound pmdConstant(Optimum<?, ?> o, MirrorMap map, double eta,
      TabularPolicy<?, ?> pi0, int k) {
    Source src = Source.derived("spec A2.2: three-point lemma with p = pi*, weighted by d*, "
        + "telescoped; the form of Xiao 2022 (JMLR), sublinear PMD theorem");
    if (k <= 0) {
      return Bound.vacuous(GAP, "k = 0: the rate bounds k >= 1", src);
    }
    double gamma = o.mdp().discount();
    double d0 = startDivergence(o, map, pi0);
    if (Double.isInfinite(d0)) {
      return Bound.vacuous(GAP, "D_0* is infinite (pi_0 has no mass on an action of pi*)", src);
    }
    double value = (d0 / eta + o.range() / (1 - gamma)) / ((1 - gamma) * k);
    return Bound.upper(GAP, "(D_0* /eta + R/(1-gamma)) / ((1-gamma) k)", value,
        List.of(gamma(gamma), Term.of("k", "iteration", k), Term.of("eta", "constant step", eta),
            Term.of("D_0*", "sum_s d*(s) D_h(pi*(.|s), pi_0(.|s)), " + map, d0), range(o)), src);
  }

  /**
   * Geometric steps eta_k = eta_0/gamma^k (spec A2.3, derived; after Xiao 2022): with theta =
   * (1/(1-gamma)) max(1, max_s d*(s)/rho(s)) (s over non-terminal states; the max with 1 only
   * matters with terminal states, where d* leaks mass),
   *
   * <pre>V*(rho) - V^{pi_k}(rho) &lt;= (1 - 1/theta)^k (Delta_0 + D_0* /((1-gamma) eta_0 (theta - 1)))</pre>
   *
   * It holds for any schedule with eta_{k+1} &gt;= eta_k theta/(theta - 1), which 1/gamma satisfies
   * since theta &gt;= 1/(1-gamma).
   *
   * @param o the optimum
   * @param map the mirror map
   * @param eta0 eta_0
   * @param pi0 the start
   * @param k the iterate index
   * @return the bound (vacuous when rho(s) = 0 &lt; d*(s) somewhere, theta &lt;= 1, or D_0* is
   *     infinite)
   */
  public static Bound pmdGeometric(Optimum<?, ?> o, MirrorMap map, double eta0,
      TabularPolicy<?, ?> pi0, int k) {
    Source src = Source.derived("spec A2.3: Phi_k = Delta_k + D_k*/((1-gamma) eta_{k-1} theta) "
        + "contracts by 1 - 1/theta; the (1-gamma) in the second term is needed (a form without "
        + "it fails on random instances); compare Xiao 2022 (JMLR), linear PMD theorem");
    TabularMdp<?, ?> m = o.mdp();
    double gamma = m.discount();
    double[] dStar = o.dStar();
    double[] rho = o.rho();
    double ratio = 0;
    for (int s = 0; s < m.numStates(); s++) {
      if (m.isTerminal(s) || !(dStar[s] > 0)) {
        continue;
      }
      if (!(rho[s] > 0)) {
        return Bound.vacuous(GAP, "rho(" + m.states().value(s) + ") = 0 < d*(s) = " + dStar[s]
            + ": theta_rho is infinite", src);
      }
      ratio = Math.max(ratio, dStar[s] / rho[s]);
    }
    // with terminal states d* leaks mass to them and the ratio over non-terminal states can fall
    // below 1; any larger theta keeps the key inequality (Delta_k is non-increasing), and theta >=
    // 1/(1-gamma) is what the step ratio 1/gamma needs
    double theta = Math.max(1, ratio) / (1 - gamma);
    double delta0 = o.vStarAtRho() - valueAtRho(o, pi0);
    double d0 = startDivergence(o, map, pi0);
    if (ratio == 0) {
      return Bound.upper(GAP, "0 (pi* never visits a non-terminal state from rho)", 0,
          List.of(gamma(gamma)), src);
    }
    if (!(theta > 1) || Double.isInfinite(d0)) {
      return Bound.vacuous(GAP, "theta_rho = " + theta + " <= 1 or D_0* = " + d0
          + " is infinite", src);
    }
    double value = Math.pow(1 - 1 / theta, k) * (Math.max(0, delta0)
        + d0 / ((1 - gamma) * eta0 * (theta - 1)));
    return Bound.upper(GAP, "(1 - 1/theta)^k (Delta_0 + D_0* /((1-gamma) eta_0 (theta - 1)))",
        value, List.of(gamma(gamma), Term.of("k", "iteration", k),
            Term.of("eta_0", "first step (eta_k = eta_0/gamma^k)", eta0),
            Term.of("theta", "(1/(1-gamma)) max(1, max_s d*(s)/rho(s))", theta),
            Term.of("Delta_0", "V*(rho) - V^{pi_0}(rho)", delta0),
            Term.of("D_0*", "sum_s d*(s) D_h(pi*(.|s), pi_0(.|s)), " + map, d0)), src);
  }

  /**
   * Johnson, Pike-Burke and Rebeschini's adaptive step (spec A2.4, derived): with eta_k &gt;=
   * max_s min_{p greedy} D_h(p, pi_k(.|s)) / c_k and c_k = c_0 gamma^(2k+1),
   *
   * <pre>||V* - V^{pi_k}||_inf &lt;= gamma^k (||V* - V^{pi_0}||_inf + sum_{i=1..k} gamma^-i c_{i-1})
   *                       = gamma^k (||V* - V^{pi_0}||_inf + c_0 (1 - gamma^k)/(1 - gamma))</pre>
   *
   * @param o the optimum
   * @param c0 c_0
   * @param pi0 the start
   * @param k the iterate index
   * @return the bound
   */
  public static Bound adaptive(Optimum<?, ?> o, double c0, TabularPolicy<?, ?> pi0, int k) {
    double gamma = o.mdp().discount();
    double e0 = supGap(o, pi0);
    double gk = Math.pow(gamma, k);
    double value = gk * (e0 + c0 * (1 - gk) / (1 - gamma));
    return Bound.upper(SUP, "gamma^k (||V* - V^{pi_0}||_inf + c_0 (1 - gamma^k)/(1 - gamma))",
        value, List.of(gamma(gamma), Term.of("k", "iteration", k),
            Term.of("c_0", "adaptive constant, c_k = c_0 gamma^(2k+1)", c0),
            Term.of("||V* - V^{pi_0}||_inf", "start gap", e0)),
        Source.derived("spec A2.4: T^{pi_{k+1}} V^{pi_k} >= T V^{pi_k} - c_k, then "
            + "V* - V^{pi_{k+1}} <= T V* - T V^{pi_k} + c_k; structure after Johnson, Pike-Burke,"
            + " Rebeschini 2023 (arXiv 2302.11381)"));
  }

  /**
   * Policy iteration, the infinite-step limit (spec A2.5, derived): ||V* - V^{pi_k}||_inf &lt;=
   * gamma^k ||V* - V^{pi_0}||_inf.
   *
   * @param o the optimum
   * @param pi0 the start
   * @param k the iterate index
   * @return the bound
   */
  public static Bound policyIteration(Optimum<?, ?> o, TabularPolicy<?, ?> pi0, int k) {
    double gamma = o.mdp().discount();
    double e0 = supGap(o, pi0);
    return Bound.upper(SUP, "gamma^k ||V* - V^{pi_0}||_inf", Math.pow(gamma, k) * e0,
        List.of(gamma(gamma), Term.of("k", "iteration", k),
            Term.of("||V* - V^{pi_0}||_inf", "start gap", e0)),
        Source.derived("spec A2.5: V^{pi_{k+1}} >= T V^{pi_k}, so V* - V^{pi_{k+1}} <= "
            + "gamma ||V* - V^{pi_k}||"));
  }

  /**
   * The rate that applies to a PMD run's k-th iterate, by its step schedule: {@link #pmdConstant},
   * {@link #pmdGeometric}, {@link #adaptive} or {@link #policyIteration}.
   *
   * @param o the optimum
   * @param pmd the method
   * @param pi0 the start of the run
   * @param k the iterate index
   * @return the bound
   */
  public static Bound forRun(Optimum<?, ?> o, PolicyMirrorDescent pmd, TabularPolicy<?, ?> pi0,
      int k) {
    return switch (pmd.step()) {
      case StepSize.Constant c -> pmdConstant(o, pmd.map(), Rationals.toDouble(c.eta()), pi0, k);
      case StepSize.Geometric g -> pmdGeometric(o, pmd.map(), Rationals.toDouble(g.initial()),
          pi0, k);
      case StepSize.Adaptive a -> adaptive(o, Rationals.toDouble(a.c0()), pi0, k);
      case StepSize.Infinite i -> policyIteration(o, pi0, k);
    };
  }

  // ------------------------------------------------------------------ helpers

  static double valueAtRho(Optimum<?, ?> o, TabularPolicy<?, ?> pi) {
    return Optimum.dot(o.rho(), values(o, pi));
  }

  static double supGap(Optimum<?, ?> o, TabularPolicy<?, ?> pi) {
    double[] v = values(o, pi);
    double[] vStar = o.vStar();
    double g = 0;
    for (int s = 0; s < v.length; s++) {
      g = Math.max(g, vStar[s] - v[s]);
    }
    return g;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static double[] values(Optimum<?, ?> o, TabularPolicy<?, ?> pi) {
    return PolicyEvaluation.direct((TabularMdp) o.mdp(), (TabularPolicy) pi).values().toArray();
  }

  static boolean isUniform(TabularPolicy<?, ?> pi) {
    TabularMdp<?, ?> m = pi.mdp();
    for (int s = 0; s < m.numStates(); s++) {
      int n = m.rowEnd(s) - m.rowStart(s);
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (Math.abs(pi.probAt(r) - 1.0 / n) > 1e-15) {
          return false;
        }
      }
    }
    return true;
  }

  static int maxActions(TabularMdp<?, ?> m) {
    int a = 1;
    for (int s = 0; s < m.numStates(); s++) {
      a = Math.max(a, m.rowEnd(s) - m.rowStart(s));
    }
    return a;
  }

  static Term gamma(double gamma) {
    return Term.of("gamma", "discount", gamma);
  }

  private static Term range(Optimum<?, ?> o) {
    return Term.of("R", "reward range (1 for rewards in [0, 1]; includes 0 with terminal states)",
        o.range());
  }
}
