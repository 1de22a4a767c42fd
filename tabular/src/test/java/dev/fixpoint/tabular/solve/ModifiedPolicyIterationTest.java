package dev.fixpoint.tabular.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.TabularMdp;
import org.junit.jupiter.api.Test;

class ModifiedPolicyIterationTest {

  // small(): V* = (1825/43, 1550/43), policy (1, 0) (pymdptoolbox documentation, hand solve).
  private static final double[] SMALL_V = {1825.0 / 43, 1550.0 / 43};

  @Test
  void everyOrderReachesSmallOptimumWithinItsCertificate() {
    TabularMdp<Integer, Integer> m = TestModels.small();
    int previous = Integer.MAX_VALUE;
    for (int order : new int[] {0, 1, 5, 50}) {
      Solution<Integer, Integer> sol = ModifiedPolicyIteration.of(order).solve(m);
      assertTrue(sol.converged(), sol.summary());
      Certificate.SupNorm c = assertInstanceOf(Certificate.SupNorm.class, sol.certificate());
      double err = Math.max(Math.abs(sol.values().value(0) - SMALL_V[0]),
          Math.abs(sol.values().value(1) - SMALL_V[1]));
      assertTrue(err <= c.valueBound(), order + ": " + err + " > " + c.valueBound());
      assertTrue(c.valueBound() <= 1.01e-10, sol.summary());
      assertEquals(1, sol.policy().action(0));
      assertEquals(0, sol.policy().action(1));
      // more partial evaluation, fewer improvements
      assertTrue(sol.iterations() <= previous, order + ": " + sol.iterations());
      previous = sol.iterations();
    }
  }

  @Test
  void stoppedEarlyTheCertificateStillHolds() {
    TabularMdp<Integer, Integer> m = TestModels.small();
    for (int k = 1; k <= 10; k++) {
      Solution<Integer, Integer> sol = ModifiedPolicyIteration.of(3).withMaxIterations(k)
          .solve(m);
      double err = Math.max(Math.abs(sol.values().value(0) - SMALL_V[0]),
          Math.abs(sol.values().value(1) - SMALL_V[1]));
      assertTrue(err <= sol.certificate().bound().orElseThrow(), k + ": " + sol.summary());
    }
    Solution<Integer, Integer> two = ModifiedPolicyIteration.of(3).withMaxIterations(2).solve(m);
    assertFalse(two.converged());
  }

  @Test
  void undiscountedHasNoCertificate() {
    Solution<String, String> sol = ModifiedPolicyIteration.of(2).solve(TestModels.walkOrJump());
    assertInstanceOf(Certificate.None.class, sol.certificate());
    assertEquals(-2, sol.values().value("s0"), 1e-9);
  }

  @Test
  void orderMustBeNonNegative() {
    assertThrows(IllegalArgumentException.class, () -> ModifiedPolicyIteration.of(-1));
    assertEquals(4, ModifiedPolicyIteration.of(4).withTolerance(1e-3).order());
  }
}
