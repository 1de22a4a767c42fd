package dev.fixpoint.tabular.operators;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Operator;
import dev.fixpoint.dsl.Operator.Compose;
import dev.fixpoint.dsl.Operator.Lambda;
import dev.fixpoint.dsl.Operator.NStep;
import dev.fixpoint.dsl.Operator.Optimality;
import dev.fixpoint.dsl.Operator.PolicyEvaluation;
import dev.fixpoint.dsl.Operator.Power;
import dev.fixpoint.dsl.Operator.Soft;
import dev.fixpoint.dsl.Operator.Traces;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.internal.Csr;
import dev.fixpoint.tabular.internal.LinearSystems;
import dev.fixpoint.tabular.traces.TraceOperators;
import org.apiguardian.api.API;

/**
 * Gives {@link Operator} terms their meaning in double arithmetic on Q-functions over the rows of
 * a {@link TabularMdp}.
 *
 * <p>Every operator is computed exactly up to floating-point rounding, except the lambda-return of
 * a non-linear base (T*, T_tau, ...), an infinite non-linear series (1 - lambda) sum_{n &gt;= 0}
 * lambda^n B^(n+1) Q: it keeps the terms B Q, ..., B^N Q, puts the tail weight lambda^N on the last
 * one, and {@link Applied#tailBound()} carries the bound lambda^N c^N / (1 - c) ||B Q - Q||_inf on
 * the truncation error, where c &lt; 1 is the base's contraction modulus (derivation: for m &gt;= N,
 * ||B^(m+1) Q - B^N Q|| &lt;= sum_{j &gt;= N} c^j ||BQ - Q|| = c^N/(1-c) ||BQ - Q||, and the tail
 * weights sum to lambda^N). N grows until the bound is below {@value #SERIES_TOLERANCE} max(1,
 * ||Q||) or N reaches {@value #MAX_TERMS}. The lambda-return of
 * T^pi is computed in closed form, Q + (I - gamma lambda P_pi)^-1 (T^pi Q - Q) (Sutton 1988;
 * Sutton &amp; Barto 2018, ch. 12), by one linear solve over the rows.
 */
@API(status = API.Status.STABLE)
public final class DoubleInterpreter {
  /** The truncation target for the lambda series, relative to max(1, ||Q||). */
  static final double SERIES_TOLERANCE = 1e-13;

  /** The most terms of a truncated lambda series. */
  static final int MAX_TERMS = 100_000;

  /** Rows up to which the closed-form lambda-return uses a dense solve. */
  static final int DENSE_ROWS = 3_000;

  private DoubleInterpreter() {}

  /**
   * The result of applying an operator.
   *
   * @param q the new Q over rows
   * @param tailBound a bound on the sup-norm error of truncated series inside the term (0 when
   *     nothing was truncated)
   */
  public record Applied(double[] q, double tailBound) {}

  /**
   * Applies an operator; any truncation error is below {@value #SERIES_TOLERANCE} times max(1,
   * ||Q||), or see {@link #evaluate} for the bound.
   *
   * @param op the operator term
   * @param mdp the model whose rows index q
   * @param q Q over rows (not modified)
   * @return op(q) over rows
   * @throws ModelException when the term does not fit the model (a policy picks an unavailable
   *     action) or a series cannot be bounded (lambda of a base with modulus 1)
   */
  public static double[] apply(Operator op, TabularMdp<?, ?> mdp, double[] q) {
    return evaluate(op, mdp, q).q();
  }

  /**
   * Applies an operator and reports the truncation bound.
   *
   * @param op the operator term
   * @param mdp the model
   * @param q Q over rows (not modified)
   * @return op(q) and its tail bound
   */
  public static Applied evaluate(Operator op, TabularMdp<?, ?> mdp, double[] q) {
    if (q.length != mdp.numRows()) {
      throw new IllegalArgumentException("Q has " + q.length + " values for " + mdp.numRows()
          + " rows");
    }
    for (int r = 0; r < q.length; r++) {
      if (!Double.isFinite(q[r])) {
        throw new ModelException("Q at row " + r + " is " + q[r] + ": must be finite");
      }
    }
    return eval(op, mdp, q);
  }

