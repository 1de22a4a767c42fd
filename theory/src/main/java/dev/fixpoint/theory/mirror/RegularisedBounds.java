package dev.fixpoint.theory.mirror;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.Bound.Source;
import dev.fixpoint.dsl.Bound.Term;
import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.mirror.EntropyRegularised;
import dev.fixpoint.tabular.mirror.EntropyRegularised.SoftOptimum;
import dev.fixpoint.tabular.mirror.RegularisedMirrorDescent;
import io.vavr.collection.List;
import org.apiguardian.api.API;

/**
 * The rates of entropy-regularised mirror descent (spec A3) as {@link Bound} values:
 *
 * <ul>
 *   <li>{@link #entropyBias}: V* - V^{pi_tau*} &lt;= tau max_s log|A_s| / (1 - gamma) (derived);
 *   <li>{@link #cenQ}, {@link #cenLogPolicy}: Cen, Cheng, Chen, Wei and Chi 2022, Theorem 1, rate
 *       1 - eta tau (a proxy: recalled, checked numerically); {@link #cenV} its corollary for values
 *       (derived);
 *   <li>{@link #lan}: Lan 2023, the nu*-weighted potential contracts by gamma when 1 + eta tau =
 *       1/gamma (a proxy).
 * </ul>
 *
 * <p>Q_tau* comes from soft value iteration ({@link EntropyRegularised#softOptimal}) with its error
 * bound; compare with a tolerance of a few times that bound over (1 - gamma).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class RegularisedBounds {
  private RegularisedBounds() {}

  /**
   * The entropy bias (spec A3, derived): 0 &lt;= V*(s) - V^{pi_tau*}(s) &lt;= tau max_s log|A_s| /
   * (1 - gamma) for every s (the entropy lies in [0, log|A_s|]); quantity: the sup over s.
   *
   * @param o the optimum of the unregularised model
   * @param tau the temperature
   * @return the upper bound
   */
  public static Bound entropyBias(Optimum<?, ?> o, double tau) {
    TabularMdp<?, ?> m = o.mdp();
    double gamma = m.discount();
    double logA = Math.log(MirrorBounds.maxActions(m));
    return Bound.upper("max_s (V*(s) - V^{pi_tau*}(s))", "tau log|A| / (1 - gamma)",
        tau * logA / (1 - gamma), List.of(MirrorBounds.gamma(gamma), Term.of("tau", "temperature", tau),
            Term.of("log|A|", "log of the most actions at a state", logA)),
        Source.derived("spec A3 (bias): V_tau* >= V_tau^{pi*} >= V*, and V_tau^{pi_tau*} <= "
            + "V^{pi_tau*} + tau log|A|/(1-gamma)"));
  }

  /**
   * Cen et al.'s C_1 = ||Q_tau* - Q_tau^{pi_0}||_inf + 2 tau (1 - eta tau/(1-gamma)) ||log pi_tau*
   * - log pi_0||_inf.
   *
   * @param opt the soft optimum
   * @param eta Cen's step
   * @param pi0 the start
   * @return C_1
   */
  public static double cenConstant(SoftOptimum<?, ?> opt, double eta, TabularPolicy<?, ?> pi0) {
    TabularMdp<?, ?> m = pi0.mdp();
    double tau = opt.tau();
    double gamma = m.discount();
    @SuppressWarnings({"unchecked", "rawtypes"})
    double[] q0 = EntropyRegularised.evaluate((TabularMdp) m, (TabularPolicy) pi0, tau).q()
        .toArray();
    double[] qs = opt.q().toArray();
    double[] ps = opt.policy().toArray();
    double qGap = 0;
    double logGap = 0;
    for (int r = 0; r < qs.length; r++) {
      qGap = Math.max(qGap, Math.abs(qs[r] - q0[r]));
      logGap = Math.max(logGap, Math.abs(Math.log(ps[r]) - Math.log(pi0.probAt(r))));
    }
    return qGap + 2 * tau * (1 - eta * tau / (1 - gamma)) * logGap;
  }

  /**
   * Cen et al. 2022, Theorem 1 (spec A3, a proxy: recalled, checked numerically): for the t-th
   * iterate, t &gt;= 1, ||Q_tau* - Q_tau^{pi_t}||_inf &lt;= C_1 gamma (1 - eta tau)^(t-1).
   *
   * @param opt the soft optimum
   * @param method the run's method (Cen's NPG)
   * @param pi0 the start
   * @param t the iterate index
   * @return the bound (vacuous at t = 0 or for Lan's parameterisation)
   */
  public static Bound cenQ(SoftOptimum<?, ?> opt, RegularisedMirrorDescent method,
      TabularPolicy<?, ?> pi0, int t) {
    return cen(opt, method, pi0, t, "||Q_tau* - Q_tau^{pi_t}||_inf", "C_1 gamma (1 - eta tau)^(t-1)",
        pi0.mdp().discount(), CEN_THEOREM);
  }

  /**
   * Cen et al. 2022, Theorem 1 (proxy): ||log pi_tau* - log pi_t||_inf &lt;= 2 C_1 / tau (1 - eta
   * tau)^(t-1), t &gt;= 1.
   *
   * @param opt the soft optimum
   * @param method the run's method
   * @param pi0 the start
   * @param t the iterate index
   * @return the bound
   */
  public static Bound cenLogPolicy(SoftOptimum<?, ?> opt, RegularisedMirrorDescent method,
      TabularPolicy<?, ?> pi0, int t) {
    return cen(opt, method, pi0, t, "||log pi_tau* - log pi_t||_inf",
        "2 C_1 / tau (1 - eta tau)^(t-1)", 2 / opt.tau(), CEN_THEOREM);
  }

  /**
   * The corollary for values (spec A3, derived from Theorem 1): ||V_tau* - V_tau^{pi_t}||_inf &lt;=
   * 3 C_1 (1 - eta tau)^(t-1), t &gt;= 1, from V_tau* - V_tau^pi = E_{a~pi}[(Q_tau* - Q_tau^pi) -
   * tau (log pi_tau* - log pi)].
   *
   * @param opt the soft optimum
   * @param method the run's method
   * @param pi0 the start
   * @param t the iterate index
   * @return the bound
   */
  public static Bound cenV(SoftOptimum<?, ?> opt, RegularisedMirrorDescent method,
      TabularPolicy<?, ?> pi0, int t) {
    return cen(opt, method, pi0, t, "||V_tau* - V_tau^{pi_t}||_inf", "3 C_1 (1 - eta tau)^(t-1)",
        3, Source.derived("spec A3 corollary: V_tau* - V_tau^pi = E_pi[(Q_tau* - Q_tau^pi) - tau "
            + "(log pi_tau* - log pi)] with Cen et al.'s Theorem 1 (itself recalled, a proxy)"));
  }

  private static final Source CEN_THEOREM = Source.proxy("Cen, Cheng, Chen, Wei, Chi, Operations "
      + "Research 2022 (arXiv 2007.06558), Theorem 1, recalled; theorem text not re-read; held on "
      + "300+ random MDPs (spec A3 [P])");

  private static Bound cen(SoftOptimum<?, ?> opt, RegularisedMirrorDescent method,
      TabularPolicy<?, ?> pi0, int t, String quantity, String formula, double factor,
      Source src) {
    if (method.kind() != RegularisedMirrorDescent.Kind.CEN_NPG) {
      return Bound.vacuous(quantity, "the run is " + method.kind() + ", not Cen et al.'s NPG", src);
    }
    if (t <= 0) {
      return Bound.vacuous(quantity, "t = 0: the theorem bounds pi_{t+1}", src);
    }
    double gamma = pi0.mdp().discount();
    double c1 = cenConstant(opt, method.eta(), pi0);
    double rate = 1 - method.eta() * opt.tau();
    double value = factor * c1 * Math.pow(rate, t - 1);
    return Bound.upper(quantity, formula, value, List.of(MirrorBounds.gamma(gamma),
        Term.of("t", "iteration", t), Term.of("tau", "temperature", opt.tau()),
        Term.of("eta", "Cen's step, <= (1-gamma)/tau", method.eta()),
        Term.of("C_1", "||Q_tau* - Q_tau^{pi_0}|| + 2 tau (1 - eta tau/(1-gamma)) "
            + "||log pi_tau* - log pi_0||", c1)), src);
  }

  /**
   * Lan's potential Phi(pi) = E_{s~nu}[V_tau*(s) - V_tau^pi(s)] + (tau/(1-gamma)) E_{s~nu}
   * KL(pi_tau*(.|s) || pi(.|s)).
   *
   * @param opt the soft optimum
   * @param nu a stationary distribution of pi_tau* ({@link #stationary})
   * @param pi the policy
   * @return Phi(pi)
   */
  public static double lanPotential(SoftOptimum<?, ?> opt, double[] nu, TabularPolicy<?, ?> pi) {
    TabularMdp<?, ?> m = pi.mdp();
    @SuppressWarnings({"unchecked", "rawtypes"})
    double[] v = EntropyRegularised.evaluate((TabularMdp) m, (TabularPolicy) pi, opt.tau())
        .values().toArray();
    double[] vs = opt.values().toArray();
    double[] ps = opt.policy().toArray();
    double[] p = pi.toArray();
    double gamma = m.discount();
    double acc = 0;
    for (int s = 0; s < m.numStates(); s++) {
      if (m.isTerminal(s)) {
        continue;
      }
      acc += nu[s] * (vs[s] - v[s] + opt.tau() / (1 - gamma)
          * MirrorBounds.divergence(MirrorMap.kl(), ps, p, m.rowStart(s), m.rowEnd(s)));
    }
    return acc;
  }

  /**
   * Lan 2023 (spec A3, a proxy: recalled, checked numerically): with 1 + eta tau = 1/gamma,
   * Phi(pi_k) &lt;= gamma^k Phi(pi_0) for the potential of {@link #lanPotential} weighted by a
   * stationary distribution nu* of pi_tau*.
   *
   * @param opt the soft optimum
   * @param method the run's method (Lan's PMD at {@link RegularisedMirrorDescent#lanLinear})
   * @param nu a stationary distribution of pi_tau*
   * @param pi0 the start
   * @param k the iterate index
   * @return the bound (vacuous for another step or parameterisation)
   */
  public static Bound lan(SoftOptimum<?, ?> opt, RegularisedMirrorDescent method, double[] nu,
      TabularPolicy<?, ?> pi0, int k) {
    String quantity = "E_nu*[V_tau* - V_tau^{pi_k}] + tau/(1-gamma) E_nu* KL(pi_tau* || pi_k)";
    Source src = Source.proxy("Lan, Math. Programming 2023 (arXiv 2102.00135), linear rate of "
        + "regularised PMD with 1 + eta tau = 1/gamma, recalled; not re-read; held on 300+ random "
        + "MDPs (spec A3 [P])");
    double gamma = pi0.mdp().discount();
    double want = (1 - gamma) / (gamma * opt.tau());
    if (method.kind() != RegularisedMirrorDescent.Kind.LAN_PMD
        || Math.abs(method.eta() - want) > 1e-12 * Math.max(1, want)) {
      return Bound.vacuous(quantity, "needs Lan's PMD with eta = (1-gamma)/(gamma tau) = " + want
          + ", got " + method, src);
    }
    double phi0 = lanPotential(opt, nu, pi0);
    return Bound.upper(quantity, "gamma^k Phi_0", Math.pow(gamma, k) * phi0,
        List.of(MirrorBounds.gamma(gamma), Term.of("k", "iteration", k), Term.of("tau", "temperature",
            opt.tau()), Term.of("Phi_0", "the potential at pi_0", phi0)), src);
  }

  /**
   * A stationary distribution of the state chain of pi (terminal states absorbing), by the lazy
   * power iteration nu &lt;- (nu + nu P_S^pi)/2 from the uniform distribution until the change is
   * below 1e-15 (or 10^6 steps); from uniform it converges to a stationary mixture when the chain
   * has several closed classes.
   *
   * @param m the model
   * @param pi the policy
   * @return nu over states
   */
  public static double[] stationary(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi) {
    int n = m.numStates();
    double[] nu = new double[n];
    java.util.Arrays.fill(nu, 1.0 / n);
    double[] p = pi.toArray();
    for (int it = 0; it < 1_000_000; it++) {
      double[] next = new double[n];
      for (int s = 0; s < n; s++) {
        if (m.isTerminal(s)) {
          next[s] += nu[s];
          continue;
        }
        for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
          for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
            next[m.next(k)] += nu[s] * p[r] * m.prob(k);
          }
        }
      }
      double change = 0;
      for (int s = 0; s < n; s++) {
        next[s] = 0.5 * (nu[s] + next[s]);
        change = Math.max(change, Math.abs(next[s] - nu[s]));
      }
      nu = next;
      if (change < 1e-15) {
        break;
      }
    }
    return nu;
  }

}
