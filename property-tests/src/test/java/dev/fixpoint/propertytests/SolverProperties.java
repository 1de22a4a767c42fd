package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.Operators;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.operators.ExactInterpreter;
import dev.fixpoint.tabular.solve.LinearProgramming;
import dev.fixpoint.tabular.solve.ModifiedPolicyIteration;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Properness;
import dev.fixpoint.tabular.solve.Solution;
import dev.fixpoint.tabular.solve.ValueIteration;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * The solvers against the exact oracle, on random exact models (discounted, and undiscounted with
 * every policy proper): policy evaluation gives the fixed point of T^pi (Bellman 1957; Puterman
 * 1994, Thm 6.1.1), exact policy iteration gives a Q* with T* Q* = Q* exactly (Puterman 1994,
 * Thm 6.2.5), its policy is at least as good as every policy in every state (Thm 6.2.2), exact
 * linear programming finds the same values (Puterman 1994, sec. 6.9), and the double solvers land
 * within their certificates of it (plus 1e-9 relative for rounding; gamma = 1 gives value iteration
 * and modified policy iteration no certificate, so only policy iteration and the LP are compared
 * there).
 */
class SolverProperties {
  static final MdpSpec SPEC = MdpSpec.exact().withStates(1, 6).withUndiscounted(true);

  record Case(RandomMdp m, TabularPolicy<Integer, Integer> pi) {
    @Override
    public String toString() {
      return m + "\npi " + pi;
    }
  }

