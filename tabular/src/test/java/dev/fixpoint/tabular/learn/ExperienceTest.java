package dev.fixpoint.tabular.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGenerator.SplittableGenerator;
import org.junit.jupiter.api.Test;

/** Sampling, episodes, trajectories, per-trial generators and the Q-policies. */
class ExperienceTest {

  /** One state with one action and three outcomes of probability 1/2, 1/3, 1/6. */
  static TabularMdp<String, String> threeWay() {
    return Mdp.<String, String>of(List.of("s", "a", "b", "c"), s -> List.of("go"),
        (s, x) -> Dist.<Outcome<String>>builder().add(Outcome.of("a", 1), "1/2")
            .add(Outcome.of("b", 2), "1/3").add(Outcome.of("c", 3), "1/6").build(), "1")
        .withTerminal(List.of("a", "b", "c")).withInitial(Dist.dirac("s")).tabulate();
  }

  // The frequencies of 60000 draws lie within 5 standard errors of 1/2, 1/3, 1/6, and the reward
  // is the one of the transition taken (1, 2, 3), not r(s, a) = 5/3.
  @Test
  void transitionsFollowTheModel() {
    TabularMdp<String, String> m = threeWay();
    RandomGenerator rng = new SplittableRandom(11);
    int n = 60000;
    int[] counts = new int[4];
    for (int i = 0; i < n; i++) {
      Transition t = Experience.step(m, 0, rng);
      counts[t.next()]++;
      assertEquals(t.next(), t.reward(), "reward of the transition taken");
      assertTrue(t.terminal());
    }
    double[] p = {0, 0.5, 1.0 / 3, 1.0 / 6};
    for (int s = 1; s <= 3; s++) {
      double se = Math.sqrt(p[s] * (1 - p[s]) / n);
      assertEquals(p[s], counts[s] / (double) n, 5 * se, "state " + s);
    }
  }

