package dev.fixpoint.examples;

import dev.fixpoint.dsl.TabularMdp;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * Test-only Bellman backups in exact arithmetic, written straight from the definitions (Sutton &amp;
 * Barto 2018, eqs. 4.5 and 4.1 for state values): independent of the solvers under test, used to
 * check that a published value function is a fixed point of a model.
 */
final class ExactBellman {
  private ExactBellman() {}

  /** {@return q(r) = r(r) + gamma sum_k p_k v(next_k) for row r} */
  static BigFraction q(TabularMdp<?, ?> m, BigFraction[] v, int r) {
    TabularMdp.Exact e = m.exact();
    BigFraction acc = BigFraction.ZERO;
    for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
      acc = acc.add(e.prob()[k].multiply(v[m.next(k)]));
    }
    return e.reward()[r].add(e.discount().multiply(acc));
  }

  /** {@return (T* v)(s) = max over rows of s of q, 0 at terminal states} */
  static BigFraction[] optimality(TabularMdp<?, ?> m, BigFraction[] v) {
    BigFraction[] out = new BigFraction[m.numStates()];
    for (int s = 0; s < m.numStates(); s++) {
      BigFraction best = BigFraction.ZERO;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        BigFraction x = q(m, v, r);
        best = r == m.rowStart(s) || x.compareTo(best) > 0 ? x : best;
      }
      out[s] = best;
    }
    return out;
  }

  /** {@return (T^pi v)(s) for the uniform random policy over the available actions} */
  static BigFraction[] uniform(TabularMdp<?, ?> m, BigFraction[] v) {
    BigFraction[] out = new BigFraction[m.numStates()];
    for (int s = 0; s < m.numStates(); s++) {
      BigFraction acc = BigFraction.ZERO;
      int n = m.rowEnd(s) - m.rowStart(s);
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        acc = acc.add(q(m, v, r).divide(n));
      }
      out[s] = acc;
    }
    return out;
  }
}
