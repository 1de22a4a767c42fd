package dev.fixpoint.tabular.solve;

import static dev.fixpoint.tabular.solve.TestModels.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class PolicyIterationTest {

  // pymdptoolbox small(): documented PolicyIteration result V = (42.4418604651163,
  // 36.0465116279070), policy (1, 0); the exact values are (1825/43, 1550/43).
  @Test
  void exactPolicyIterationOnSmallGivesThePublishedOptimumExactly() {
    Solution<Integer, Integer> sol = PolicyIteration.solveExact(TestModels.small());
    assertArrayEquals(new BigFraction[] {f("1825/43"), f("1550/43")},
        sol.values().toExactArray());
    assertEquals(1, sol.policy().action(0));
    assertEquals(0, sol.policy().action(1));
    assertInstanceOf(Certificate.Exact.class, sol.certificate());
    assertEquals(42.4418604651163, sol.values().value(0), 1e-12);
    assertEquals(36.0465116279070, sol.values().value(1), 1e-12);
  }

  @Test
  void doublePolicyIterationOnSmallAgreesAndIsCertified() {
    Solution<Integer, Integer> sol = PolicyIteration.solve(TestModels.small());
    assertArrayEquals(new double[] {1825.0 / 43, 1550.0 / 43}, sol.values().toArray(), 1e-12);
    Certificate.SupNorm c = assertInstanceOf(Certificate.SupNorm.class, sol.certificate());
    assertTrue(c.valueBound() < 1e-11, c.explain());
    assertTrue(sol.converged());
  }

  @Test
  void cycleValuesByHand() {
    TabularMdp<String, String> m = TestModels.cycle("1/2");
    assertArrayEquals(new BigFraction[] {f("8/3"), f("10/3")},
        PolicyIteration.solveExact(m).values().toExactArray());
  }

  @Test
  void undiscountedShortestPathByHand() {
    TabularMdp<String, String> m = TestModels.walkOrJump();
    Solution<String, String> exact = PolicyIteration.solveExact(m);
    assertArrayEquals(new BigFraction[] {f("-2"), f("-1"), f("0")},
        exact.values().toExactArray());
    assertEquals("walk", exact.policy().action("s0"));
    Solution<String, String> dbl = PolicyIteration.solve(m);
    assertArrayEquals(new double[] {-2, -1, 0}, dbl.values().toArray(), 1e-12);
    assertInstanceOf(Certificate.Exact.class, dbl.certificate());
  }

  // Staying has q = 0 + V(s) = -1, tied with exiting: a tie must not switch to the improper
  // self-loop (which would make I - P singular).
  @Test
  void tieWithAZeroRewardSelfLoopKeepsTheProperAction() {
    TabularMdp<String, String> m = TestModels.stayOrExit();
    Solution<String, String> exact = PolicyIteration.solveExact(m);
    assertEquals(f("-1"), exact.values().exactValue("s"));
    assertEquals("exit", exact.policy().action("s"));
    Solution<String, String> dbl = PolicyIteration.solve(m);
    assertEquals(-1.0, dbl.values().value("s"), 1e-12);
    assertEquals("exit", dbl.policy().action("s"));
  }

  @Test
  void stateThatCannotTerminateIsReported() {
    ModelException e = assertThrows(ModelException.class,
        () -> PolicyIteration.solveExact(TestModels.halfTrap()));
    assertTrue(e.getMessage().contains("state s0:"), e.getMessage());
    assertThrows(ModelException.class, () -> PolicyIteration.solve(TestModels.halfTrap()));
  }

  @Test
  void positiveRewardCycleIsReportedAsUnbounded() {
    for (Runnable r : List.<Runnable>of(() -> PolicyIteration.solve(TestModels.positiveCycle()),
        () -> PolicyIteration.solveExact(TestModels.positiveCycle()))) {
      ModelException e = assertThrows(ModelException.class, r::run);
      assertTrue(e.getMessage().contains("unbounded"), e.getMessage());
    }
  }

  // forest() at gamma 0.96: V* = (74.6496, 78.1056, 82.1056) to four decimals (task brief,
  // pymdptoolbox's forest example); exact PI must agree.
  @Test
  void forestOptimumMatchesQuotedValues() {
    Solution<Integer, Integer> sol = PolicyIteration.solveExact(TestModels.forest("0.96"));
    assertArrayEquals(new double[] {74.6496, 78.1056, 82.1056}, sol.values().toArray(), 1e-4);
  }

  @Test
  void exactPolicyIterationRefusesInexactModel() {
    TabularMdp<String, String> inexact = Mdp.<String, String>of(List.of("A"),
        s -> List.of("go"),
        (s, a) -> Dist.ofDoubles(List.of(Outcome.of("A", 1)), new double[] {1.0}), "1/2")
        .tabulate();
    assertThrows(InexactModelException.class, () -> PolicyIteration.solveExact(inexact));
    assertEquals(2.0, PolicyIteration.solve(inexact).values().value("A"), 1e-12);
  }
}
