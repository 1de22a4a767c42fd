package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.Bound.Source;
import dev.fixpoint.dsl.Bound.Term;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import io.vavr.collection.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * From Bellman error to value error (spec B5), for any f in R^n over the rows of a model.
 *
 * <ol>
 *   <li>OPE identity: V^pi(rho) - &lt;rho_pi, f&gt; = (1/(1-gamma)) &lt;d_rho^pi, T^pi f - f&gt;
 *       (exact), hence |V^pi(rho) - &lt;rho_pi, f&gt;| &lt;= sqrt(C^pi) ||T^pi f - f||_mu / (1-gamma)
 *       (Cauchy-Schwarz with d/mu &lt;= C^pi);
 *   <li>control: for pi_f greedy for f, V*(rho) - V^{pi_f}(rho) &lt;= (1/(1-gamma)) (&lt;d*, Tf -
 *       f&gt; - &lt;d^{pi_f}, Tf - f&gt;) &lt;= 2 sqrt(max(C^{pi*}, C^{pi_f})) ||Tf - f||_mu/(1-gamma)
 *       (the form used by Chen and Jiang 2019);
 *   <li>sup norm: ||f - Q^pi||_inf &lt;= ||f - T^pi f||_inf/(1-gamma) and ||V* - V^{G(f)}||_inf
 *       &lt;= 2 ||f - Q*||_inf/(1-gamma) (Singh and Yee 1994);
 *   <li>approximate VI: Q_{k+1} = T Q_k + eps_k with ||eps_k||_inf &lt;= eps gives ||V* -
 *       V^{G(Q_K)}||_inf &lt;= (2/(1-gamma)) (gamma^K ||Q_0 - Q*||_inf + eps/(1-gamma)).
 * </ol>
 * All derived in the spec (B5, numerically checked there). Double tier only for f (the identity
 * is checked exactly by the property tests through {@link #opeIdentityExact}).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class BellmanToValue {
  private BellmanToValue() {}

  private static final Source B5 = Source.derived("spec B5 (performance-difference and "
      + "telescoping identities), docs/realizability.md");

  /**
   * Both sides of the OPE identity.
   *
   * @param lhs V^pi(rho) - &lt;rho_pi, f&gt;
   * @param rhs (1/(1-gamma)) &lt;d_rho^pi, T^pi f - f&gt;
   */
  public record Sides(double lhs, double rhs) {}

  /**
   * {@return both sides of the OPE identity in double}
   * @param m the model (gamma &lt; 1)
   * @param pi the policy
   * @param f any function over rows
   */
  public static Sides opeIdentity(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi, double[] f) {
    Double[] fb = box(m, f);
    RowModel<Double> rm = new RowModel<>(Field.DOUBLE, m);
    Double[][] s = sides(Field.DOUBLE, rm, rm.policy(pi), fb);
    return new Sides(s[0][0], s[0][1]);
  }

  /**
   * {@return both sides of the OPE identity as exact rationals, [lhs, rhs]}
   * @param m an exact model (gamma &lt; 1)
   * @param pi an exact policy
   * @param f any rational function over rows
   */
  public static BigFraction[] opeIdentityExact(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi,
      BigFraction[] f) {
    if (f.length != m.numRows()) {
      throw new ModelException("f has " + f.length + " entries, the model has " + m.numRows()
          + " rows");
    }
    RowModel<BigFraction> rm = new RowModel<>(Field.EXACT, m);
    BigFraction[][] s = sides(Field.EXACT, rm, rm.policy(pi), f.clone());
    return s[0];
  }

  private static <T> T[][] sides(Field<T> fl, RowModel<T> rm, T[] pi, T[] f) {
    T[][] ppi = rm.kernel(pi);
    T[] q = rm.evaluate(ppi, rm.r);
    T[] rhoPi = rm.startRows(pi);
    T[] d = rm.occupancy(pi);
    T[] pf = Dense.mul(fl, ppi, f);
    T lhs = fl.zero();
    T inner = fl.zero();
    for (int i = 0; i < rm.n; i++) {
      lhs = fl.add(lhs, fl.mul(rhoPi[i], fl.sub(q[i], f[i])));
      T bellman = fl.sub(fl.add(rm.r[i], fl.mul(rm.gamma, pf[i])), f[i]);
      inner = fl.add(inner, fl.mul(d[i], bellman));
    }
    T[][] out = fl.matrix(1, 2);
    out[0][0] = lhs;
    out[0][1] = fl.div(inner, fl.sub(fl.one(), rm.gamma));
    return out;
  }

  /**
   * {@return |V^pi(rho) - &lt;rho_pi, f&gt;| &lt;= sqrt(C^pi) ||T^pi f - f||_mu / (1-gamma)}
   * @param m the model
   * @param pi the evaluated policy
   * @param f the estimate over rows
   * @param mu the data distribution
   */
  public static Bound opeBound(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi, double[] f,
      DataWeights mu) {
    Term c = Concentrability.single(m, pi, mu);
    double g = m.discount();
    String q = "|V^pi(rho) - <rho_pi, f>|";
    if (!Double.isFinite(c.value())) {
      return Bound.vacuous(q, "C^pi is infinite (" + c.meaning() + ")", B5);
    }
    double be = muNorm(mu.toArray(), bellmanResidual(m, pi, f));
    return Bound.upper(q, "sqrt(C^pi) ||T^pi f - f||_mu / (1 - gamma)",
        Math.sqrt(c.value()) * be / (1 - g), List.of(Term.of("gamma", "discount", g), c,
            Term.of("||T^pi f - f||_mu", "Bellman residual of f under mu", be)), B5);
  }

  /**
   * {@return V*(rho) - V^{pi_f}(rho) &lt;= 2 sqrt(max(C^{pi*}, C^{pi_f})) ||Tf - f||_mu/(1-gamma),
   * pi_f greedy for f (first maximising row per state)}
   * @param m the model
   * @param f the estimate over rows
   * @param mu the data distribution
   */
  public static Bound controlBound(TabularMdp<?, ?> m, double[] f, DataWeights mu) {
    TabularPolicy<?, ?> star = Realizability.optimalPolicy(m);
    TabularPolicy<?, ?> pf = greedy(m, f);
    Term cs = Concentrability.single(m, star, mu);
    Term cf = Concentrability.single(m, pf, mu);
    double g = m.discount();
    String q = "V*(rho) - V^{pi_f}(rho)";
    double c = Math.max(cs.value(), cf.value());
    if (!Double.isFinite(c)) {
      return Bound.vacuous(q, "a concentrability coefficient is infinite", B5);
    }
    double[] tf = optimalityBackup(m, f);
    double[] res = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      res[i] = tf[i] - f[i];
    }
    double be = muNorm(mu.toArray(), res);
    return Bound.upper(q, "2 sqrt(max(C^{pi*}, C^{pi_f})) ||Tf - f||_mu / (1 - gamma)",
        2 * Math.sqrt(c) * be / (1 - g), List.of(Term.of("gamma", "discount", g), cs, cf,
            Term.of("||Tf - f||_mu", "optimality Bellman residual of f", be)),
        Source.derived("spec B5.2; the 2 sqrt(C)/(1-gamma) shape as in Chen and Jiang 2019 "
            + "(recalled, [P])"));
  }

  /**
   * {@return ||f - Q^pi||_inf &lt;= ||f - T^pi f||_inf / (1-gamma)}
   * @param m the model
   * @param pi the policy
   * @param f the estimate over rows
   */
  public static Bound supNormEvaluation(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi, double[] f) {
    double be = supNorm(bellmanResidual(m, pi, f));
    double g = m.discount();
    return Bound.upper("||f - Q^pi||_inf", "||f - T^pi f||_inf / (1 - gamma)", be / (1 - g),
        List.of(Term.of("gamma", "discount", g), Term.of("||f - T^pi f||_inf", "residual", be)),
        B5);
  }

  /**
   * {@return ||V* - V^{G(f)}||_inf &lt;= 2 ||f - Q*||_inf / (1-gamma) (Singh and Yee 1994)}
   * @param gamma the discount
   * @param distance ||f - Q*||_inf
   */
  public static Bound greedyLoss(double gamma, double distance) {
    return Bound.upper("||V* - V^{G(f)}||_inf", "2 ||f - Q*||_inf / (1 - gamma)",
        2 * distance / (1 - gamma), List.of(Term.of("gamma", "discount", gamma),
            Term.of("||f - Q*||_inf", "distance to Q*", distance)),
        Source.derived("spec B5.3 (Singh and Yee 1994)"));
  }

  /**
   * {@return the approximate-VI bound (2/(1-gamma))(gamma^K ||Q_0 - Q*||_inf + eps/(1-gamma))}
   * @param gamma the discount
   * @param iterations K
   * @param initialError ||Q_0 - Q*||_inf
   * @param eps the bound on every ||eps_k||_inf
   */
  public static Bound approximateValueIteration(double gamma, int iterations, double initialError,
      double eps) {
    double v = 2 / (1 - gamma) * (Math.pow(gamma, iterations) * initialError + eps / (1 - gamma));
    return Bound.upper("||V* - V^{G(Q_K)}||_inf",
        "(2/(1-gamma)) (gamma^K ||Q_0 - Q*||_inf + eps/(1-gamma))", v,
        List.of(Term.of("gamma", "discount", gamma), Term.of("K", "iterations", iterations),
            Term.of("||Q_0 - Q*||_inf", "initial error", initialError),
            Term.of("eps", "per-step error bound", eps)),
        Source.derived("spec B5.4"));
  }

  /**
   * {@return T^pi f - f over rows}
   * @param m the model
   * @param pi the policy
   * @param f a function over rows
   */
  public static double[] bellmanResidual(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi, double[] f) {
    double[] p = pi.toArray();
    double g = m.discount();
    double[] out = new double[f.length];
    checkLength(m, f);
    for (int r = 0; r < f.length; r++) {
      double acc = m.reward(r);
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        int s = m.next(k);
        double v = 0;
        for (int j = m.rowStart(s); j < m.rowEnd(s); j++) {
          v += p[j] * f[j];
        }
        acc += g * m.prob(k) * v;
      }
      out[r] = acc - f[r];
    }
    return out;
  }

  /**
   * {@return T f over rows, (T f)(s,a) = r(s,a) + gamma sum_s' p(s'|s,a) max_a' f(s',a')}
   * @param m the model
   * @param f a function over rows
   */
  public static double[] optimalityBackup(TabularMdp<?, ?> m, double[] f) {
    checkLength(m, f);
    double g = m.discount();
    double[] out = new double[f.length];
    for (int r = 0; r < f.length; r++) {
      double acc = m.reward(r);
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        int s = m.next(k);
        double v = m.rowEnd(s) > m.rowStart(s) ? Double.NEGATIVE_INFINITY : 0;
        for (int j = m.rowStart(s); j < m.rowEnd(s); j++) {
          v = Math.max(v, f[j]);
        }
        acc += g * m.prob(k) * v;
      }
      out[r] = acc;
    }
    return out;
  }

  /**
   * {@return a deterministic policy greedy for f (first maximising row per state)}
   * @param m the model
   * @param f a function over rows
   * @param <S> state type
   * @param <A> action type
   */
  public static <S, A> TabularPolicy<S, A> greedy(TabularMdp<S, A> m, double[] f) {
    checkLength(m, f);
    int[] rows = new int[m.numStates()];
    for (int s = 0; s < rows.length; s++) {
      rows[s] = -1;
      for (int j = m.rowStart(s); j < m.rowEnd(s); j++) {
        if (rows[s] < 0 || f[j] > f[rows[s]]) {
          rows[s] = j;
        }
      }
    }
    return TabularPolicy.deterministic(m, rows);
  }

  static double muNorm(double[] mu, double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += mu[i] * x[i] * x[i];
    }
    return Math.sqrt(s);
  }

  static double supNorm(double[] x) {
    double s = 0;
    for (double v : x) {
      s = Math.max(s, Math.abs(v));
    }
    return s;
  }

  private static Double[] box(TabularMdp<?, ?> m, double[] f) {
    checkLength(m, f);
    Double[] b = new Double[f.length];
    for (int i = 0; i < f.length; i++) {
      b[i] = f[i];
    }
    return b;
  }

  private static void checkLength(TabularMdp<?, ?> m, double[] f) {
    if (f.length != m.numRows()) {
      throw new ModelException("f has " + f.length + " entries, the model " + m.name() + " has "
          + m.numRows() + " rows");
    }
  }

}
