package dev.fixpoint.theory.realizability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.features.DataDistribution;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.PolicyIteration;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Hand-built instances on which the approximate-VI bound (spec B5.4) and the control bound (B5.2)
 * are close enough to tight that dropping a factor breaks them: actual &gt; weakened bound, actual
 * &lt;= true bound. All expected values are computed by hand in the comments.
 *
 * <p>Both models have a start state s and an absorbing zero-reward state z (two actions each,
 * both self-loops); in s, action 0 ("go") pays R and moves to z, action 1 ("stay") pays 0 and
 * loops on s. Rows are (s,0), (s,1), (z,0), (z,1).
 */
class TightBellmanBoundsTest {
  static final BigFraction ONE = BigFraction.ONE;
  static final BigFraction ZERO = BigFraction.ZERO;

  static TabularMdp<Integer, Integer> goOrStay(String reward, String gamma, boolean stayLoops) {
    BigFraction[] toZ = {ZERO, ONE};
    BigFraction[] toS = {ONE, ZERO};
    BigFraction[][][] p = {{toZ, stayLoops ? toS : toZ}, {toZ, toZ}};
    BigFraction[][] r = {{Rationals.parse(reward), ZERO}, {ZERO, ZERO}};
    return LinearMdps.dense("go-or-stay", p, r, Rationals.parse(gamma), new BigFraction[] {ONE,
        ZERO});
  }

  /**
   * Approximate VI, gamma = 1/2, R = 9/2, eps = 1, Q_0 = Q*, K = 2.
   *
   * <p>Q* = (9/2, (1/2)(9/2), 0, 0) = (9/2, 9/4, 0, 0); V*(s) = 9/2.
   * Errors, all |eps_k| &lt;= 1: eps_1 = (+1, +1, 0, 0), eps_2 = (-1, +1, 0, 0).
   * Q_1 = T Q_0 + eps_1 = (9/2 + 1, 9/4 + 1, 0, 0) = (11/2, 13/4, 0, 0).
   * Q_2 = T Q_1 + eps_2 = (9/2 - 1, (1/2)(11/2) + 1, 0, 0) = (7/2, 15/4, 0, 0): 15/4 &gt; 14/4, so
   * G(Q_2) stays in s forever and earns 0. Loss ||V* - V^{G(Q_2)}||_inf = 9/2.
   * True bound (2/(1-gamma))(gamma^2 * 0 + eps/(1-gamma)) = 4 * 2 = 8 &gt;= 9/2;
   * with eps in place of eps/(1-gamma): 4 * 1 = 4 &lt; 9/2.
   */
  @Test
  void approximateValueIterationErrorsAccumulateBeyondTwoEpsOverOneMinusGamma() {
    TabularMdp<Integer, Integer> m = goOrStay("9/2", "1/2", true);
    double[] qstar = PolicyIteration.solveExact(m).q().toArray();
    assertArrayEquals(new double[] {4.5, 2.25, 0, 0}, qstar, 1e-12);
    double[][] errors = {{1, 1, 0, 0}, {-1, 1, 0, 0}};
    double[] q = qstar.clone();
    for (double[] e : errors) {
      double[] next = BellmanToValue.optimalityBackup(m, q);
      for (int i = 0; i < next.length; i++) {
        next[i] += e[i];
      }
      q = next;
    }
    assertArrayEquals(new double[] {3.5, 3.75, 0, 0}, q, 1e-12);
    TabularPolicy<Integer, Integer> g = BellmanToValue.greedy(m, q);
    double[] vg = PolicyEvaluation.exact(m, g).values().toArray();
    double[] vs = PolicyIteration.solveExact(m).values().toArray();
    double loss = Math.max(vs[0] - vg[0], vs[1] - vg[1]);
    assertEquals(4.5, loss, 1e-12);
    Bound b = BellmanToValue.approximateValueIteration(0.5, 2, 0, 1);
    assertTrue(b.holds(loss, 1e-12), b.explain() + "\nactual " + loss);
    assertEquals(8.0, b.value(), 1e-12);
    // the weakened bound (eps instead of eps/(1-gamma)) is 4: this instance breaks it
    assertFalse(4.0 >= loss);
  }

  /**
   * Control bound, gamma = 1/4, R = 1, "stay" also moves to z (one step problem).
   *
   * <p>Q* = (1, 0, 0, 0), pi* goes; f = (9/20, 11/20, 0, 0), so pi_f stays (reward 0): V*(s) -
   * V^{pi_f}(s) = 1. Tf = (1, 0, 0, 0), Tf - f = (11/20, -11/20, 0, 0).
   * Occupancies (1-gamma) sum gamma^t: d* puts 3/4 on (s,0) and 1/4 on a z row, d^{pi_f} 3/4 on
   * (s,1) and 1/4 on (z,0). mu = (3/8, 3/8, 1/8, 1/8): C^{pi*} = C^{pi_f} = 2.
   * ||Tf - f||_mu^2 = 2 (3/8)(121/400) = 363/1600, ||Tf - f||_mu = 11 sqrt(3)/40.
   * True bound 2 sqrt(2) (11 sqrt 3/40)/(3/4) = 11 sqrt(6)/15 = 1.796...;
   * without the factor 2: 11 sqrt(6)/30 = 0.898... &lt; 1.
   */
  @Test
  void controlBoundNeedsItsFactorTwo() {
    TabularMdp<Integer, Integer> m = goOrStay("1", "1/4", false);
    double[] f = {0.45, 0.55, 0, 0};
    TabularPolicy<Integer, Integer> pf = BellmanToValue.greedy(m, f);
    double[] vf = PolicyEvaluation.exact(m, pf).values().toArray();
    double[] vs = PolicyIteration.solveExact(m).values().toArray();
    double gap = vs[0] - vf[0];
    assertEquals(1.0, gap, 1e-12);
    DataWeights mu = DataWeights.of(m, DataDistribution.parse("3/8", "3/8", "1/8", "1/8"));
    Bound b = BellmanToValue.controlBound(m, f, mu);
    assertTrue(b.holds(gap, 1e-12), b.explain() + "\nactual " + gap);
    assertEquals(11 * Math.sqrt(6) / 15, b.value(), 1e-12, b.explain());
    // without the factor 2 the bound would be 11 sqrt(6)/30 < 1 = gap
    assertFalse(11 * Math.sqrt(6) / 30 >= gap);
  }
}
