package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.Forest.Action;
import dev.fixpoint.examples.Forest.Age;
import dev.fixpoint.examples.Gambler.Capital;
import dev.fixpoint.examples.Gambler.Stake;
import dev.fixpoint.examples.GridWorld.Cell;
import dev.fixpoint.examples.GridWorld.Move;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import dev.fixpoint.tabular.solve.ValueIteration;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** The published numbers of every example, reproduced through the solver API. */
class PublishedValuesTest {
  // Sutton & Barto 2018, Figure 3.2, typed from the book (one decimal)
  private static final double[][] FIG_3_2 = {
      {3.3, 8.8, 4.4, 5.3, 1.5},
      {1.5, 3.0, 2.3, 1.9, 0.5},
      {0.1, 0.7, 0.7, 0.4, -0.4},
      {-1.0, -0.4, -0.4, -0.6, -1.2},
      {-1.9, -1.3, -1.2, -1.4, -2.0}};
  // Sutton & Barto 2018, Figure 3.5, typed from the book (one decimal)
  private static final double[][] FIG_3_5 = {
      {22.0, 24.4, 22.0, 19.4, 17.5},
      {19.8, 22.0, 19.8, 17.8, 16.0},
      {17.8, 19.8, 17.8, 16.0, 14.4},
      {16.0, 17.8, 16.0, 14.4, 13.0},
      {14.4, 16.0, 14.4, 13.0, 11.7}};
  // Sutton & Barto 2018, Figure 4.1 (k = infinity)
  private static final long[][] FIG_4_1 = {
      {0, -14, -20, -22}, {-14, -18, -20, -20}, {-20, -20, -18, -14}, {-22, -20, -14, 0}};

  /** A value printed to one decimal agrees when within half a unit of that decimal. */
  private static void assertOneDecimal(double[][] book, Solution<Cell, Move> sol) {
    for (int r = 0; r < book.length; r++) {
      for (int c = 0; c < book[r].length; c++) {
        double v = sol.values().value(new Cell(r, c));
        assertTrue(Math.abs(v - book[r][c]) <= 0.05 + 1e-12,
            "(" + r + "," + c + "): ours " + v + ", book " + book[r][c]);
      }
    }
  }

  @Test
  void figure32RandomPolicyValuesExactAndDirect() {
    TabularMdp<Cell, Move> m = GridWorld.suttonBarto35().tabulate();
    var pi = Policy.<Cell, Move>uniform().tabulate(m);
    Solution<Cell, Move> exact = PolicyEvaluation.exact(m, pi);
    Solution<Cell, Move> direct = PolicyEvaluation.direct(m, pi);
    assertOneDecimal(FIG_3_2, exact);
    assertOneDecimal(FIG_3_2, direct);
    assertTrue(exact.values().distance(direct.values()) < 1e-9);
  }

  @Test
  void figure35OptimalValuesAndTheExactValueOfA() {
    TabularMdp<Cell, Move> m = GridWorld.suttonBarto35().tabulate();
    Solution<Cell, Move> pi = PolicyIteration.solveExact(m);
    assertOneDecimal(FIG_3_5, pi);
    // by hand: from A take +10 to A' = (4,1), walk 4 steps north back to A, so
    // v*(A) = 10 + 0.9^5 v*(A) = 10 / (1 - 59049/100000) = 1000000/40951
    assertEquals(new BigFraction(1_000_000, 40_951), pi.values().exactValue(GridWorld.A));
    assertEquals(new BigFraction(9, 10).multiply(new BigFraction(1_000_000, 40_951)),
        pi.values().exactValue(new Cell(0, 0))); // one step west of A
    assertEquals(1_000_000.0 / 40_951, PolicyIteration.solve(m).values().value(GridWorld.A), 1e-9);
  }

  @Test
  void figure35ByValueIterationWithinItsCertificate() {
    TabularMdp<Cell, Move> m = GridWorld.suttonBarto35().tabulate();
    Solution<Cell, Move> exact = PolicyIteration.solveExact(m);
    Solution<Cell, Move> vi = ValueIteration.jacobi().withTolerance(1e-10).solve(m);
    assertTrue(vi.converged());
    Certificate.SupNorm cert = (Certificate.SupNorm) vi.certificate();
    double err = vi.values().distance(exact.values());
    assertTrue(err <= cert.valueBound(), err + " > bound " + cert.valueBound());
    assertTrue(cert.valueBound() < 1e-8, cert.explain());
    assertOneDecimal(FIG_3_5, vi);
  }

