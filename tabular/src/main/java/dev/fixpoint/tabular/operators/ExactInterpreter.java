package dev.fixpoint.tabular.operators;

import dev.fixpoint.dsl.InexactModelException;
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
import dev.fixpoint.tabular.internal.LinearSystems;
import dev.fixpoint.tabular.traces.TraceOperators;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Gives {@link Operator} terms their meaning in exact rational arithmetic ({@link BigFraction}) on
 * Q-functions over the rows of an exact {@link TabularMdp}.
 *
 * <p>Covers every operator whose value is a rational function of the model: T^pi, T*, n-step,
 * composition, power, the trace operator of any rule ({@link TraceOperators#exact}), and the
 * lambda-return of T^pi (closed form Q + (I - gamma lambda P_pi)^-1
 * (T^pi Q - Q), one exact linear solve). It refuses, with a {@link ModelException} that says why,
 * the soft operator (log-sum-exp is irrational) and the lambda-return of a non-linear base (an
 * infinite non-linear series; the double interpreter truncates it with a bound). Inexact models or
 * policies raise {@link InexactModelException}.
 */
@API(status = API.Status.STABLE)
public final class ExactInterpreter {
  private ExactInterpreter() {}

  /**
   * Applies an operator exactly.
   *
   * @param op the operator term
   * @param mdp an exact model
   * @param q Q over rows (not modified)
   * @return op(q) over rows
   * @throws InexactModelException when the model or a policy in the term is inexact
   * @throws ModelException when the term has no rational value (soft, lambda of T*)
   */
  public static BigFraction[] apply(Operator op, TabularMdp<?, ?> mdp, BigFraction[] q) {
    if (q.length != mdp.numRows()) {
      throw new IllegalArgumentException("Q has " + q.length + " values for " + mdp.numRows()
          + " rows");
    }
    return eval(op, mdp, mdp.exact(), q);
  }

  private static BigFraction[] eval(Operator op, TabularMdp<?, ?> mdp, TabularMdp.Exact ex,
      BigFraction[] q) {
    return switch (op) {
      case PolicyEvaluation(var pi) ->
          backup(mdp, ex, expectedValues(mdp, policy(pi, mdp), q));
      case Optimality() -> backup(mdp, ex, maxValues(mdp, q));
      case Soft(var tau) -> throw new ModelException("soft operator (temperature "
          + Rationals.format(tau) + "): log-sum-exp has no rational value; use the double "
          + "interpreter");
      case NStep(var pi, int n) -> {
        BigFraction[] p = policy(pi, mdp);
        BigFraction[] x = q;
        for (int i = 0; i < n; i++) {
          x = backup(mdp, ex, expectedValues(mdp, p, x));
        }
        yield x;
      }
      case Power(var base, int n) -> {
        BigFraction[] x = q.clone();
        for (int i = 0; i < n; i++) {
          x = eval(base, mdp, ex, x);
        }
        yield x;
      }
      case Compose(var outer, var inner) -> eval(outer, mdp, ex, eval(inner, mdp, ex, q));
      case Lambda(var lam, var base) -> {
        if (!(base instanceof PolicyEvaluation(var pi))) {
          throw new ModelException("lambda-return of " + base + ": an infinite non-linear "
              + "series has no exact value here; use the double interpreter, which truncates it "
              + "and reports the tail bound");
        }
        yield lambdaOfPolicy(mdp, ex, policy(pi, mdp), lam, q);
      }
      case Traces(var pi, var mu, var rule) -> TraceOperators.exact(mdp, pi, mu, rule).apply(q);
    };
  }

  private static BigFraction[] policy(dev.fixpoint.dsl.Policy<?, ?> pi, TabularMdp<?, ?> mdp) {
    var tab = Policies.tabulate(pi, mdp);
    if (!tab.isExact()) {
      throw new InexactModelException("policy " + pi + " has inexact (double) probabilities; "
          + "the exact interpreter needs exact ones");
    }
    return tab.toExactArray();
  }

  static BigFraction[] backup(TabularMdp<?, ?> m, TabularMdp.Exact ex, BigFraction[] v) {
    int rows = m.numRows();
    BigFraction g = ex.discount();
    BigFraction[] out = new BigFraction[rows];
    for (int r = 0; r < rows; r++) {
      BigFraction acc = BigFraction.ZERO;
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        acc = acc.add(ex.prob()[k].multiply(v[m.next(k)]));
      }
      out[r] = ex.reward()[r].add(g.multiply(acc));
    }
    return out;
  }

  static BigFraction[] expectedValues(TabularMdp<?, ?> m, BigFraction[] pi, BigFraction[] q) {
    BigFraction[] v = new BigFraction[m.numStates()];
    for (int s = 0; s < v.length; s++) {
      BigFraction acc = BigFraction.ZERO;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        acc = acc.add(pi[r].multiply(q[r]));
      }
      v[s] = acc;
    }
    return v;
  }

  static BigFraction[] maxValues(TabularMdp<?, ?> m, BigFraction[] q) {
    BigFraction[] v = new BigFraction[m.numStates()];
    for (int s = 0; s < v.length; s++) {
      v[s] = BigFraction.ZERO;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        v[s] = r == m.rowStart(s) ? q[r] : Rationals.max(v[s], q[r]);
      }
    }
    return v;
  }

  private static BigFraction[] lambdaOfPolicy(TabularMdp<?, ?> m, TabularMdp.Exact ex,
      BigFraction[] pi, BigFraction lambda, BigFraction[] q) {
    BigFraction[] tq = backup(m, ex, expectedValues(m, pi, q));
    int rows = m.numRows();
    BigFraction c = ex.discount().multiply(lambda);
    BigFraction[][] a = new BigFraction[rows][rows];
    BigFraction[] d = new BigFraction[rows];
    for (int r = 0; r < rows; r++) {
      d[r] = tq[r].subtract(q[r]);
      java.util.Arrays.fill(a[r], BigFraction.ZERO);
      a[r][r] = BigFraction.ONE;
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        int s2 = m.next(k);
        BigFraction cp = c.multiply(ex.prob()[k]);
        for (int r2 = m.rowStart(s2); r2 < m.rowEnd(s2); r2++) {
          a[r][r2] = a[r][r2].subtract(cp.multiply(pi[r2]));
        }
      }
    }
    BigFraction[] x = LinearSystems.solve(a, d);
    BigFraction[] out = new BigFraction[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = q[r].add(x[r]);
    }
    return out;
  }
}
