package dev.fixpoint.tabular.internal;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.util.Arrays;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Small Bellman kernels outside the {@link dev.fixpoint.tabular.backend.Backend}: exact backups
 * over {@link BigFraction}, greedy row selection, and deterministic policies as row arrays.
 *
 * <p>Greedy selection always takes the <em>first</em> maximising row of a state (lowest action
 * index among the available ones), so results are reproducible.
 */
@API(status = API.Status.INTERNAL)
public final class Bellman {
  private Bellman() {}

  /**
   * Exact action values q(r) = r(r) + gamma sum_k p_k v(next_k) for every row (Sutton &amp; Barto
   * 2018, eq. 4.6).
   *
   * @param m an exact model
   * @param v exact values over states
   * @return exact q over rows
   * @throws dev.fixpoint.dsl.InexactModelException when the model is inexact
   */
  public static BigFraction[] qValuesExact(TabularMdp<?, ?> m, BigFraction[] v) {
    if (v.length != m.numStates()) {
      throw new IllegalArgumentException("values have length " + v.length + ", expected "
          + m.numStates());
    }
    TabularMdp.Exact ex = m.exact();
    BigFraction gamma = ex.discount();
    BigFraction[] q = new BigFraction[m.numRows()];
    for (int r = 0; r < q.length; r++) {
      BigFraction acc = BigFraction.ZERO;
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        BigFraction x = v[m.next(k)];
        if (Rationals.signum(x) != 0) {
          acc = acc.add(ex.prob()[k].multiply(x));
        }
      }
      q[r] = ex.reward()[r].add(gamma.multiply(acc));
    }
    return q;
  }

  /**
   * The first maximising row of each state.
   *
   * @param m the model
   * @param q values over rows
   * @return per state the first row with the largest q, -1 at terminal states
   */
  public static int[] greedyRows(TabularMdp<?, ?> m, double[] q) {
    int[] out = new int[m.numStates()];
    for (int s = 0; s < out.length; s++) {
      int best = -1;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (best < 0 || q[r] > q[best]) {
          best = r;
        }
      }
      out[s] = best;
    }
    return out;
  }

  /**
   * The first maximising row of each state, compared exactly.
   *
   * @param m the model
   * @param q exact values over rows
   * @return per state the first row with the largest q, -1 at terminal states
   */
  public static int[] greedyRowsExact(TabularMdp<?, ?> m, BigFraction[] q) {
    int[] out = new int[m.numStates()];
    for (int s = 0; s < out.length; s++) {
      int best = -1;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (best < 0 || q[r].compareTo(q[best]) > 0) {
          best = r;
        }
      }
      out[s] = best;
    }
    return out;
  }

  /**
   * V(s) = max over rows of s of q (0 at terminal states).
   *
   * @param m the model
   * @param q values over rows
   * @return values over states
   */
  public static double[] maxValues(TabularMdp<?, ?> m, double[] q) {
    double[] v = new double[m.numStates()];
    for (int s = 0; s < v.length; s++) {
      int r0 = m.rowStart(s);
      int r1 = m.rowEnd(s);
      if (r0 == r1) {
        continue;
      }
      double best = q[r0];
      for (int r = r0 + 1; r < r1; r++) {
        best = Math.max(best, q[r]);
      }
      v[s] = best;
    }
    return v;
  }

  /**
   * The probabilities over rows of the deterministic policy that takes row {@code rows[s]} in
   * each non-terminal state s.
   *
   * @param m the model
   * @param rows one row per state (ignored at terminal states)
   * @return 1 at the chosen rows, 0 elsewhere
   */
  public static double[] deterministic(TabularMdp<?, ?> m, int[] rows) {
    double[] p = new double[m.numRows()];
    fillDeterministic(m, rows, p);
    return p;
  }

  /**
   * Overwrites {@code out} with the deterministic policy of {@code rows}.
   *
   * @param m the model
   * @param rows one row per state (ignored at terminal states)
   * @param out receives 1 at the chosen rows, 0 elsewhere (length = rows of m)
   */
  public static void fillDeterministic(TabularMdp<?, ?> m, int[] rows, double[] out) {
    Arrays.fill(out, 0.0);
    for (int s = 0; s < m.numStates(); s++) {
      if (!m.isTerminal(s)) {
        out[rows[s]] = 1.0;
      }
    }
  }

  /**
   * The exact deterministic policy of {@code rows}.
   *
   * @param m the model
   * @param rows one row per state (ignored at terminal states)
   * @return ONE at the chosen rows, ZERO elsewhere
   */
  public static BigFraction[] deterministicExact(TabularMdp<?, ?> m, int[] rows) {
    BigFraction[] p = new BigFraction[m.numRows()];
    Arrays.fill(p, BigFraction.ZERO);
    for (int s = 0; s < m.numStates(); s++) {
      if (!m.isTerminal(s)) {
        p[rows[s]] = BigFraction.ONE;
      }
    }
    return p;
  }

  /**
   * The first row of every state: the policy that takes the first available action.
   *
   * @param m the model
   * @return rowStart(s) per non-terminal state, -1 at terminal states
   */
  public static int[] firstRows(TabularMdp<?, ?> m) {
    int[] rows = new int[m.numStates()];
    for (int s = 0; s < rows.length; s++) {
      rows[s] = m.isTerminal(s) ? -1 : m.rowStart(s);
    }
    return rows;
  }
}