  @Test
  void figure41RandomPolicyValuesAreWholeNumbers() {
    TabularMdp<Cell, Move> m = GridWorld.suttonBarto41().tabulate();
    Solution<Cell, Move> sol = PolicyEvaluation.exact(m, Policy.<Cell, Move>uniform().tabulate(m));
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        assertEquals(new BigFraction(FIG_4_1[r][c]), sol.values().exactValue(new Cell(r, c)),
            "(" + r + "," + c + ")");
      }
    }
  }

  @Test
  void gamblerOptimalValuesAreThoseOfBoldPlay() {
    // by hand (Example 4.3, p_h = 2/5; bold play optimal for p_h < 1/2, Dubins & Savage 1965)
    TabularMdp<Capital, Stake> m = Gambler.suttonBarto().tabulate();
    Solution<Capital, Stake> sol = PolicyIteration.solveExact(m);
    assertEquals(new BigFraction(4, 25), sol.values().exactValue(new Capital(25)));
    assertEquals(new BigFraction(2, 5), sol.values().exactValue(new Capital(50)));
    assertEquals(new BigFraction(16, 25), sol.values().exactValue(new Capital(75)));
    assertEquals(BigFraction.ZERO, sol.values().exactValue(new Capital(0)));
    assertEquals(BigFraction.ZERO, sol.values().exactValue(new Capital(100)));
    assertEquals(new Stake(50), sol.policy().action(new Capital(50))); // the only optimal stake
  }

  @Test
  void forestOptimaAtBothDiscounts() {
    // hand-solved: policy Wait everywhere; gamma 9/10 matches pymdptoolbox's PolicyIteration doc
    TabularMdp<Age, Action> m90 = Forest.pymdptoolbox().tabulate();
    Solution<Age, Action> s90 = PolicyIteration.solveExact(m90);
    assertEquals(Rationals.parse("26.244"), s90.values().exactValue(new Age(0)));
    assertEquals(Rationals.parse("29.484"), s90.values().exactValue(new Age(1)));
    assertEquals(Rationals.parse("33.484"), s90.values().exactValue(new Age(2)));
    TabularMdp<Age, Action> m96 = m90.withDiscount(new BigFraction(24, 25));
    Solution<Age, Action> s96 = PolicyIteration.solveExact(m96);
    assertEquals(Rationals.parse("74.6496"), s96.values().exactValue(new Age(0)));
    assertEquals(Rationals.parse("78.1056"), s96.values().exactValue(new Age(1)));
    assertEquals(Rationals.parse("82.1056"), s96.values().exactValue(new Age(2)));
    for (int s = 0; s < 3; s++) {
      assertEquals(Action.WAIT, s90.policy().action(new Age(s)));
      assertEquals(Action.WAIT, s96.policy().action(new Age(s)));
    }
    assertEquals(33.484, PolicyIteration.solve(m90).values().value(new Age(2)), 1e-9);
  }

  @Test
  void toolboxLengthValueIterationOnForestReproducesItsNumberAndIsNotCertifiedAsOptimal() {
    // pymdptoolbox docs, mdp.ValueIteration(P, R, 0.96) on forest(): vi.iter = 4 and
    // V = (5.93215488, 9.38815488, 13.38815488); V* = (74.6496, 78.1056, 82.1056) by hand
    TabularMdp<Age, Action> m96 = Forest.pymdptoolbox().tabulate()
        .withDiscount(new BigFraction(24, 25));
    Solution<Age, Action> four = ValueIteration.jacobi().withMaxIterations(4).solve(m96);
    assertEquals(5.93215488, four.values().value(new Age(0)), 1e-8);
    assertEquals(9.38815488, four.values().value(new Age(1)), 1e-8);
    assertEquals(13.38815488, four.values().value(new Age(2)), 1e-8);
    assertFalse(four.converged());
    double err = Math.abs(74.6496 - four.values().value(new Age(0)));
    assertTrue(err > 68, "far from V*: " + err);
    // honest: the certificate's bound covers the true error, so it is large
    Certificate.SupNorm cert = (Certificate.SupNorm) four.certificate();
    assertTrue(cert.valueBound() >= err, cert.valueBound() + " < true error " + err);
  }

  @Test
  void looseToleranceOnForestIsCertifiedOnlyToThatTolerance() {
    TabularMdp<Age, Action> m96 = Forest.pymdptoolbox().tabulate()
        .withDiscount(new BigFraction(24, 25));
    Solution<Age, Action> exact = PolicyIteration.solveExact(m96);
    Solution<Age, Action> loose = ValueIteration.jacobi().withTolerance(10).solve(m96);
    assertTrue(loose.converged());
    double err = loose.values().distance(exact.values());
    assertTrue(err > 1e-2, "a tolerance of 10 at gamma 0.96 leaves a visible error: " + err);
    assertFalse(loose.certificate() instanceof Certificate.Exact, loose.certificate().explain());
    double bound = loose.certificate().bound().orElseThrow();
    assertTrue(bound >= err, "bound " + bound + " < true error " + err);
  }

  @Test
  void smallOptimumByHand() {
    // by hand: policy (1, 0), V* = (1825/43, 1550/43)
    TabularMdp<Integer, Integer> m = PyMdpToolbox.small().tabulate();
    Solution<Integer, Integer> sol = PolicyIteration.solveExact(m);
    assertEquals(new BigFraction(1825, 43), sol.values().exactValue(0));
    assertEquals(new BigFraction(1550, 43), sol.values().exactValue(1));
    assertEquals(1, sol.policy().action(0));
    assertEquals(0, sol.policy().action(1));
    Solution<Integer, Integer> vi = ValueIteration.jacobi().withTolerance(1e-10).solve(m);
    assertTrue(vi.converged());
    assertTrue(vi.values().distance(sol.values()) <= vi.certificate().bound().orElseThrow());
  }
}
