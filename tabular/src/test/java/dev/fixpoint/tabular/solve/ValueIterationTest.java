package dev.fixpoint.tabular.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueIterationTest {

  // small(): V* = (1825/43, 1550/43), policy (1, 0) (pymdptoolbox documentation, hand solve).
  private static final double[] SMALL_V = {1825.0 / 43, 1550.0 / 43};

  private static double maxError(double[] v, double[] w) {
    double d = 0;
    for (int i = 0; i < v.length; i++) {
      d = Math.max(d, Math.abs(v[i] - w[i]));
    }
    return d;
  }

  /** The loss of the returned policy, evaluated exactly, against exact V*. */
  private static <S, A> double policyLoss(Solution<S, A> sol, double[] vStar) {
    double[] vPi = PolicyEvaluation.exact(sol.mdp(), sol.policy()).values().toArray();
    double loss = 0;
    for (int i = 0; i < vStar.length; i++) {
      loss = Math.max(loss, vStar[i] - vPi[i]);
    }
    return loss;
  }

  @Test
  void jacobiAndGaussSeidelReachSmallOptimumWithinTheirCertificate() {
    TabularMdp<Integer, Integer> m = TestModels.small();
    for (ValueIteration vi : List.of(ValueIteration.jacobi(), ValueIteration.gaussSeidel())) {
      Solution<Integer, Integer> sol = vi.solve(m);
      assertTrue(sol.converged(), sol.summary());
      Certificate.SupNorm c = assertInstanceOf(Certificate.SupNorm.class, sol.certificate());
      double err = maxError(sol.values().toArray(), SMALL_V);
      assertTrue(err <= c.valueBound(), err + " > " + c.valueBound());
      assertTrue(c.valueBound() <= 1.01e-10, sol.summary());
      assertEquals(1, sol.policy().action(0));
      assertEquals(0, sol.policy().action(1));
    }
  }

  // Stopped early, the values are far from V*, and the certificate must say how far.
  @Test
  void certificateBoundsValueErrorAndPolicyLossAtEveryStop() {
    TabularMdp<Integer, Integer> m = TestModels.small();
    for (ValueIteration vi : List.of(ValueIteration.jacobi(), ValueIteration.gaussSeidel())) {
      for (int k = 1; k <= 60; k++) {
        Solution<Integer, Integer> sol = vi.withMaxIterations(k).solve(m);
        Certificate.SupNorm c = (Certificate.SupNorm) sol.certificate();
        double err = maxError(sol.values().toArray(), SMALL_V);
        assertTrue(err <= c.valueBound(), vi + " k=" + k + ": " + err + " > " + c.valueBound());
        double loss = policyLoss(sol, SMALL_V);
        assertTrue(loss <= c.policyLoss(), vi + " k=" + k + ": loss " + loss + " > "
            + c.policyLoss());
      }
    }
  }

  @Test
  void notConvergedAtMaxIterationsSaysSo() {
    Solution<Integer, Integer> sol = ValueIteration.jacobi().withMaxIterations(5)
        .solve(TestModels.small());
    assertFalse(sol.converged());
    assertEquals(5, sol.iterations());
    assertTrue(sol.summary().contains("NOT converged"), sol.summary());
    assertTrue(sol.certificate().bound().orElseThrow() > 1e-10);
  }

  // pymdptoolbox's forest() at gamma 0.96: its ValueIteration stops at V = (5.93, 9.39, 13.39),
  // while V* = (74.6496, 78.1056, 82.1056) (values quoted in the task, checked against exact PI
  // in PolicyIterationTest). An early stop must carry a bound that covers the gap.
  @Test
  void earlyStopOnForestIsNotPassedOffAsOptimal() {
    TabularMdp<Integer, Integer> m = TestModels.forest("0.96");
    double[] vStar = {74.6496, 78.1056, 82.1056};
    Solution<Integer, Integer> early = ValueIteration.jacobi().withMaxIterations(4).solve(m);
    assertFalse(early.converged());
    double err = maxError(early.values().toArray(), vStar);
    assertTrue(err > 50, "early values should be far from V*: " + early.values());
    assertTrue(early.certificate().bound().orElseThrow() >= err - 1e-4);
    Solution<Integer, Integer> full = ValueIteration.gaussSeidel().solve(m);
    assertTrue(full.converged());
    assertArrayEquals(vStar, full.values().toArray(), 1e-4);
  }

  @Test
  void undiscountedValueIterationHasNoCertificate() {
    TabularMdp<String, String> m = TestModels.walkOrJump();
    Solution<String, String> sol = ValueIteration.jacobi().solve(m);
    Certificate.None c = assertInstanceOf(Certificate.None.class, sol.certificate());
    assertTrue(c.explain().contains("PolicyIteration"), c.explain());
    assertTrue(sol.converged());
    // V* = (-2, -1, 0) by hand (TestModels.walkOrJump)
    assertArrayEquals(new double[] {-2, -1, 0}, sol.values().toArray(), 1e-9);
    assertEquals("walk", sol.policy().action("s0"));
  }

  @Test
  void undiscountedDivergenceEndsAtMaxIterations() {
    Solution<String, String> sol = ValueIteration.gaussSeidel().withMaxIterations(50)
        .solve(TestModels.positiveCycle());
    assertFalse(sol.converged());
    assertInstanceOf(Certificate.None.class, sol.certificate());
  }

  @Test
  void gammaZeroStopsAfterOneSweepWithTheRewards() {
    TabularMdp<Integer, Integer> m = TestModels.small().withDiscount(TestModels.f("0"));
    Solution<Integer, Integer> sol = ValueIteration.jacobi().solve(m);
    assertEquals(1, sol.iterations());
    assertArrayEquals(new double[] {10, 2}, sol.values().toArray(), 0);
  }

  @Test
  void configurationIsImmutableAndChecked() {
    ValueIteration vi = ValueIteration.jacobi();
    ValueIteration other = vi.withTolerance(1e-3).withMaxIterations(7);
    assertEquals(ValueIteration.DEFAULT_TOLERANCE, vi.tolerance());
    assertEquals(1e-3, other.tolerance());
    assertEquals(7, other.maxIterations());
    assertFalse(other.isGaussSeidel());
    assertThrows(IllegalArgumentException.class, () -> vi.withTolerance(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> vi.withMaxIterations(0));
  }
}
