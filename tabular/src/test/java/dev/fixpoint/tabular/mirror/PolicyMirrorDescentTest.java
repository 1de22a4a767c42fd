package dev.fixpoint.tabular.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.StepSize;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.internal.Bellman;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class PolicyMirrorDescentTest {

  static BigFraction f(String s) {
    return Rationals.parse(s);
  }

  /** One state with a self-loop, actions 0, 1, 2 with rewards 2, 1, 0; gamma = 1/2. */
  static TabularMdp<Integer, Integer> bandit() {
    List<Integer> actions = List.of(0, 1, 2);
    return Mdp.<Integer, Integer>of(List.of(0), s -> actions,
        (s, a) -> Dist.dirac(Outcome.of(0, (long) (2 - a))), "1/2").withName("bandit").tabulate();
  }

  /**
   * pymdptoolbox's {@code mdptoolbox.example.small()}: P[0] = [[.5,.5],[.8,.2]], P[1] =
   * [[0,1],[.1,.9]], R = [[5,10],[-1,2]], discount 0.9; documented optimum V = (42.4418604651163,
   * 36.0465116279070) = (1825/43, 1550/43), policy (1, 0).
   */
  static TabularMdp<Integer, Integer> small() {
    String[][][] p = {{{".5", ".5"}, {".8", ".2"}}, {{"0", "1"}, {".1", ".9"}}};
    String[][] r = {{"5", "10"}, {"-1", "2"}};
    List<Integer> actions = List.of(0, 1);
    return Mdp.<Integer, Integer>of(List.of(0, 1), s -> actions, (s, a) -> {
      Map<Outcome<Integer>, BigFraction> w = new LinkedHashMap<>();
      for (int t = 0; t < 2; t++) {
        if (Rationals.signum(f(p[a][s][t])) != 0) {
          w.put(Outcome.of(t, f(r[s][a])), f(p[a][s][t]));
        }
      }
      return Dist.of(w);
    }, "0.9").withName("small").tabulate();
  }

  // Hand calculation: sorted u = (1/2, 1/3, -1); j = 1: 1/2 - (-1/2) > 0; j = 2: 1/3 - (-1/6)/2
  // = 5/12 > 0; j = 3: -1 - (-7/6)/3 = -11/18 < 0; so theta = -1/12 and p = (7/12, 5/12, 0).
  @Test
  void exactSimplexProjectionByHand() {
    assertArrayEquals(new BigFraction[] {f("7/12"), f("5/12"), f("0")},
        MirrorUpdates.projectToSimplex(new BigFraction[] {f("1/2"), f("1/3"), f("-1")}));
    assertArrayEquals(new double[] {7.0 / 12, 5.0 / 12, 0},
        MirrorUpdates.projectToSimplex(new double[] {0.5, 1.0 / 3, -1}), 1e-15);
  }

  // Hand calculation on the bandit: uniform pi_0 has r_pi = 1, V = 1/(1 - 1/2) = 2, Q = r + V =
  // (3, 2, 1). With eta = 1/6: pi_0 + eta Q = (5/6, 2/3, 1/2), sum 2, all stay: theta = 1/3, so
  // pi_1 = (1/2, 1/3, 1/6); r_pi1 = 1 + 1/3 = 4/3, V^{pi_1} = 8/3.
  @Test
  void exactEuclideanStepOnTheBanditByHand() {
    TabularMdp<Integer, Integer> m = bandit();
    MirrorRun<Integer, Integer> run = PolicyMirrorDescent.of(MirrorMap.euclidean(),
        StepSize.constant("1/6")).runExact(m, TabularPolicy.uniform(m), 1);
    assertEquals(2, run.iterates().size());
    assertArrayEquals(new BigFraction[] {f("3"), f("2"), f("1")},
        run.iterates().get(0).q().toExactArray());
    assertArrayEquals(new BigFraction[] {f("1/2"), f("1/3"), f("1/6")},
        run.last().policy().toExactArray());
    assertEquals(f("8/3"), run.last().values().exactValue(0));
    assertEquals(1.0 / 6, run.last().step(), 1e-15);
  }

  // Hand calculation: pi_1 proportional to (1/3)(e^{3 ln 2}, e^{2 ln 2}, e^{ln 2}) = (8, 4, 2)/3,
  // i.e. (4/7, 2/7, 1/7).
  @Test
  void klStepOnTheBanditByHand() {
    TabularMdp<Integer, Integer> m = bandit();
    double[] next = MirrorUpdates.update(m, MirrorMap.kl(), Math.log(2), new double[] {1.0 / 3,
        1.0 / 3, 1.0 / 3}, new double[] {3, 2, 1});
    assertArrayEquals(new double[] {4.0 / 7, 2.0 / 7, 1.0 / 7}, next, 1e-15);
  }

  // h_2(p) = sum p^2 - 1 = 2 (1/2)||p||^2 - 1, so D_{h_2} = 2 D_Euclid and the Tsallis(2) step eta
  // equals the Euclidean step eta/2 (spec A1.3).
  @Test
  void tsallisTwoIsEuclideanAtHalfTheStep() {
    TabularMdp<Integer, Integer> m = bandit();
    double[] pi = {0.2, 0.3, 0.5};
    double[] q = {3, 2.5, 1};
    assertArrayEquals(MirrorUpdates.update(m, MirrorMap.euclidean(), 0.1, pi, q),
        MirrorUpdates.update(m, MirrorMap.tsallis(2), 0.2, pi, q), 1e-12);
  }

  // An infinite step from a deterministic policy is policy iteration's improvement step (the greedy
  // row wherever it strictly improves); iterated, it reaches the published optimum of small().
  @Test
  void infiniteStepIsPolicyIteration() {
    TabularMdp<Integer, Integer> m = small();
    TabularPolicy<Integer, Integer> pi0 = TabularPolicy.deterministic(m, new int[] {0, 2});
    MirrorRun<Integer, Integer> run = PolicyMirrorDescent.of(MirrorMap.euclidean(),
        StepSize.infinite()).runExact(m, pi0, 10);
    int[] greedy = Bellman.greedyRowsExact(m, run.iterates().get(0).q().toExactArray());
    assertArrayEquals(Bellman.deterministicExact(m, greedy),
        run.iterates().get(1).policy().toExactArray());
    assertEquals(MirrorRun.Stop.UNCHANGED, run.stop());
    assertArrayEquals(new BigFraction[] {f("1825/43"), f("1550/43")},
        run.last().values().toExactArray());
    assertEquals(1, run.last().policy().action(0));
    assertEquals(0, run.last().policy().action(1));
  }

  @Test
  void exactEuclideanEqualsDoubleOnSmall() {
    TabularMdp<Integer, Integer> m = small();
    for (StepSize step : List.of(StepSize.constant("1/2"), StepSize.geometric("1/10"),
        StepSize.adaptive("1"), StepSize.infinite())) {
      PolicyMirrorDescent pmd = PolicyMirrorDescent.of(MirrorMap.euclidean(), step);
      MirrorRun<Integer, Integer> exact = pmd.runExact(m, TabularPolicy.uniform(m), 8);
      MirrorRun<Integer, Integer> dbl = pmd.run(m, TabularPolicy.uniform(m), 8);
      assertEquals(exact.iterates().size(), dbl.iterates().size(), step.toString());
      for (int k = 0; k < exact.iterates().size(); k++) {
        assertArrayEquals(Rationals.toDoubles(exact.iterates().get(k).values().toExactArray()),
            dbl.iterates().get(k).values().toArray(), 1e-12, step + " iterate " + k);
        assertArrayEquals(exact.iterates().get(k).policy().toArray(),
            dbl.iterates().get(k).policy().toArray(), 1e-12, step + " iterate " + k);
      }
    }
  }

  @Test
  void adaptiveStepStopsAtAGreedyPolicy() {
    TabularMdp<Integer, Integer> m = small();
    // (1, 0) is the published optimal policy of small(): greedy for its own Q, so the step is 0.
    TabularPolicy<Integer, Integer> opt = TabularPolicy.deterministic(m, new int[] {1, 2});
    MirrorRun<Integer, Integer> run = PolicyMirrorDescent.of(MirrorMap.euclidean(),
        StepSize.adaptive("1")).runExact(m, opt, 5);
    assertEquals(MirrorRun.Stop.GREEDY, run.stop());
    assertEquals(1, run.iterates().size());
  }

  @Test
  void klNeedsAFullSupportStart() {
    TabularMdp<Integer, Integer> m = small();
    TabularPolicy<Integer, Integer> det = TabularPolicy.deterministic(m, new int[] {0, 2});
    ModelException e = assertThrows(ModelException.class, () -> PolicyMirrorDescent.of(
        MirrorMap.kl(), StepSize.constant("1")).run(m, det, 3));
    assertTrue(e.getMessage().contains("state 0, action 1"), e.getMessage());
    assertTrue(e.getMessage().contains("full support"), e.getMessage());
    assertThrows(ModelException.class, () -> PolicyMirrorDescent.of(MirrorMap.tsallis(0.5),
        StepSize.constant("1")).run(m, det, 3));
    assertThrows(ModelException.class, () -> PolicyMirrorDescent.of(MirrorMap.kl(),
        StepSize.constant("1")).runExact(m, TabularPolicy.uniform(m), 3));
  }

  // Hand calculation from the KKT form (spec A1.3) with q = 1/2: p_a = 1/(lambda - y_a)^2, y_a =
  // -1/sqrt(pi_a) + eta Q_a. From pi = (1/2, 1/2), Q = (1, 0): p = (16/25, 9/25) needs lambda - y_1 =
  // 5/4 and lambda - y_2 = 5/3, so y_1 - y_2 = eta = 5/3 - 5/4 = 5/12.
  @Test
  void tsallisHalfStepByHand() {
    TabularMdp<Integer, Integer> m = small();
    double[] next = MirrorUpdates.update(m, MirrorMap.tsallis(0.5), 5.0 / 12,
        new double[] {0.5, 0.5, 0.5, 0.5}, new double[] {1, 0, 1, 0});
    assertArrayEquals(new double[] {16.0 / 25, 9.0 / 25, 16.0 / 25, 9.0 / 25}, next, 1e-12);
  }

  // Hand calculation on the bandit (Johnson et al. 2023 adaptive step, spec A2.4): uniform pi_0, Q =
  // (3, 2, 1), greedy set {0}, p* = (1, 0, 0), D = (1/2)(4/9 + 1/9 + 1/9) = 1/3; c_0 = 1 gamma =
  // 1/2, so eta_0 = 2/3. pi_0 + (2/3) Q = (7/3, 5/3, 1): j* = 2, theta = (4 - 1)/2 = 3/2, pi_1 =
  // (5/6, 1/6, 0); r_pi1 = 5/3 + 1/6 = 11/6 and V^{pi_1} = 11/3.
  @Test
  void adaptiveEuclideanStepOnTheBanditByHand() {
    TabularMdp<Integer, Integer> m = bandit();
    MirrorRun<Integer, Integer> run = PolicyMirrorDescent.of(MirrorMap.euclidean(),
        StepSize.adaptive("1")).runExact(m, TabularPolicy.uniform(m), 1);
    assertEquals(2.0 / 3, run.last().step(), 1e-15);
    assertArrayEquals(new BigFraction[] {f("5/6"), f("1/6"), f("0")},
        run.last().policy().toExactArray());
    assertEquals(f("11/3"), run.last().values().exactValue(0));
  }
}
