package dev.fixpoint.theory.mirror;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.Bound.Source;
import dev.fixpoint.dsl.Bound.Term;
import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.StepSize;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.internal.LinearSystems;
import dev.fixpoint.tabular.mirror.PolicyMirrorDescent;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import io.vavr.collection.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The PMD rates of {@link MirrorBounds} in exact rational arithmetic, where they are rational: the
 * Euclidean map's constant-step and geometric-step rates (D_h = (1/2)||p - q||^2) and the map-free
 * adaptive and policy-iteration rates, on an exact model with an exact start and an exact rho.
 * Every value is a {@link Bound} whose {@link Bound#exact()} is the rational value, so exact
 * Euclidean PMD ({@link PolicyMirrorDescent#runExact}) can be compared with no tolerance. Formulas,
 * conditions and sources are those of {@link MirrorBounds}; V* comes from exact policy iteration
 * and d* from an exact solve.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ExactMirrorBounds {
  private ExactMirrorBounds() {}

  /**
   * The exact reference: V*, a deterministic pi*, d* and R, all rational.
   *
   * @param mdp the model
   * @param rho the start distribution
   * @param vStar V*
   * @param piStar pi*
   * @param dStar d* = (1 - gamma) rho^T (I - gamma P_S^{pi*})^-1
   * @param range R (see {@link Optimum})
   * @param <S> the state type
   * @param <A> the action type
   */
  public record Reference<S, A>(TabularMdp<S, A> mdp, BigFraction[] rho, BigFraction[] vStar,
      TabularPolicy<S, A> piStar, BigFraction[] dStar, BigFraction range) {

    /**
     * Solves an exact model exactly.
     *
     * @param m an exact model, gamma &lt; 1
     * @param rho an exact distribution over the states
     * @param <S> the state type
     * @param <A> the action type
     * @return the reference
     * @throws ModelException when gamma = 1 or rho does not sum to 1
     */
    public static <S, A> Reference<S, A> of(TabularMdp<S, A> m, BigFraction[] rho) {
      BigFraction gamma = m.exact().discount();
      if (gamma.compareTo(BigFraction.ONE) >= 0) {
        throw new ModelException(m.name() + ": PMD rates need a discount below 1");
      }
      BigFraction sum = BigFraction.ZERO;
      for (BigFraction x : rho) {
        if (Rationals.signum(x) < 0) {
          throw new ModelException("rho has a negative entry " + Rationals.format(x));
        }
        sum = sum.add(x);
      }
      if (rho.length != m.numStates() || !sum.equals(BigFraction.ONE)) {
        throw new ModelException("rho must have " + m.numStates() + " entries summing to 1, got "
            + rho.length + " summing to " + Rationals.format(sum));
      }
      Solution<S, A> sol = PolicyIteration.solveExact(m);
      BigFraction[][] a = LinearSystems.identityMinusGammaPExact(m, sol.policy().toExactArray());
      int n = a.length;
      BigFraction[][] t = new BigFraction[n][n];
      BigFraction[] b = new BigFraction[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          t[i][j] = a[j][i];
        }
        b[i] = BigFraction.ONE.subtract(gamma).multiply(rho[i]);
      }
      BigFraction[] d = LinearSystems.solve(t, b);
      BigFraction[] r = m.exact().reward();
      BigFraction lo = null;
      BigFraction hi = null;
      boolean terminal = false;
      for (int s = 0; s < m.numStates(); s++) {
        terminal |= m.isTerminal(s);
      }
      for (BigFraction x : r) {
        lo = lo == null || x.compareTo(lo) < 0 ? x : lo;
        hi = hi == null || x.compareTo(hi) > 0 ? x : hi;
      }
      if (lo == null || terminal) {
        lo = lo == null ? BigFraction.ZERO : lo.compareTo(BigFraction.ZERO) < 0 ? lo
            : BigFraction.ZERO;
        hi = hi == null ? BigFraction.ZERO : Rationals.max(hi, BigFraction.ZERO);
      }
      return new Reference<>(m, rho.clone(), sol.values().toExactArray(), sol.policy(), d,
          hi.subtract(lo));
    }

    /** {@return a copy of rho} */
    @Override
    public BigFraction[] rho() {
      return rho.clone();
    }

    /** {@return a copy of V*} */
    @Override
    public BigFraction[] vStar() {
      return vStar.clone();
    }

    /** {@return a copy of d*} */
    @Override
    public BigFraction[] dStar() {
      return dStar.clone();
    }
  }

  /**
   * {@return D_0* = sum_s d*(s) (1/2)||pi*(.|s) - pi_0(.|s)||^2, exactly}
   * @param o the reference
   * @param pi0 an exact start
   */
  public static BigFraction startDivergence(Reference<?, ?> o, TabularPolicy<?, ?> pi0) {
    TabularMdp<?, ?> m = o.mdp();
    BigFraction[] star = o.piStar().toExactArray();
    BigFraction[] p0 = pi0.toExactArray();
    BigFraction acc = BigFraction.ZERO;
    for (int s = 0; s < m.numStates(); s++) {
      BigFraction d = BigFraction.ZERO;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        BigFraction x = star[r].subtract(p0[r]);
        d = d.add(x.multiply(x));
      }
      acc = acc.add(o.dStar[s].multiply(d).divide(2));
    }
    return acc;
  }

  /**
   * Constant-step Euclidean PMD, exactly (see {@link MirrorBounds#pmdConstant}).
   *
   * @param o the reference
   * @param eta the step
   * @param pi0 the start
   * @param k the iterate index
   * @return the bound (vacuous at k = 0)
   */
  public static Bound pmdConstant(Reference<?, ?> o, BigFraction eta, TabularPolicy<?, ?> pi0,
      int k) {
    Source src = Source.derived("spec A2.2 (Euclidean map, exact)");
    if (k <= 0) {
      return Bound.vacuous(MirrorBounds.GAP, "k = 0: the rate bounds k >= 1", src);
    }
    BigFraction g = o.mdp().exact().discount();
    BigFraction one = BigFraction.ONE.subtract(g);
    BigFraction d0 = startDivergence(o, pi0);
    BigFraction value = d0.divide(eta).add(o.range().divide(one)).divide(one.multiply(k));
    return Bound.upper(MirrorBounds.GAP, "(D_0*/eta + R/(1-gamma)) / ((1-gamma) k)", value,
        List.of(Term.of("gamma", "discount", g), Term.of("k", "iteration", new BigFraction(k)),
            Term.of("eta", "constant step", eta), Term.of("D_0*", "sum_s d*(s) (1/2)||pi* - pi_0||^2",
                d0), Term.of("R", "reward range", o.range())), src);
  }

  /**
   * Geometric-step Euclidean PMD, exactly (see {@link MirrorBounds#pmdGeometric}).
   *
   * @param o the reference
   * @param eta0 eta_0
   * @param pi0 the start
   * @param k the iterate index
   * @return the bound
   */
  public static Bound pmdGeometric(Reference<?, ?> o, BigFraction eta0, TabularPolicy<?, ?> pi0,
      int k) {
    Source src = Source.derived("spec A2.3 (Euclidean map, exact; theta raised to at least "
        + "1/(1-gamma), see MirrorBounds.pmdGeometric)");
    TabularMdp<?, ?> m = o.mdp();
    BigFraction g = m.exact().discount();
    BigFraction one = BigFraction.ONE.subtract(g);
    BigFraction ratio = BigFraction.ONE;
    for (int s = 0; s < m.numStates(); s++) {
      if (m.isTerminal(s) || Rationals.signum(o.dStar[s]) <= 0) {
        continue;
      }
      if (Rationals.signum(o.rho[s]) <= 0) {
        return Bound.vacuous(MirrorBounds.GAP, "rho(" + m.states().value(s) + ") = 0 < d*(s)",
            src);
      }
      ratio = Rationals.max(ratio, o.dStar[s].divide(o.rho[s]));
    }
    BigFraction theta = ratio.divide(one);
    if (theta.compareTo(BigFraction.ONE) <= 0) {
      return Bound.vacuous(MirrorBounds.GAP, "theta = " + Rationals.format(theta) + " <= 1", src);
    }
    BigFraction delta0 = Rationals.max(BigFraction.ZERO, gapAtRho(o, pi0));
    BigFraction d0 = startDivergence(o, pi0);
    BigFraction value = BigFraction.ONE.subtract(theta.reciprocal()).pow(k).multiply(delta0.add(
        d0.divide(one.multiply(eta0).multiply(theta.subtract(BigFraction.ONE)))));
    return Bound.upper(MirrorBounds.GAP, "(1 - 1/theta)^k (Delta_0 + D_0*/((1-gamma) eta_0 "
        + "(theta - 1)))", value, List.of(Term.of("gamma", "discount", g),
            Term.of("k", "iteration", new BigFraction(k)), Term.of("eta_0", "first step", eta0),
            Term.of("theta", "(1/(1-gamma)) max(1, max_s d*(s)/rho(s))", theta),
            Term.of("Delta_0", "V*(rho) - V^{pi_0}(rho)", delta0),
            Term.of("D_0*", "sum_s d*(s) (1/2)||pi* - pi_0||^2", d0)), src);
  }

  /**
   * The adaptive rate, exactly (see {@link MirrorBounds#adaptive}).
   *
   * @param o the reference
   * @param c0 c_0
   * @param pi0 the start
   * @param k the iterate index
   * @return the bound on ||V* - V^{pi_k}||_inf
   */
  public static Bound adaptive(Reference<?, ?> o, BigFraction c0, TabularPolicy<?, ?> pi0,
      int k) {
    BigFraction g = o.mdp().exact().discount();
    BigFraction gk = g.pow(k);
    BigFraction e0 = supGap(o, pi0);
    BigFraction value = gk.multiply(e0.add(c0.multiply(BigFraction.ONE.subtract(gk))
        .divide(BigFraction.ONE.subtract(g))));
    return Bound.upper(MirrorBounds.SUP, "gamma^k (||V* - V^{pi_0}||_inf + c_0 (1 - gamma^k)/(1 - "
        + "gamma))", value, List.of(Term.of("gamma", "discount", g),
            Term.of("k", "iteration", new BigFraction(k)), Term.of("c_0", "adaptive constant", c0),
            Term.of("||V* - V^{pi_0}||_inf", "start gap", e0)),
        Source.derived("spec A2.4 (exact)"));
  }

  /**
   * Policy iteration's rate, exactly.
   *
   * @param o the reference
   * @param pi0 the start
   * @param k the iterate index
   * @return the bound on ||V* - V^{pi_k}||_inf
   */
  public static Bound policyIteration(Reference<?, ?> o, TabularPolicy<?, ?> pi0, int k) {
    BigFraction g = o.mdp().exact().discount();
    BigFraction e0 = supGap(o, pi0);
    return Bound.upper(MirrorBounds.SUP, "gamma^k ||V* - V^{pi_0}||_inf", g.pow(k).multiply(e0),
        List.of(Term.of("gamma", "discount", g), Term.of("k", "iteration", new BigFraction(k)),
            Term.of("||V* - V^{pi_0}||_inf", "start gap", e0)),
        Source.derived("spec A2.5 (exact)"));
  }

  /**
   * The exact rate for a Euclidean PMD run's k-th iterate, by its schedule.
   *
   * @param o the reference
   * @param pmd the method (Euclidean map unless the schedule is adaptive or infinite)
   * @param pi0 the start
   * @param k the iterate index
   * @return the bound
   * @throws ModelException when a constant or geometric schedule has a non-Euclidean map
   */
  public static Bound forRun(Reference<?, ?> o, PolicyMirrorDescent pmd, TabularPolicy<?, ?> pi0,
      int k) {
    boolean euclid = pmd.map() instanceof MirrorMap.Euclidean;
    return switch (pmd.step()) {
      case StepSize.Constant c -> euclid ? pmdConstant(o, c.eta(), pi0, k) : notRational(pmd);
      case StepSize.Geometric g -> euclid ? pmdGeometric(o, g.initial(), pi0, k)
          : notRational(pmd);
      case StepSize.Adaptive a -> adaptive(o, a.c0(), pi0, k);
      case StepSize.Infinite i -> policyIteration(o, pi0, k);
    };
  }

  private static Bound notRational(PolicyMirrorDescent pmd) {
    throw new ModelException("the " + pmd.map() + " rate involves logarithms or powers: use "
        + "MirrorBounds (double) for " + pmd);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static BigFraction[] values(Reference<?, ?> o, TabularPolicy<?, ?> pi) {
    return PolicyEvaluation.exact((TabularMdp) o.mdp(), (TabularPolicy) pi).values()
        .toExactArray();
  }

  static BigFraction gapAtRho(Reference<?, ?> o, TabularPolicy<?, ?> pi) {
    BigFraction[] v = values(o, pi);
    BigFraction acc = BigFraction.ZERO;
    for (int s = 0; s < v.length; s++) {
      acc = acc.add(o.rho[s].multiply(o.vStar[s].subtract(v[s])));
    }
    return acc;
  }

  static BigFraction supGap(Reference<?, ?> o, TabularPolicy<?, ?> pi) {
    BigFraction[] v = values(o, pi);
    BigFraction g = BigFraction.ZERO;
    for (int s = 0; s < v.length; s++) {
      g = Rationals.max(g, o.vStar[s].subtract(v[s]));
    }
    return g;
  }
}
