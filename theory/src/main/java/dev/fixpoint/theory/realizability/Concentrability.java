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
import org.jspecify.annotations.Nullable;

/**
 * Concentrability coefficients of a data distribution mu (spec B4), exact when the model, mu and
 * the policy are exact. Conventions: a ratio x/0 with x &gt; 0 is +infinity, 0/0 is 0; rho is the
 * model's initial distribution.
 *
 * <ul>
 *   <li>single-policy C^pi = max_{s,a} d_rho^pi(s,a)/mu(s,a);
 *   <li>all-policy C_all = sup_pi max_{s,a} d_rho^pi(s,a)/mu(s,a) = max_{s,a} dmax(s,a)/mu(s,a),
 *       dmax(s,a) = (1 - gamma) V*_{r = e_(s,a)}(rho): one exact policy-iteration solve per
 *       (state, action) row with the indicator reward (deterministic policies suffice);
 *   <li>per-step (Chen and Jiang 2019): C_CJ(H) = max_{t &lt;= H} max_{s,a} reach_t(s)/mu(s,a) with
 *       reach_t(s) = max over policies of Pr(s_t = s) by a finite-horizon dynamic programme (the
 *       action at time t is chosen freely), a lower bound on the supremum over all t;
 *   <li>Munos-style (Munos 2007; Munos and Szepesvari 2008): c(m) = max_s reach_m(s)/mu_S(s) with
 *       mu_S the state marginal (state form: numerator and denominator are both state
 *       distributions), C_{rho,mu} = (1 - gamma)^2 sum_{m &gt;= 1} m gamma^{m-1} c(m), truncated at
 *       m = H and bounded above by adding the tail with c(m) &lt;= 1/min_s mu_S(s).
 * </ul>
 *
 * Order (spec B4, derived): C^pi &lt;= C_all &lt;= C_CJ(H) + gamma^{H+1}/min mu, and C^pi &gt;= 1
 * with equality iff mu = d_rho^pi (no terminal states).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Concentrability {
  private Concentrability() {}

  private static final Source RECALLED = Source.proxy("spec B4 [P]: the definition is recalled "
      + "from the paper (Chen and Jiang 2019; Munos 2007, Munos and Szepesvari 2008), whose text "
      + "was not re-read");

  private static boolean exact(TabularMdp<?, ?> m, DataWeights mu,
      @Nullable TabularPolicy<?, ?> pi) {
    return m.isExact() && mu.isExact() && (pi == null || pi.isExact());
  }

  /**
   * {@return C^pi = max_{s,a} d_rho^pi(s,a)/mu(s,a), with the maximising row in its meaning}
   * @param m the model
   * @param pi the policy
   * @param mu the data distribution
   */
  public static Term single(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi, DataWeights mu) {
    if (exact(m, mu, pi)) {
      return single(Field.EXACT, m, pi, mu);
    }
    return single(Field.DOUBLE, m, pi, mu);
  }

  private static <T> Term single(Field<T> f, TabularMdp<?, ?> m, TabularPolicy<?, ?> pi,
      DataWeights mu) {
    RowModel<T> rm = new RowModel<>(f, m);
    T[] d = rm.occupancy(rm.policy(pi));
    return maxRatio(f, m, d, check(m, mu).in(f), "C^pi", "max_{s,a} d_rho^pi(s,a)/mu(s,a)");
  }

  /**
   * {@return dmax(s,a) = sup_pi d_rho^pi(s,a) over rows (exact policy iteration per row when the
   * model is exact)}
   * @param m the model
   */
  public static double[] maxOccupancy(TabularMdp<?, ?> m) {
    if (m.isExact()) {
      return Dense.toDoubles(Field.EXACT, maxOccupancy(Field.EXACT, m));
    }
    return Dense.toDoubles(Field.DOUBLE, maxOccupancy(Field.DOUBLE, m));
  }

  /**
   * {@return dmax as rationals}
   * @param m an exact model
   */
  public static BigFraction[] maxOccupancyExact(TabularMdp<?, ?> m) {
    return maxOccupancy(Field.EXACT, m);
  }

  /**
   * {@return C_all = max_{s,a} dmax(s,a)/mu(s,a)}
   * @param m the model
   * @param mu the data distribution
   */
  public static Term all(TabularMdp<?, ?> m, DataWeights mu) {
    if (exact(m, mu, null)) {
      return maxRatio(Field.EXACT, m, maxOccupancy(Field.EXACT, m), check(m, mu).in(Field.EXACT),
          "C_all", "sup_pi max_{s,a} d_rho^pi(s,a)/mu(s,a)");
    }
    return maxRatio(Field.DOUBLE, m, maxOccupancy(Field.DOUBLE, m), check(m, mu).in(Field.DOUBLE),
        "C_all", "sup_pi max_{s,a} d_rho^pi(s,a)/mu(s,a)");
  }

  /**
   * The per-step coefficient C_CJ(H) as a lower bound on sup_{t &gt;= 0} (the horizon is a term).
   *
   * @param m the model
   * @param mu the data distribution
   * @param horizon H &gt;= 0
   * @return a lower bound whose value is max_{t &lt;= H} max_{s,a} reach_t(s)/mu(s,a)
   */
  public static Bound perStep(TabularMdp<?, ?> m, DataWeights mu, int horizon) {
    if (exact(m, mu, null)) {
      return perStep(Field.EXACT, m, mu, horizon);
    }
    return perStep(Field.DOUBLE, m, mu, horizon);
  }

  private static <T> Bound perStep(Field<T> f, TabularMdp<?, ?> m, DataWeights mu, int horizon) {
    checkHorizon(horizon);
    RowModel<T> rm = new RowModel<>(f, m);
    T[] w = check(m, mu).in(f);
    T[][] reach = reach(rm, horizon);
    T best = f.zero();
    boolean infinite = false;
    int bestT = 0;
    for (int t = 0; t <= horizon; t++) {
      for (int s = 0; s < rm.numStates; s++) {
        for (int j = m.rowStart(s); j < m.rowEnd(s); j++) {
          if (f.negligible(reach[t][s], 1.0)) {
            continue;
          }
          if (f.isZero(w[j])) {
            infinite = true;
            continue;
          }
          T ratio = f.div(reach[t][s], w[j]);
          if (f.compare(ratio, best) > 0) {
            best = ratio;
            bestT = t;
          }
        }
      }
    }
    String q = "C_CJ = sup_{t>=0} sup_pi max_{s,a} Pr(s_t = s, a_t = a)/mu(s,a)";
    if (infinite) {
      return Bound.vacuous(q, "some reachable (s, a) has mu(s, a) = 0: the coefficient is "
          + "infinite", RECALLED);
    }
    List<Term> terms = List.of(Term.of("H", "horizon searched", horizon),
        Term.of("t*", "the step attaining the maximum", bestT));
    return f.isExact()
        ? Bound.lower(q, "max_{t<=H} max_{s,a} reach_t(s)/mu(s,a)", (BigFraction) best, terms,
            RECALLED)
        : Bound.lower(q, "max_{t<=H} max_{s,a} reach_t(s)/mu(s,a)", f.toDouble(best), terms,
            RECALLED);
  }

  /**
   * The Munos-style coefficient C_{rho,mu} = (1 - gamma)^2 sum_{m&gt;=1} m gamma^{m-1} c(m), as
   * [lower, upper]: the sum truncated at H, and the truncated sum plus the tail bound
   * c(m) &lt;= 1/min_s mu_S(s), which adds (1/min mu_S) ((H+1) gamma^H (1 - gamma) + gamma^{H+1}).
   *
   * @param m the model
   * @param mu the data distribution
   * @param horizon H &gt;= 1
   * @return [lower, upper] (vacuous when a reachable state has mu_S = 0)
   */
  public static List<Bound> munos(TabularMdp<?, ?> m, DataWeights mu, int horizon) {
    if (exact(m, mu, null)) {
      return munos(Field.EXACT, m, mu, horizon);
    }
    return munos(Field.DOUBLE, m, mu, horizon);
  }

  private static <T> List<Bound> munos(Field<T> f, TabularMdp<?, ?> m, DataWeights mu,
      int horizon) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon H = " + horizon + " must be >= 1");
    }
    RowModel<T> rm = new RowModel<>(f, m);
    T[] w = check(m, mu).in(f);
    T[] ms = f.vector(rm.numStates);
    T minMs = null;
    for (int s = 0; s < rm.numStates; s++) {
      for (int j = m.rowStart(s); j < m.rowEnd(s); j++) {
        ms[s] = f.add(ms[s], w[j]);
      }
    }
    T[][] reach = reach(rm, horizon);
    String q = "C_{rho,mu} = (1-gamma)^2 sum_{m>=1} m gamma^{m-1} c(m)";
    T sum = f.zero();
    T gp = f.one(); // gamma^{k-1}
    for (int k = 1; k <= horizon; k++) {
      T c = f.zero();
      for (int s = 0; s < rm.numStates; s++) {
        if (f.negligible(reach[k][s], 1.0)) {
          continue;
        }
        if (f.isZero(ms[s])) {
          return List.of(Bound.vacuous(q, "state " + m.states().value(s) + " is reachable at "
              + "step " + k + " but mu_S = 0", RECALLED));
        }
        T ratio = f.div(reach[k][s], ms[s]);
        if (f.compare(ratio, c) > 0) {
          c = ratio;
        }
      }
      sum = f.add(sum, f.mul(f.mul(f.fromInt(k), gp), c));
      gp = f.mul(gp, rm.gamma);
    }
    for (int s = 0; s < rm.numStates; s++) {
      if (!f.isZero(ms[s]) && (minMs == null || f.compare(ms[s], minMs) < 0)) {
        minMs = ms[s];
      }
    }
    T omg = f.sub(f.one(), rm.gamma);
    T lower = f.mul(f.mul(omg, omg), sum);
    // gp = gamma^H now
    T tail = f.add(f.mul(f.mul(f.fromInt(horizon + 1), gp), omg), f.mul(gp, rm.gamma));
    T cmax = minMs == null ? f.zero() : f.div(f.one(), minMs);
    T upper = f.add(lower, f.mul(cmax, tail));
    List<Term> terms = List.of(LinearEvaluation.term(f, "gamma", "discount", rm.gamma),
        Term.of("H", "truncation horizon", horizon),
        LinearEvaluation.term(f, "1/min mu_S", "bound on every c(m)", cmax));
    if (f.isExact()) {
      return List.of(
          Bound.lower(q, "(1-gamma)^2 sum_{m=1..H} m gamma^{m-1} c(m)", (BigFraction) lower,
              terms, RECALLED),
          Bound.upper(q, "truncated sum + (1/min mu_S)((H+1) gamma^H (1-gamma) + gamma^{H+1})",
              (BigFraction) upper, terms, RECALLED));
    }
    return List.of(
        Bound.lower(q, "(1-gamma)^2 sum_{m=1..H} m gamma^{m-1} c(m)", f.toDouble(lower), terms,
            RECALLED),
        Bound.upper(q, "truncated sum + (1/min mu_S)((H+1) gamma^H (1-gamma) + gamma^{H+1})",
            f.toDouble(upper), terms, RECALLED));
  }

  /**
   * {@return reach[t][s] = max over policies of Pr(s_t = s), t = 0..H, from rho}
   * @param m the model
   * @param horizon H
   */
  public static double[][] reach(TabularMdp<?, ?> m, int horizon) {
    checkHorizon(horizon);
    if (m.isExact()) {
      return Dense.toDoubles(Field.EXACT, reach(new RowModel<>(Field.EXACT, m), horizon));
    }
    return Dense.toDoubles(Field.DOUBLE, reach(new RowModel<>(Field.DOUBLE, m), horizon));
  }

  /** For each target s: U_0 = e_s, U_{k+1}(x) = max_{rows r of x} sum_y p(y|r) U_k(y). */
  private static <T> T[][] reach(RowModel<T> rm, int horizon) {
    TabularMdp<?, ?> m = rm.m;
    int sn = rm.numStates;
    T[][] out = rm.f.matrix(horizon + 1, sn);
    Field<T> f = rm.f;
    for (int target = 0; target < sn; target++) {
      T[] u = f.vector(sn);
      u[target] = f.one();
      for (int t = 0; t <= horizon; t++) {
        T acc = f.zero();
        for (int x = 0; x < sn; x++) {
          acc = f.add(acc, f.mul(rm.rho[x], u[x]));
        }
        out[t][target] = acc;
        if (t == horizon) {
          break;
        }
        T[] next = f.vector(sn);
        for (int x = 0; x < sn; x++) {
          T best = f.zero();
          for (int r = m.rowStart(x); r < m.rowEnd(x); r++) {
            T v = f.zero();
            for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
              v = f.add(v, f.mul(rm.prob(k), u[m.next(k)]));
            }
            if (f.compare(v, best) > 0) {
              best = v;
            }
          }
          next[x] = best;
        }
        u = next;
      }
    }
    return out;
  }

  /** Policy iteration with the indicator reward of each row, over deterministic policies. */
  private static <T> T[] maxOccupancy(Field<T> f, TabularMdp<?, ?> m) {
    RowModel<T> rm = new RowModel<>(f, m);
    int n = rm.n;
    int sn = rm.numStates;
    T[] out = f.vector(n);
    T omg = f.sub(f.one(), rm.gamma);
    for (int j = 0; j < n; j++) {
      int[] choice = new int[sn];
      for (int s = 0; s < sn; s++) {
        choice[s] = m.rowEnd(s) > m.rowStart(s) ? m.rowStart(s) : -1;
      }
      T[] v = null;
      for (int iter = 0; iter < 10_000; iter++) {
        T[][] a = Dense.identity(f, sn);
        T[] b = f.vector(sn);
        for (int s = 0; s < sn; s++) {
          int r = choice[s];
          if (r < 0) {
            continue;
          }
          b[s] = r == j ? f.one() : f.zero();
          for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
            a[s][m.next(k)] = f.sub(a[s][m.next(k)], f.mul(rm.gamma, rm.prob(k)));
          }
        }
        v = Dense.solve(f, a, b);
        if (v == null) {
          throw new ModelException(m.name() + ": I - gamma P_pi is singular (gamma = 1?); "
              + "occupancies are undefined");
        }
        boolean changed = false;
        for (int s = 0; s < sn; s++) {
          int r0 = choice[s];
          if (r0 < 0) {
            continue;
          }
          T bestQ = backup(rm, v, r0, j);
          int bestR = r0;
          for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
            T qv = backup(rm, v, r, j);
            if (f.compare(qv, bestQ) > 0 && !f.negligible(f.sub(qv, bestQ), 1.0)) {
              bestQ = qv;
              bestR = r;
            }
          }
          if (bestR != r0) {
            choice[s] = bestR;
            changed = true;
          }
        }
        if (!changed) {
          break;
        }
      }
      T acc = f.zero();
      for (int s = 0; s < sn; s++) {
        acc = f.add(acc, f.mul(rm.rho[s], v[s]));
      }
      out[j] = f.mul(omg, acc);
    }
    return out;
  }

  private static <T> T backup(RowModel<T> rm, T[] v, int r, int j) {
    Field<T> f = rm.f;
    T q = r == j ? f.one() : f.zero();
    for (int k = rm.m.entryStart(r); k < rm.m.entryEnd(r); k++) {
      q = f.add(q, f.mul(rm.gamma, f.mul(rm.prob(k), v[rm.m.next(k)])));
    }
    return q;
  }

  private static <T> Term maxRatio(Field<T> f, TabularMdp<?, ?> m, T[] num, T[] mu,
      String symbol, String meaning) {
    T best = f.zero();
    int arg = -1;
    for (int j = 0; j < num.length; j++) {
      if (f.negligible(num[j], 1.0)) {
        continue; // 0/0 := 0, 0/x = 0 (double tier: |num| <= 1e-10 counts as 0, rounding noise)
      }
      if (f.isZero(mu[j])) {
        return Term.of(symbol, meaning + ": infinite, d > 0 = mu at state "
            + m.states().value(m.rowState(j)) + ", action " + m.actions().value(m.rowAction(j)),
            Double.POSITIVE_INFINITY);
      }
      T ratio = f.div(num[j], mu[j]);
      if (arg < 0 || f.compare(ratio, best) > 0) {
        best = ratio;
        arg = j;
      }
    }
    String where = arg < 0 ? "" : ", attained at state " + m.states().value(m.rowState(arg))
        + ", action " + m.actions().value(m.rowAction(arg));
    return LinearEvaluation.term(f, symbol, meaning + where, best);
  }

  private static DataWeights check(TabularMdp<?, ?> m, DataWeights mu) {
    if (mu.toArray().length != m.numRows()) {
      throw new ModelException("mu has " + mu.toArray().length + " weights, the model "
          + m.name() + " has " + m.numRows() + " rows");
    }
    return mu;
  }

  private static void checkHorizon(int horizon) {
    if (horizon < 0) {
      throw new IllegalArgumentException("horizon H = " + horizon + " must be >= 0");
    }
  }

}