  static Generator<Case> cases(Tier policyTier) {
    Generator<RandomMdp> mdps = Generators.mdps(SPEC);
    return Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      return new Case(m, Generators.policies(m.tabular(), policyTier).next(rng));
    });
  }

  @Test
  void exactPolicyValueIsTheFixedPointOfItsOperator() {
    qt().withFixedSeed(401).withExamples(400).forAll(QuickTheoriesGen.of(cases(Tier.EXACT)))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          Solution<Integer, Integer> s = PolicyEvaluation.exact(t, c.pi());
          BigFraction[] q = s.q().toExactArray();
          BigFraction[] tq = ExactInterpreter.apply(Operators.policy(c.pi().asPolicy()), t, q);
          assertExactlyEqual(q, tq, "T^pi Q^pi");
          BigFraction[] v = s.values().toExactArray();
          BigFraction[] p = c.pi().toExactArray();
          for (int st = 0; st < t.numStates(); st++) {
            BigFraction expected = BigFraction.ZERO;
            for (int r = t.rowStart(st); r < t.rowEnd(st); r++) {
              expected = expected.add(p[r].multiply(q[r]));
            }
            assertEquals(expected, v[st], "V^pi(s) = sum_a pi(a|s) Q^pi(s, a) at state " + st);
          }
        });
  }

  @Test
  void bellmanOptimalityHoldsExactlyAtExactPolicyIteration() {
    qt().withFixedSeed(402).withExamples(400)
        .forAll(QuickTheoriesGen.of(Generators.mdps(SPEC)))
        .checkAssert(m -> {
          TabularMdp<Integer, Integer> t = m.tabular();
          Solution<Integer, Integer> s = PolicyIteration.solveExact(t);
          BigFraction[] q = s.q().toExactArray();
          assertExactlyEqual(q, ExactInterpreter.apply(Operators.optimality(), t, q), "T* Q*");
          BigFraction[] v = s.values().toExactArray();
          for (int st = 0; st < t.numStates(); st++) {
            BigFraction best = BigFraction.ZERO;
            for (int r = t.rowStart(st); r < t.rowEnd(st); r++) {
              best = r == t.rowStart(st) ? q[r] : Rationals.max(best, q[r]);
            }
            assertEquals(best, v[st], "V*(s) = max_a Q*(s, a) at state " + st);
          }
        });
  }

  @Test
  void optimalPolicyIsAtLeastAsGoodAsAnySampledPolicy() {
    qt().withFixedSeed(403).withExamples(400).forAll(QuickTheoriesGen.of(cases(Tier.EXACT)))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          BigFraction[] vStar = PolicyIteration.solveExact(t).values().toExactArray();
          BigFraction[] vPi = PolicyEvaluation.exact(t, c.pi()).values().toExactArray();
          for (int s = 0; s < t.numStates(); s++) {
            int st = s;
            assertTrue(vPi[s].compareTo(vStar[s]) <= 0, () -> "state " + st + ": V^pi = "
                + Rationals.format(vPi[st]) + " > V* = " + Rationals.format(vStar[st]));
          }
        });
  }

  @Test
  void exactAndDoubleSolversAgree() {
    qt().withFixedSeed(404).withExamples(400)
        .forAll(QuickTheoriesGen.of(Generators.mdps(SPEC)))
        .checkAssert(m -> {
          TabularMdp<Integer, Integer> t = m.tabular();
          Solution<Integer, Integer> exact = PolicyIteration.solveExact(t);
          double[] vStar = Rationals.toDoubles(exact.values().toExactArray());
          assertExactlyEqual(exact.values().toExactArray(),
              LinearProgramming.solveExact(t).values().toExactArray(), "exact LP values");
          within(vStar, PolicyIteration.solve(t), 0, "double policy iteration");
          List<Solution<Integer, Integer>> certified = List.of(
              ValueIteration.jacobi().withTolerance(1e-8).solve(t),
              ValueIteration.gaussSeidel().withTolerance(1e-8).solve(t),
              ModifiedPolicyIteration.of(3).withTolerance(1e-8).solve(t));
          for (Solution<Integer, Integer> s : certified) {
            Certificate cert = s.certificate();
            if (t.discount() < 1) {
              double bound = cert.bound().orElseThrow();
              assertTrue(s.converged() && bound <= 1e-6, () -> "asked for 1e-8: " + s.summary());
              within(vStar, s, bound, s.method());
            }
            if (cert instanceof Certificate.SupNorm(var bound, var loss, var explain)) {
              // the greedy policy loses at most policyLoss, measured by exact evaluation
              BigFraction[] vGreedy = PolicyEvaluation.exact(t, s.policy()).values()
                  .toExactArray();
              for (int st = 0; st < vStar.length; st++) {
                double gap = vStar[st] - Rationals.toDouble(vGreedy[st]);
                int state = st;
                assertTrue(gap <= loss + 1e-9, () -> s.method() + ": greedy policy loses " + gap
                    + " > policyLoss " + loss + " at state " + state);
              }
            }
          }
        });
  }

  @Test
  void doubleLinearProgrammingAgreesWithExactPolicyIteration() {
    qt().withFixedSeed(406).withExamples(3000)
        .forAll(QuickTheoriesGen.of(Generators.mdps(SPEC)))
        .checkAssert(m -> {
          TabularMdp<Integer, Integer> t = m.tabular();
          double[] vStar = Rationals.toDoubles(PolicyIteration.solveExact(t).values()
              .toExactArray());
          Solution<Integer, Integer> lp = LinearProgramming.solve(t);
          within(vStar, lp, lp.certificate().bound().orElse(0), "double LP");
        });
  }

  @Test
  void everyPolicyOfAnUndiscountedModelIsProper() {
    qt().withFixedSeed(405).withExamples(300).forAll(QuickTheoriesGen.of(cases(Tier.EXACT)))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          if (t.discount() == 1) {
            assertTrue(Properness.firstImproperState(t, c.pi()).isEmpty(), "generated model "
                + "with gamma = 1 has an improper policy");
            assertTrue(Properness.firstImproperState(t, Properness.properPolicy(t)).isEmpty());
          }
        });
  }

  static void within(double[] vStar, Solution<Integer, Integer> s, double bound, String what) {
    double[] v = s.values().toArray();
    for (int i = 0; i < v.length; i++) {
      assertEquals(vStar[i], v[i], bound + 1e-9 * Math.max(1, Math.abs(vStar[i])),
          what + " at state " + i + " (" + s.summary() + ")");
    }
  }

  static void assertExactlyEqual(BigFraction[] expected, BigFraction[] actual, String what) {
    assertEquals(expected.length, actual.length);
    for (int r = 0; r < expected.length; r++) {
      int row = r;
      assertTrue(expected[r].equals(actual[r]), () -> what + " at row " + row + ": "
          + Rationals.format(actual[row]) + " != " + Rationals.format(expected[row]));
    }
  }
}
