package dev.fixpoint.tabular.solve;

import static dev.fixpoint.tabular.solve.TestModels.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.TabularMdp;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class FiniteHorizonTest {

  // small() by hand. H = 1: V_1(s) = max_a R[s][a] = (10, 2), both take action 1.
  // H = 2: state 0: a0 = 5 + .9 (.5*10 + .5*2) = 10.4, a1 = 10 + .9 * 2 = 11.8 -> 59/5 (a1);
  //        state 1: a0 = -1 + .9 (.8*10 + .2*2) = 6.56, a1 = 2 + .9 (.1*10 + .9*2) = 4.52
  //        -> 164/25 (a0).
  @Test
  void smallHorizonOneAndTwoByHand() {
    FiniteHorizonSolution<Integer, Integer> sol = FiniteHorizon.solveExact(TestModels.small(), 2);
    assertEquals(2, sol.horizon());
    assertArrayEquals(new BigFraction[] {f("0"), f("0")}, sol.valuesAt(0).toExactArray());
    assertArrayEquals(new BigFraction[] {f("10"), f("2")}, sol.valuesAt(1).toExactArray());
    assertEquals(1, sol.policyAt(1).action(0));
    assertEquals(1, sol.policyAt(1).action(1));
    assertArrayEquals(new BigFraction[] {f("59/5"), f("164/25")}, sol.valuesAt(2).toExactArray());
    assertEquals(1, sol.policyAt(2).action(0));
    assertEquals(0, sol.policyAt(2).action(1));
    assertEquals(f("52/5"), sol.qAt(2).exactValue(0, 0));
    assertTrue(sol.exact());
    FiniteHorizonSolution<Integer, Integer> dbl = FiniteHorizon.solve(TestModels.small(), 2);
    assertArrayEquals(new double[] {11.8, 6.56}, dbl.valuesAt(2).toArray(), 1e-12);
    assertEquals(0, dbl.policyAt(2).action(1));
  }

  // walkOrJump, gamma = 1. H = 1: s0 walk -1 vs jump 1/2 (-3) = -3/2 -> -1; s1 -1; T 0.
  // H = 2: s0 walk -1 + V_1(s1) = -2, jump -3/2 + 1/2 V_1(s0) = -2: a tie, the first (walk) wins.
  @Test
  void undiscountedBackwardInductionByHand() {
    TabularMdp<String, String> m = TestModels.walkOrJump();
    FiniteHorizonSolution<String, String> sol = FiniteHorizon.solveExact(m, 2);
    assertArrayEquals(new BigFraction[] {f("-1"), f("-1"), f("0")},
        sol.valuesAt(1).toExactArray());
    assertArrayEquals(new BigFraction[] {f("-2"), f("-1"), f("0")},
        sol.valuesAt(2).toExactArray());
    assertEquals("walk", sol.policyAt(2).action("s0"));
    assertEquals(f("-2"), sol.qAt(2).exactValue("s0", "jump"));
  }

  @Test
  void horizonZeroAndBadArguments() {
    FiniteHorizonSolution<Integer, Integer> sol = FiniteHorizon.solve(TestModels.small(), 0);
    assertEquals(1, sol.values().size());
    assertTrue(sol.policies().isEmpty());
    assertThrows(IndexOutOfBoundsException.class, () -> sol.policyAt(1));
    assertThrows(IllegalArgumentException.class, () -> FiniteHorizon.solve(TestModels.small(),
        -1));
  }
}
