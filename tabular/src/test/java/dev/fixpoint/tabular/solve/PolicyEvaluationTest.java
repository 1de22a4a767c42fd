package dev.fixpoint.tabular.solve;

import static dev.fixpoint.tabular.solve.TestModels.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.ImproperPolicyException;
import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class PolicyEvaluationTest {

  private static <S, A> TabularPolicy<S, A> always(TabularMdp<S, A> m, A a) {
    return Policy.<S, A>deterministic(s -> a).tabulate(m);
  }

  // TestModels.cycle: V = (8/3, 10/3) at gamma 1/2 by hand.
  @Test
  void exactEvaluationOfTheCycle() {
    TabularMdp<String, String> m = TestModels.cycle("1/2");
    Solution<String, String> sol = PolicyEvaluation.exact(m, always(m, "go"));
    assertArrayEquals(new BigFraction[] {f("8/3"), f("10/3")}, sol.values().toExactArray());
    // q(A, go) = 1 + 1/2 * 10/3 = 8/3
    assertEquals(f("8/3"), sol.q().exactValue("A", "go"));
    assertInstanceOf(Certificate.Exact.class, sol.certificate());
    assertTrue(sol.converged());
  }

  @Test
  void directEvaluationAgreesWithTheHandValues() {
    TabularMdp<String, String> m = TestModels.cycle("1/2");
    Solution<String, String> sol = PolicyEvaluation.direct(m, always(m, "go"));
    assertArrayEquals(new double[] {8.0 / 3, 10.0 / 3}, sol.values().toArray(), 1e-14);
    assertTrue(sol.certificate().explain().contains("floating point"));
  }

  // pymdptoolbox small(): policy (1, 0) has V = (1825/43, 1550/43) (hand solve of the 2x2 system).
  @Test
  void exactEvaluationOfSmallPolicy() {
    TabularMdp<Integer, Integer> m = TestModels.small();
    TabularPolicy<Integer, Integer> pi = Policy.<Integer, Integer>deterministic(s -> 1 - s)
        .tabulate(m);
    Solution<Integer, Integer> sol = PolicyEvaluation.exact(m, pi);
    assertArrayEquals(new BigFraction[] {f("1825/43"), f("1550/43")},
        sol.values().toExactArray());
    assertEquals(pi, sol.policy());
  }

  // walkOrJump, always jump from s0: v = 1/2 (-3) + 1/2 v gives v(s0) = -3; v(s1) = -1; v(T) = 0.
  @Test
  void undiscountedProperPolicyIsEvaluatedExactly() {
    TabularMdp<String, String> m = TestModels.walkOrJump();
    TabularPolicy<String, String> pi = Policy.<String, String>deterministic(
        s -> s.equals("s0") ? "jump" : "walk").tabulate(m);
    assertArrayEquals(new BigFraction[] {f("-3"), f("-1"), f("0")},
        PolicyEvaluation.exact(m, pi).values().toExactArray());
    assertArrayEquals(new double[] {-3, -1, 0}, PolicyEvaluation.direct(m, pi).values().toArray(),
        1e-14);
  }

  @Test
  void improperPolicyIsReportedNotSolved() {
    TabularMdp<String, String> m = TestModels.stayOrExit();
    TabularPolicy<String, String> stay = always(m, "stay");
    for (Runnable r : List.<Runnable>of(() -> PolicyEvaluation.direct(m, stay),
        () -> PolicyEvaluation.exact(m, stay),
        () -> PolicyEvaluation.iterative(m, stay, 1e-9, 1000))) {
      ImproperPolicyException e = assertThrows(ImproperPolicyException.class, r::run);
      assertTrue(e.getMessage().contains("from state s "), e.getMessage());
    }
  }

  @Test
  void exactEvaluationRefusesInexactModelOrPolicy() {
    TabularMdp<String, String> inexact = Mdp.<String, String>of(List.of("A"),
        s -> List.of("go"),
        (s, a) -> Dist.ofDoubles(List.of(Outcome.of("A", 1)), new double[] {1.0}), "1/2")
        .tabulate();
    assertFalse(inexact.isExact());
    assertThrows(InexactModelException.class,
        () -> PolicyEvaluation.exact(inexact, always(inexact, "go")));
    TabularMdp<String, String> m = TestModels.cycle("1/2");
    TabularPolicy<String, String> doubles = TabularPolicy.of(m, new double[] {1.0, 1.0});
    InexactModelException e = assertThrows(InexactModelException.class,
        () -> PolicyEvaluation.exact(m, doubles));
    assertTrue(e.getMessage().contains("policy"), e.getMessage());
  }

  // small() under the uniform policy: exact values by hand are the solution of
  // v0 = 7.5 + .9 (.25 v0 + .75 v1), v1 = .5 + .9 (.45 v0 + .55 v1); the iterative certificate must
  // cover the distance to them.
  @Test
  void iterativeEvaluationCertificateHolds() {
    TabularMdp<Integer, Integer> m = TestModels.small();
    TabularPolicy<Integer, Integer> pi = Policy.<Integer, Integer>uniform().tabulate(m);
    double[] exact = PolicyEvaluation.exact(m, pi).values().toArray();
    for (int maxIt : new int[] {3, 30, 100_000}) {
      Solution<Integer, Integer> sol = PolicyEvaluation.iterative(m, pi, 1e-10, maxIt);
      double bound = sol.certificate().bound().orElseThrow();
      double err = sol.values().distance(dev.fixpoint.dsl.ValueFunction.of(m.states(), exact));
      assertTrue(err <= bound, "error " + err + " > bound " + bound + " at maxIt " + maxIt);
      assertEquals(maxIt == 100_000, sol.converged());
    }
  }

  // Hand check of the uniform-policy values above: 2x2 system
  // (1 - .225) v0 - .675 v1 = 7.5, -.405 v0 + (1 - .495) v1 = .5.
  @Test
  void uniformPolicyOnSmallMatchesHandSolution() {
    TabularMdp<Integer, Integer> m = TestModels.small();
    TabularPolicy<Integer, Integer> pi = Policy.<Integer, Integer>uniform().tabulate(m);
    BigFraction[] v = PolicyEvaluation.exact(m, pi).values().toExactArray();
    // det = .775 * .505 - .675 * .405 = .118; v0 = (7.5 * .505 + .675 * .5)/.118 = 4.125/.118
    assertEquals(f("4125/118"), v[0]);
    // v1 = (.775 * .5 + .405 * 7.5)/.118 = 3.425/.118
    assertEquals(f("3425/118"), v[1]);
  }

  @Test
  void undiscountedIterativeEvaluationHasNoCertificate() {
    TabularMdp<String, String> m = TestModels.walkOrJump();
    TabularPolicy<String, String> pi = Policy.<String, String>deterministic(
        s -> s.equals("s0") ? "jump" : "walk").tabulate(m);
    Solution<String, String> sol = PolicyEvaluation.iterative(m, pi, 1e-12, 10_000);
    assertInstanceOf(Certificate.None.class, sol.certificate());
    assertTrue(sol.converged());
    // values by hand (see undiscountedProperPolicyIsEvaluatedExactly); the change 1e-12 is no
    // error bound, so compare loosely
    assertArrayEquals(new double[] {-3, -1, 0}, sol.values().toArray(), 1e-9);
  }

  @Test
  void badArgumentsAreRejected() {
    TabularMdp<String, String> m = TestModels.cycle("1/2");
    TabularPolicy<String, String> pi = always(m, "go");
    assertThrows(IllegalArgumentException.class,
        () -> PolicyEvaluation.iterative(m, pi, -1, 10));
    assertThrows(IllegalArgumentException.class, () -> PolicyEvaluation.iterative(m, pi, 1, 0));
    TabularMdp<Integer, Integer> other = TestModels.forest("0.9");
    assertThrows(dev.fixpoint.dsl.ModelException.class,
        () -> PolicyEvaluation.direct(other, TabularPolicy.of(TestModels.small(),
            new double[] {1, 0, 1, 0})));
  }
}
