package dev.fixpoint.tabular.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.TabularMdp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Every double solver agrees with exact policy iteration within its own certificate (or 1e-9 when
 * it gives none) on seeded random models, and the exact simplex agrees with exact policy iteration
 * exactly. The oracle is exact PI, checked against hand values in PolicyIterationTest.
 */
class AgreementTest {

  /**
   * A random exact model: 2..6 states, 1..3 actions per state, each row with 1..3 successors and
   * integer weights 1..4 (normalised exactly), integer rewards in [-5, 5]. With {@code ssp}, the
   * discount is 1 and every row also moves to a terminal state with weight >= 1, so every policy
   * is proper.
   */
  static TabularMdp<Integer, Integer> randomModel(long seed, String gamma, boolean ssp) {
    SplittableRandom rng = new SplittableRandom(seed);
    int n = 2 + rng.nextInt(5);
    int terminal = ssp ? n : -1;
    int[] numActions = new int[n];
    for (int s = 0; s < n; s++) {
      numActions[s] = 1 + rng.nextInt(3);
    }
    Map<List<Integer>, Dist<Outcome<Integer>>> table = new LinkedHashMap<>();
    for (int s = 0; s < n; s++) {
      for (int a = 0; a < numActions[s]; a++) {
        Map<Outcome<Integer>, Integer> w = new LinkedHashMap<>();
        int k = 1 + rng.nextInt(3);
        long reward = rng.nextInt(11) - 5;
        for (int j = 0; j < k; j++) {
          w.merge(Outcome.of(rng.nextInt(n), reward), 1 + rng.nextInt(4), Integer::sum);
        }
        if (ssp) {
          w.merge(Outcome.of(terminal, reward), 1 + rng.nextInt(2), Integer::sum);
        }
        table.put(List.of(s, a), Dist.normalized(w));
      }
    }
    List<Integer> states = TestModels.range(ssp ? n + 1 : n);
    Function<Integer, List<Integer>> actions = s -> TestModels.range(numActions[s]);
    Mdp<Integer, Integer> mdp = Mdp.of(states, actions, (s, a) -> table.get(List.of(s, a)),
        gamma);
    if (ssp) {
      mdp = mdp.withTerminal(s -> s == terminal);
    }
    return mdp.withName("random-" + seed).tabulate();
  }

  private static void check(String what, Solution<Integer, Integer> sol, double[] vStar) {
    double err = 0;
    for (int i = 0; i < vStar.length; i++) {
      err = Math.max(err, Math.abs(sol.values().valueAt(i) - vStar[i]));
    }
    double allowed = switch (sol.certificate()) {
      case Certificate.SupNorm c -> c.valueBound();
      case Certificate.Exact c -> 1e-9;
      case Certificate.None c -> 1e-9;
    };
    assertTrue(err <= allowed, what + ": error " + err + " > " + allowed + "; "
        + sol.summary());
    if (sol.certificate() instanceof Certificate.SupNorm c) {
      double[] vPi = PolicyEvaluation.exact(sol.mdp(), sol.policy()).values().toArray();
      double loss = 0;
      for (int i = 0; i < vStar.length; i++) {
        loss = Math.max(loss, vStar[i] - vPi[i]);
      }
      assertTrue(loss <= c.policyLoss(), what + ": loss " + loss + " > " + c.policyLoss());
    }
  }

  private static List<Solution<Integer, Integer>> doubleSolvers(TabularMdp<Integer, Integer> m) {
    List<Solution<Integer, Integer>> out = new ArrayList<>();
    out.add(PolicyIteration.solve(m));
    out.add(ValueIteration.jacobi().solve(m));
    out.add(ValueIteration.gaussSeidel().solve(m));
    out.add(ModifiedPolicyIteration.of(3).solve(m));
    out.add(LinearProgramming.solve(m));
    return out;
  }

  @Test
  void discountedSolversAgreeWithExactPolicyIteration() {
    for (String gamma : new String[] {"1/2", "9/10", "99/100"}) {
      for (long seed = 1; seed <= 25; seed++) {
        TabularMdp<Integer, Integer> m = randomModel(seed, gamma, false);
        Solution<Integer, Integer> oracle = PolicyIteration.solveExact(m);
        double[] vStar = oracle.values().toArray();
        BigFraction[] exactLp = LinearProgramming.solveExact(m).values().toExactArray();
        assertEquals(List.of(oracle.values().toExactArray()), List.of(exactLp),
            "exact LP, seed " + seed + ", gamma " + gamma);
        for (Solution<Integer, Integer> sol : doubleSolvers(m)) {
          check(sol.method() + ", seed " + seed + ", gamma " + gamma, sol, vStar);
          assertTrue(sol.converged(), sol.summary());
        }
        // backward induction is value iteration from 0: |V_H - V*| <= gamma^H ||V*||
        int h = 8;
        double[] vh = FiniteHorizon.solve(m, h).valuesAt(h).toArray();
        double norm = 0;
        double err = 0;
        for (int i = 0; i < vh.length; i++) {
          norm = Math.max(norm, Math.abs(vStar[i]));
          err = Math.max(err, Math.abs(vh[i] - vStar[i]));
        }
        assertTrue(err <= Math.pow(m.discount(), h) * norm + 1e-9, "finite horizon " + seed);
      }
    }
  }

  @Test
  void undiscountedSolversAgreeWithExactPolicyIteration() {
    for (long seed = 1; seed <= 25; seed++) {
      TabularMdp<Integer, Integer> m = randomModel(seed, "1", true);
      Solution<Integer, Integer> oracle = PolicyIteration.solveExact(m);
      double[] vStar = oracle.values().toArray();
      assertEquals(List.of(oracle.values().toExactArray()),
          List.of(LinearProgramming.solveExact(m).values().toExactArray()), "exact LP " + seed);
      for (Solution<Integer, Integer> sol : doubleSolvers(m)) {
        check(sol.method() + ", seed " + seed, sol, vStar);
      }
    }
  }
}