  private static Applied eval(Operator op, TabularMdp<?, ?> mdp, double[] q) {
    Csr m = mdp.csr();
    return switch (op) {
      case PolicyEvaluation(var pi) ->
          new Applied(backup(m, expectedValues(m, Policies.tabulate(pi, mdp).toArray(), q)), 0);
      case Optimality() -> new Applied(backup(m, maxValues(m, q)), 0);
      case Soft(var tau) -> new Applied(backup(m, softValues(m, Rationals.toDouble(tau), q)), 0);
      case NStep(var pi, int n) -> {
        double[] p = Policies.tabulate(pi, mdp).toArray();
        double[] x = q;
        for (int i = 0; i < n; i++) {
          x = backup(m, expectedValues(m, p, x));
        }
        yield new Applied(x, 0);
      }
      case Power(var base, int n) -> {
        double c = modulus(base, mdp);
        double[] x = q.clone();
        double err = 0;
        for (int i = 0; i < n; i++) {
          Applied a = eval(base, mdp, x);
          x = a.q();
          err = c * err + a.tailBound();
        }
        yield new Applied(x, err);
      }
      case Compose(var outer, var inner) -> {
        Applied in = eval(inner, mdp, q);
        Applied out = eval(outer, mdp, in.q());
        yield new Applied(out.q(), modulus(outer, mdp) * in.tailBound() + out.tailBound());
      }
      case Lambda(var lam, var base) -> base instanceof PolicyEvaluation(var pi)
          ? new Applied(lambdaOfPolicy(m, Policies.tabulate(pi, mdp).toArray(),
              Rationals.toDouble(lam), q), 0)
          : lambdaSeries(mdp, Rationals.toDouble(lam), base, q);
      case Traces(var pi, var mu, var rule) -> {
        var op2 = TraceOperators.ofDouble(mdp, pi, mu, rule);
        double err = 0;
        if (op2.tail() > 0) {
          // ||M Q - M_H Q|| <= tau ||T_pi Q - Q|| (spec traces.md 2.2)
          double[] tq = backup(m, expectedValues(m, Policies.tabulate(pi, mdp).toArray(), q));
          double gap = 0;
          for (int r = 0; r < q.length; r++) {
            gap = Math.max(gap, Math.abs(tq[r] - q[r]));
          }
          err = op2.tail() * gap;
        }
        yield new Applied(op2.apply(q), err);
      }
    };
  }

  /**
   * The sup-norm contraction modulus of an operator on this model: gamma for T^pi, T* and T_tau;
   * gamma^n for n steps; c1 c2 for a composition; c^n for a power; (1 - lambda) c / (1 - lambda c)
   * for the lambda-return of a base with modulus c; ||Z||_inf for a trace operator M Q = b + Z Q
   * (which exceeds 1 for rules that break Condition 5.1, see {@code TraceOperators}).
   *
   * @param op the operator
   * @param mdp the model (for its discount)
   * @return the modulus (at most 1 except for trace operators whose certificate fails)
   */
  public static double modulus(Operator op, TabularMdp<?, ?> mdp) {
    double g = mdp.discount();
    return switch (op) {
      case PolicyEvaluation p -> g;
      case Optimality o -> g;
      case Soft s -> g;
      case NStep(var pi, int n) -> Math.pow(g, n);
      case Power(var base, int n) -> Math.pow(modulus(base, mdp), n);
      case Compose(var outer, var inner) -> modulus(outer, mdp) * modulus(inner, mdp);
      case Lambda(var lam, var base) -> {
        double c = modulus(base, mdp);
        double l = Rationals.toDouble(lam);
        yield (1 - l) * c / (1 - l * c);
      }
      // ||Z||_inf of the affine trace operator: exact Lipschitz constant, may exceed 1
      case Traces(var pi, var mu, var rule) -> {
        var c = TraceOperators.ofDouble(mdp, pi, mu, rule).certificate();
        yield c.norm() + c.normError();
      }
    };
  }

  // ---------------------------------------------------------------- kernels

  /** q'(r) = reward(r) + gamma sum_k p_k v(next_k). */
  static double[] backup(Csr m, double[] v) {
    double[] out = transition(m, v);
    double[] reward = m.reward();
    double g = m.discount();
    for (int r = 0; r < out.length; r++) {
      out[r] = reward[r] + g * out[r];
    }
    return out;
  }

