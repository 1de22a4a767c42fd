package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ValueFunction;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import dev.fixpoint.tabular.internal.Bellman;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Backward induction for the finite-horizon problem (Bellman 1957; Puterman 1994, sec. 4.5):
 * V_0 = 0 and V_k = max_a (r + gamma P V_{k-1}) for k = 1..H, with a greedy action per state and
 * steps to go. V_k is the optimal expected sum of the next k (discounted) rewards, so any discount
 * in [0, 1] works, including gamma = 1 with or without terminal states (terminal states keep
 * value 0). Cost O(H (rows + entries)) time and O(H rows) memory.
 */
@API(status = API.Status.STABLE)
public final class FiniteHorizon {
  private FiniteHorizon() {}

  /**
   * Backward induction in double arithmetic.
   *
   * @param m the model
   * @param horizon H &gt;= 0
   * @param <S> the state type
   * @param <A> the action type
   * @return V_0..V_H, Q_1..Q_H and the greedy policies
   * @throws IllegalArgumentException when the horizon is negative
   */
  public static <S, A> FiniteHorizonSolution<S, A> solve(TabularMdp<S, A> m, int horizon) {
    checkHorizon(horizon);
    List<ValueFunction<S>> values = new ArrayList<>(horizon + 1);
    List<QFunction<S, A>> qs = new ArrayList<>(horizon);
    List<TabularPolicy<S, A>> policies = new ArrayList<>(horizon);
    double[] v = new double[m.numStates()];
    values.add(ValueFunction.of(m.states(), v));
    try (Backend.LoadedModel lm = Backends.cpu().load(m)) {
      for (int k = 1; k <= horizon; k++) {
        double[] q = new double[m.numRows()];
        lm.qValues(v, q);
        v = Bellman.maxValues(m, q);
        values.add(ValueFunction.of(m.states(), v));
        qs.add(QFunction.of(m, q));
        policies.add(TabularPolicy.deterministic(m, Bellman.greedyRows(m, q)));
      }
    }
    return new FiniteHorizonSolution<>(m, horizon, values, qs, policies, false);
  }

  /**
   * Backward induction in exact rational arithmetic; greedy ties go to the first action.
   *
   * @param m an exact model
   * @param horizon H &gt;= 0
   * @param <S> the state type
   * @param <A> the action type
   * @return exact V_0..V_H, Q_1..Q_H and the greedy policies
   * @throws InexactModelException when the model holds inexact doubles
   */
  public static <S, A> FiniteHorizonSolution<S, A> solveExact(TabularMdp<S, A> m, int horizon) {
    checkHorizon(horizon);
    if (!m.isExact()) {
      throw new InexactModelException("exact backward induction: " + m.name() + " was given "
          + "with inexact (double) numbers; use FiniteHorizon.solve");
    }
    List<ValueFunction<S>> values = new ArrayList<>(horizon + 1);
    List<QFunction<S, A>> qs = new ArrayList<>(horizon);
    List<TabularPolicy<S, A>> policies = new ArrayList<>(horizon);
    BigFraction[] v = new BigFraction[m.numStates()];
    Arrays.fill(v, BigFraction.ZERO);
    values.add(ValueFunction.ofExact(m.states(), v));
    for (int k = 1; k <= horizon; k++) {
      BigFraction[] q = Bellman.qValuesExact(m, v);
      int[] rows = Bellman.greedyRowsExact(m, q);
      BigFraction[] next = new BigFraction[m.numStates()];
      for (int s = 0; s < next.length; s++) {
        next[s] = rows[s] < 0 ? BigFraction.ZERO : q[rows[s]];
      }
      v = next;
      values.add(ValueFunction.ofExact(m.states(), v));
      qs.add(QFunction.ofExact(m, q));
      policies.add(TabularPolicy.deterministic(m, rows));
    }
    return new FiniteHorizonSolution<>(m, horizon, values, qs, policies, true);
  }

  private static void checkHorizon(int horizon) {
    if (horizon < 0) {
      throw new IllegalArgumentException("horizon must be >= 0, got " + horizon);
    }
  }
}
