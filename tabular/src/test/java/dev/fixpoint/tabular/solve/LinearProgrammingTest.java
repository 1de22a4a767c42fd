package dev.fixpoint.tabular.solve;

import static dev.fixpoint.tabular.solve.TestModels.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.TabularMdp;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class LinearProgrammingTest {

  // small(): V* = (1825/43, 1550/43), policy (1, 0) (pymdptoolbox documentation, hand solve).
  @Test
  void smallByBothSimplexes() {
    TabularMdp<Integer, Integer> m = TestModels.small();
    Solution<Integer, Integer> exact = LinearProgramming.solveExact(m);
    assertArrayEquals(new BigFraction[] {f("1825/43"), f("1550/43")},
        exact.values().toExactArray());
    assertEquals(1, exact.policy().action(0));
    assertEquals(0, exact.policy().action(1));
    assertInstanceOf(Certificate.Exact.class, exact.certificate());
    Solution<Integer, Integer> dbl = LinearProgramming.solve(m);
    assertArrayEquals(new double[] {1825.0 / 43, 1550.0 / 43}, dbl.values().toArray(), 1e-9);
    Certificate.SupNorm c = assertInstanceOf(Certificate.SupNorm.class, dbl.certificate());
    assertTrue(Math.abs(dbl.values().value(0) - 1825.0 / 43) <= c.valueBound());
    assertEquals(1, dbl.policy().action(0));
  }

  // TestModels.walkOrJump: V* = (-2, -1, 0) by hand.
  @Test
  void undiscountedShortestPath() {
    TabularMdp<String, String> m = TestModels.walkOrJump();
    assertArrayEquals(new BigFraction[] {f("-2"), f("-1"), f("0")},
        LinearProgramming.solveExact(m).values().toExactArray());
    Solution<String, String> dbl = LinearProgramming.solve(m);
    assertArrayEquals(new double[] {-2, -1, 0}, dbl.values().toArray(), 1e-9);
    assertInstanceOf(Certificate.Exact.class, dbl.certificate());
    assertTrue(dbl.converged());
    assertEquals("walk", dbl.policy().action("s0"));
  }

  // The self-loop ties with exiting (q = -1 both); the returned policy must be the proper one.
  @Test
  void tieWithSelfLoopGivesAProperPolicy() {
    TabularMdp<String, String> m = TestModels.stayOrExit();
    Solution<String, String> exact = LinearProgramming.solveExact(m);
    assertEquals(f("-1"), exact.values().exactValue("s"));
    assertEquals("exit", exact.policy().action("s"));
    Solution<String, String> dbl = LinearProgramming.solve(m);
    assertEquals(-1, dbl.values().value("s"), 1e-9);
    assertEquals("exit", dbl.policy().action("s"));
  }

  @Test
  void unboundedAndNonTerminatingModelsAreReported() {
    for (Runnable r : List.<Runnable>of(() -> LinearProgramming.solve(TestModels.positiveCycle()),
        () -> LinearProgramming.solveExact(TestModels.positiveCycle()))) {
      ModelException e = assertThrows(ModelException.class, r::run);
      assertTrue(e.getMessage().contains("unbounded"), e.getMessage());
    }
    for (Runnable r : List.<Runnable>of(() -> LinearProgramming.solve(TestModels.halfTrap()),
        () -> LinearProgramming.solveExact(TestModels.halfTrap()))) {
      ModelException e = assertThrows(ModelException.class, r::run);
      assertTrue(e.getMessage().contains("state s0:"), e.getMessage());
    }
  }

  // forest() at 0.96: V* = (74.6496, 78.1056, 82.1056) to four decimals (task brief).
  @Test
  void forestByExactSimplex() {
    Solution<Integer, Integer> sol = LinearProgramming.solveExact(TestModels.forest("0.96"));
    assertArrayEquals(new double[] {74.6496, 78.1056, 82.1056}, sol.values().toArray(), 1e-4);
    assertEquals(PolicyIteration.solveExact(TestModels.forest("0.96")).values().toString(),
        sol.values().toString());
  }

  /**
   * The gambler's problem (Sutton &amp; Barto 2018, example 4.3) with goal 60 and p = 2/5: 59
   * states with up to 30 actions. The primal form took Commons Math tens of thousands of pivots;
   * the dual must finish. In a subfair game bold play is optimal (Dubins &amp; Savage 1965), so
   * from capital 30 the value is the chance to win one all-in bet, 2/5; from 15 it is (2/5)^2.
   */
  @Test
  void gamblersProblemFinishesAndMatchesBoldPlay() {
    int goal = 60;
    List<Integer> states = TestModels.range(goal + 1);
    TabularMdp<Integer, Integer> m = Mdp.<Integer, Integer>of(states, s -> {
      List<Integer> stakes = new ArrayList<>();
      for (int k = 1; k <= Math.min(s, goal - s); k++) {
        stakes.add(k);
      }
      return stakes;
    }, (s, a) -> Dist.<Outcome<Integer>>builder()
        .add(Outcome.of(s + a, s + a == goal ? 1 : 0), "2/5")
        .add(Outcome.of(s - a, 0), "3/5").build(), "1")
        .withTerminal(s -> s == 0 || s == goal).tabulate();
    Solution<Integer, Integer> dbl = LinearProgramming.solve(m);
    assertEquals(0.4, dbl.values().value(30), 1e-12);
    assertEquals(0.16, dbl.values().value(15), 1e-12);
    Solution<Integer, Integer> exact = LinearProgramming.solveExact(m);
    assertEquals(f("2/5"), exact.values().exactValue(30));
    assertEquals(f("4/25"), exact.values().exactValue(15));
    assertEquals(PolicyIteration.solveExact(m).values().toString(), exact.values().toString());
  }

  /**
   * The property suite found Commons Math's Bland-rule simplex calling this bounded primal LP
   * unbounded (all rewards 0, gamma 1/10, so V* = 0); the dual formulation must solve it.
   */
  @org.junit.jupiter.api.Test
  void zeroRewardModelThatBrokeThePrimalSimplex() {
    java.util.function.BiFunction<Integer, Integer, dev.fixpoint.dsl.Dist<dev.fixpoint.dsl.Outcome<Integer>>> dyn =
        (st, a) -> {
          String[][] table = {
              {"1:1", "1:1"},
              {"1:1/12 2:1/12 3:5/6", "1:1"},
              {"1:1/12 2:11/12", "1:1/12 2:1/12 3:5/6"}};
          var b = dev.fixpoint.dsl.Dist.<dev.fixpoint.dsl.Outcome<Integer>>builder();
          for (String part : table[st - 1][a - 1].split(" ")) {
            String[] kv = part.split(":");
            b.add(dev.fixpoint.dsl.Outcome.of(Integer.parseInt(kv[0]), 0), kv[1]);
          }
          return b.build();
        };
    var m = dev.fixpoint.dsl.Mdp.<Integer, Integer>of(java.util.List.of(1, 2, 3),
        st -> java.util.List.of(1, 2), dyn, "1/10").tabulate();
    var sol = LinearProgramming.solve(m);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0, 0, 0},
        sol.values().toArray(), 1e-12);
  }
}