  /** (P v)(r) = sum_k p_k v(next_k), over rows. */
  static double[] transition(Csr m, double[] v) {
    int rows = m.numRows();
    int[] es = m.entryStart();
    int[] next = m.next();
    double[] prob = m.prob();
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      double acc = 0;
      for (int k = es[r], e = es[r + 1]; k < e; k++) {
        acc += prob[k] * v[next[k]];
      }
      out[r] = acc;
    }
    return out;
  }

  /** v(s) = sum over rows of s of pi(r) q(r); 0 at terminal states. */
  static double[] expectedValues(Csr m, double[] pi, double[] q) {
    int n = m.numStates();
    int[] rs = m.rowStart();
    double[] v = new double[n];
    for (int s = 0; s < n; s++) {
      double acc = 0;
      for (int r = rs[s]; r < rs[s + 1]; r++) {
        acc += pi[r] * q[r];
      }
      v[s] = acc;
    }
    return v;
  }

  /** v(s) = max over rows of s of q(r); 0 at terminal states. */
  static double[] maxValues(Csr m, double[] q) {
    int n = m.numStates();
    int[] rs = m.rowStart();
    double[] v = new double[n];
    for (int s = 0; s < n; s++) {
      if (rs[s] == rs[s + 1]) {
        continue;
      }
      double best = Double.NEGATIVE_INFINITY;
      for (int r = rs[s]; r < rs[s + 1]; r++) {
        best = Math.max(best, q[r]);
      }
      v[s] = best;
    }
    return v;
  }

  /** v(s) = tau log sum exp(q(r) / tau), shifted by the maximum; 0 at terminal states. */
  static double[] softValues(Csr m, double tau, double[] q) {
    int n = m.numStates();
    int[] rs = m.rowStart();
    double[] v = new double[n];
    for (int s = 0; s < n; s++) {
      if (rs[s] == rs[s + 1]) {
        continue;
      }
      double best = Double.NEGATIVE_INFINITY;
      for (int r = rs[s]; r < rs[s + 1]; r++) {
        best = Math.max(best, q[r]);
      }
      double sum = 0;
      for (int r = rs[s]; r < rs[s + 1]; r++) {
        sum += Math.exp((q[r] - best) / tau);
      }
      v[s] = best + tau * Math.log(sum);
    }
    return v;
  }

  /** Q + (I - gamma lambda P_pi)^-1 (T^pi Q - Q). */
  private static double[] lambdaOfPolicy(Csr m, double[] pi, double lambda, double[] q) {
    double[] tq = backup(m, expectedValues(m, pi, q));
    int rows = m.numRows();
    double[] d = new double[rows];
    for (int r = 0; r < rows; r++) {
      d[r] = tq[r] - q[r];
    }
    double gl = m.discount() * lambda;
    double[] x;
    if (rows <= DENSE_ROWS) {
      x = LinearSystems.solve(identityMinus(m, pi, gl), d);
    } else {
      // x = d + gl P_pi x, a gl-contraction: iterate until the a-posteriori bound is tiny
      x = d.clone();
      double scale = Math.max(1, norm(d));
      for (int it = 0; it < MAX_TERMS; it++) {
        double[] px = transition(m, expectedValues(m, pi, x));
        double change = 0;
        for (int r = 0; r < rows; r++) {
          double nx = d[r] + gl * px[r];
          change = Math.max(change, Math.abs(nx - x[r]));
          x[r] = nx;
        }
        if (gl / (1 - gl) * change <= SERIES_TOLERANCE * scale) {
          break;
        }
      }
    }
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = q[r] + x[r];
    }
    return out;
  }

  /** I - c P_pi over rows, dense. */
  private static double[][] identityMinus(Csr m, double[] pi, double c) {
    int rows = m.numRows();
    int[] es = m.entryStart();
    int[] rs = m.rowStart();
    double[][] a = new double[rows][rows];
    for (int r = 0; r < rows; r++) {
      a[r][r] += 1;
      for (int k = es[r]; k < es[r + 1]; k++) {
        int s2 = m.next()[k];
        for (int r2 = rs[s2]; r2 < rs[s2 + 1]; r2++) {
          a[r][r2] -= c * m.prob()[k] * pi[r2];
        }
      }
    }
    return a;
  }

  private static Applied lambdaSeries(TabularMdp<?, ?> mdp, double lambda, Operator base,
      double[] q) {
    double c = modulus(base, mdp);
    if (!(c < 1)) {
      throw new ModelException("lambda-return of " + base + ": the base operator is not a "
          + "contraction (modulus " + c + ", discount " + mdp.discount() + "), so its infinite "
          + "series cannot be truncated with a bound");
    }
    Applied first = eval(base, mdp, q);
    double[] bq = first.q();
    double gap = 0;
    for (int r = 0; r < q.length; r++) {
      gap = Math.max(gap, Math.abs(bq[r] - q[r]));
    }
    double scale = Math.max(1, norm(q));
    double[] acc = new double[q.length];
    double[] term = bq;
    double inner = first.tailBound();
    double weight = 1 - lambda;
    double lamN = 1; // lambda^n
    double cPow = c; // c^(n+1)
    int n = 0;
    while (true) {
      // stopping here keeps B Q .. B^(n+1) Q; the tail mass lambda^(n+1) goes on the last term
      double tail = lamN * lambda * cPow / (1 - c) * gap;
      if (lambda == 0 || tail <= SERIES_TOLERANCE * scale || n + 1 >= MAX_TERMS) {
        double rest = lamN; // weight of the last kept term: (1-lambda) lambda^n + lambda^(n+1)
        for (int r = 0; r < q.length; r++) {
          acc[r] += rest * term[r];
        }
        return new Applied(acc, (lambda == 0 ? 0 : tail) + inner);
      }
      for (int r = 0; r < q.length; r++) {
        acc[r] += weight * lamN * term[r];
      }
      Applied nextTerm = eval(base, mdp, term);
      inner = Math.max(inner, nextTerm.tailBound() / (1 - c));
      term = nextTerm.q();
      lamN *= lambda;
      cPow *= c;
      n++;
    }
  }

  private static double norm(double[] x) {
    double m = 0;
    for (double v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