  // Deterministic transitions and one-action states take no random number: a generator that
  // fails on use is never called on the hand model under a deterministic policy.
  @Test
  void deterministicStepsTakeNoRandomNumber() {
    TabularMdp<String, String> m = LearnModels.hand();
    RandomGenerator failing = () -> {
      throw new AssertionError("a random number was drawn");
    };
    TabularPolicy<String, String> alwaysL = Policy.<String, String>deterministic(s -> "l")
        .tabulate(m);
    // A -l-> B -l-> A ... never terminates: the cap stops it
    Trajectory tr = Experience.episode(m, alwaysL, failing, 5);
    assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1}, tr.states());
    assertFalse(tr.terminated());
    assertEquals(5, tr.length());
  }

  // Example 6.2: episodes start in C (3), move by one, end in 0 or 6, pay 1 only on reaching 6.
  @Test
  void randomWalkEpisodesHaveTheTextbookShape() {
    TabularMdp<Integer, String> m = LearnModels.randomWalk(5, 0);
    TabularPolicy<Integer, String> pi = LearnModels.walk(m);
    RandomGenerator rng = new SplittableRandom(3);
    int right = 0;
    for (int e = 0; e < 2000; e++) {
      Trajectory tr = Experience.episode(m, pi, rng);
      assertEquals(3, tr.state(0));
      assertTrue(tr.terminated());
      for (int t = 0; t < tr.length(); t++) {
        assertEquals(1, Math.abs(tr.state(t + 1) - tr.state(t)));
        assertEquals(tr.state(t + 1) == 6 ? 1.0 : 0.0, tr.reward(t));
      }
      right += tr.lastState() == 6 ? 1 : 0;
      assertEquals(tr.lastState() == 6 ? 1.0 : 0.0, tr.discountedReturn(1));
    }
    // P(right) = 1/2 by symmetry; 5 standard errors
    assertEquals(0.5, right / 2000.0, 5 * Math.sqrt(0.25 / 2000));
  }

  @Test
  void episodeWithoutCapNeedsATerminalState() {
    TabularMdp<String, String> loop = Mdp.<String, String>of(List.of("x"), s -> List.of("stay"),
        (s, a) -> Dist.dirac(Outcome.of("x", 1)), "1/2").tabulate();
    TabularPolicy<String, String> pi = Policy.<String, String>uniform().tabulate(loop);
    ModelException e = assertThrows(ModelException.class,
        () -> Experience.episode(loop, pi, new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("no terminal state"), e.getMessage());
    Trajectory tr = Experience.episode(loop, pi, new SplittableRandom(1), 3);
    // G_0 = 1 + 1/2 + 1/4
    assertEquals(1.75, tr.discountedReturn(0.5));
    assertThrows(ModelException.class, () -> Td0.of(0.1).run(loop, pi, 1, 1L));
  }

  @Test
  void trajectoriesAreCheckedAgainstTheModel() {
    TabularMdp<String, String> m = LearnModels.hand();
    double[] v = {0, 0, 0};
    Td0 td = Td0.of(0.5);
    // row 2 belongs to B, not A
    assertThrows(IllegalArgumentException.class, () -> td.episode(m, v,
        new Trajectory(new int[] {0, 1}, new int[] {2}, new double[] {0}, false)));
    // A-l leads to B, not T
    assertThrows(IllegalArgumentException.class, () -> td.episode(m, v,
        new Trajectory(new int[] {0, 2}, new int[] {0}, new double[] {0}, true)));
    // the terminated flag disagrees with the model
    assertThrows(IllegalArgumentException.class, () -> td.episode(m, v,
        new Trajectory(new int[] {0, 2}, new int[] {1}, new double[] {-1}, false)));
    // lengths
    assertThrows(IllegalArgumentException.class,
        () -> new Trajectory(new int[] {0}, new int[] {1}, new double[] {-1}, false));
    // a terminal state with a nonzero value
    assertThrows(IllegalArgumentException.class, () -> td.episode(m, new double[] {0, 0, 1},
        new Trajectory(new int[] {0, 2}, new int[] {1}, new double[] {-1}, true)));
    assertThrows(ModelException.class, () -> Td0.of(0));
    assertThrows(ModelException.class, () -> Td0.of(1.5));
    assertThrows(ModelException.class, () -> TdLambda.of(0.1, -0.1));
    assertThrows(ModelException.class, () -> NStepTd.of(0, 0.1));
    assertThrows(ModelException.class, () -> QPolicy.epsilonGreedy(1.1));
    assertThrows(ModelException.class, () -> QPolicy.softmax(0));
  }

  @Test
  void trialGeneratorsDependOnlyOnSeedAndIndex() {
    SplittableGenerator[] gens = Trials.generators(42, 5);
    long[] first = new long[5];
    for (int i = 0; i < 5; i++) {
      first[i] = gens[i].nextLong();
      assertEquals(first[i], Trials.generator(42, i).nextLong(), "trial " + i);
    }
    assertEquals(5, java.util.Arrays.stream(first).distinct().count());
    List<Long> parallel = Trials.run(42, 5, g -> g.nextLong());
    for (int i = 0; i < 5; i++) {
      assertEquals(first[i], parallel.get(i));
    }
  }

  // epsilon-greedy with epsilon = 1/2 over 4 actions with a tie for the best: each 1/8, the first
  // best gets 1/8 + 1/2 = 5/8. The same numbers as the DSL's Policy.epsilonGreedy.
  @Test
  void epsilonGreedyBreaksTiesTowardsTheFirstAction() {
    TabularMdp<LearnModels.Cell, LearnModels.Move> cliff = LearnModels.cliff();
    double[] q = new double[cliff.numRows()];
    int s = cliff.states().indexOf(LearnModels.START);
    int r0 = cliff.rowStart(s);
    q[r0] = -1;
    q[r0 + 1] = 2;
    q[r0 + 2] = 2;
    q[r0 + 3] = 0;
    double[] out = new double[q.length];
    QPolicy.epsilonGreedy(0.5).probabilities(cliff, q, s, out);
    assertArrayEquals(new double[] {0.125, 0.625, 0.125, 0.125},
        java.util.Arrays.copyOfRange(out, r0, r0 + 4));
    QPolicy.greedy().probabilities(cliff, q, s, out);
    assertArrayEquals(new double[] {0, 1, 0, 0}, java.util.Arrays.copyOfRange(out, r0, r0 + 4));
    TabularPolicy<LearnModels.Cell, LearnModels.Move> dsl = Policy.epsilonGreedy(
        QFunction.of(cliff, q), "1/2").tabulate(cliff);
    assertArrayEquals(dsl.toArray(), QPolicy.epsilonGreedy(0.5).tabulate(cliff, q).toArray());
  }

  // softmax of (0, ln 3) at temperature 1: (1/4, 3/4).
  @Test
  void softmaxProbabilities() {
    TabularMdp<String, String> m = LearnModels.hand();
    double[] q = {0, Math.log(3), 0, 0};
    double[] out = new double[4];
    QPolicy.softmax(1).probabilities(m, q, 0, out);
    assertEquals(0.25, out[0], 1e-15);
    assertEquals(0.75, out[1], 1e-15);
  }
}
