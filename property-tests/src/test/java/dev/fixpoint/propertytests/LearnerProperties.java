package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.learn.ControlEpisode;
import dev.fixpoint.tabular.learn.ControlState;
import dev.fixpoint.tabular.learn.Experience;
import dev.fixpoint.tabular.learn.ExpectedSarsa;
import dev.fixpoint.tabular.learn.LambdaReturn;
import dev.fixpoint.tabular.learn.QLearning;
import dev.fixpoint.tabular.learn.QPolicy;
import dev.fixpoint.tabular.learn.Td0;
import dev.fixpoint.tabular.learn.TdLambda;
import dev.fixpoint.tabular.learn.Trajectory;
import dev.fixpoint.tabular.learn.Transition;
import dev.fixpoint.tabular.learn.TrueOnlineTd;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Laws of the sample-based learners of {@code dev.fixpoint.tabular.learn}, each checked against an
 * oracle written here from its definition: TD(0) with Robbins-Monro step sizes converges to v_pi
 * (Dayan 1992; Jaakkola, Jordan &amp; Singh 1994); Expected Sarsa with a greedy target policy is
 * Q-learning (Sutton &amp; Barto 2018, sec. 6.6); offline TD(lambda) with accumulating traces adds
 * up the lambda-return errors (the forward and backward views, Sutton 1988; Sutton &amp; Barto
 * 1998, sec. 7.4); true online TD(lambda) is the online lambda-return algorithm (van Seijen et al.
 * 2016, JMLR 17, Theorem 1).
 */
class LearnerProperties {
  static final MdpSpec MODELS = MdpSpec.doubles().withUndiscounted(true);

  // ---------------------------------------------------------------- TD(0) converges to v_pi

  /**
   * A random chain: states 0 .. n+1, both ends terminal, start uniform over 1 .. n; from s one
   * action moves right with probability right[s-1]/10, else left, paying the drawn integer reward
   * of that direction; discount gammaTenths/10.
   */
  record Chain(int n, int[] right, int[] leftReward, int[] rightReward, int gammaTenths,
      long seed) {
    TabularMdp<Integer, String> model() {
      List<Integer> states = new ArrayList<>();
      for (int s = 0; s <= n + 1; s++) {
        states.add(s);
      }
      return Mdp.<Integer, String>of(states, s -> List.of("go"),
          (s, a) -> Dist.<Outcome<Integer>>builder()
              .add(Outcome.of(s - 1, leftReward[s - 1]), 10 - right[s - 1], 10)
              .add(Outcome.of(s + 1, rightReward[s - 1]), right[s - 1], 10).build(),
          gammaTenths + "/10").withTerminal(List.of(0, n + 1)).tabulate();
    }

    @Override
    public String toString() {
      return "Chain[n=" + n + ", right tenths " + Arrays.toString(right) + ", rewards left "
          + Arrays.toString(leftReward) + " right " + Arrays.toString(rightReward) + ", gamma "
          + gammaTenths + "/10, seed " + seed + "]";
    }
  }

  static final Generator<Chain> CHAINS = Generator.of(rng -> {
    int n = rng.nextInt(1, 5);
    int[] right = new int[n];
    int[] left = new int[n];
    int[] rightR = new int[n];
    for (int i = 0; i < n; i++) {
      right[i] = rng.nextInt(2, 9);
      left[i] = rng.nextInt(-2, 3);
      rightR[i] = rng.nextInt(-2, 3);
    }
    return new Chain(n, right, left, rightR, rng.nextInt(5, 11), rng.nextLong());
  });

  // Step size 1/N(s)^0.7 at the N-th visit of s: sum alpha = infinity, sum alpha^2 < infinity.
  // After 4000 episodes every value is within 0.1 (1 + max |v_pi|) of the exact v_pi.
  @Test
  void td0WithDecreasingStepSizesApproachesVPi() {
    qt().withFixedSeed(401).withExamples(25).forAll(QuickTheoriesGen.of(CHAINS))
        .checkAssert(c -> {
          TabularMdp<Integer, String> m = c.model();
          TabularPolicy<Integer, String> pi = Policy.<Integer, String>uniform().tabulate(m);
          double[] truth = PolicyEvaluation.exact(m, pi).values().toArray();
          double[] v = new double[m.numStates()];
          int[] visits = new int[m.numStates()];
          SplittableRandom rng = new SplittableRandom(c.seed());
          for (int e = 0; e < 4000; e++) {
            Trajectory tr = Experience.episode(m, pi, rng);
            for (int t = 0; t < tr.length(); t++) {
              Transition x = tr.transition(t);
              double alpha = 1 / Math.pow(++visits[x.state()], 0.7);
              v = Td0.of(alpha).step(m, v, x);
            }
          }
          double scale = 0;
          for (double x : truth) {
            scale = Math.max(scale, Math.abs(x));
          }
          for (int s = 0; s < v.length; s++) {
            assertEquals(truth[s], v[s], 0.1 * (1 + scale), "state " + s);
          }
        });
  }

  // ---------------------------------------------------------------- Expected Sarsa vs Q-learning

  /** A model, action values, a step size, a transition of the model and an episode seed. */
  record QCase(RandomMdp m, double[] q, double alpha, double epsilon, Option<Transition> t,
      long seed) {
    @Override
    public String toString() {
      return m + "\nQ " + Arrays.toString(q) + "\nalpha " + alpha + ", epsilon " + epsilon
          + ", " + t + ", seed " + seed;
    }
  }

  static final Generator<QCase> Q_CASES = Generator.of(rng -> {
    RandomMdp m = Generators.mdps(MODELS).next(rng);
    TabularMdp<Integer, Integer> t = m.tabular();
    double[] q = Generators.qFunctions(t, -10, 10).next(rng);
    double alpha = rng.nextInt(1, 11) / 10.0;
    double epsilon = rng.nextInt(0, 11) / 10.0;
    Option<Transition> x = Option.none();
    if (t.numRows() > 0) {
      int row = rng.nextInt(0, t.numRows());
      int k = rng.nextInt(t.entryStart(row), t.entryEnd(row));
      x = Option.some(new Transition(t.rowState(row), row, t.entryReward(k), t.next(k),
          t.isTerminal(t.next(k))));
    }
    return new QCase(m, q, alpha, epsilon, x, rng.nextLong());
  });

  // sum_a greedy(a | s') Q(s', a) = max_a Q(s', a): the same update on one transition, and, with
  // the same behaviour and generator, the same episode, bit for bit.
  @Test
  void expectedSarsaWithGreedyTargetIsQLearning() {
    qt().withFixedSeed(402).withExamples(300).forAll(QuickTheoriesGen.of(Q_CASES))
        .assuming(c -> c.t().isDefined()).checkAssert(c -> {
          TabularMdp<Integer, Integer> m = c.m().tabular();
          QPolicy behaviour = QPolicy.epsilonGreedy(c.epsilon());
          ExpectedSarsa es = new ExpectedSarsa(c.alpha(), behaviour, QPolicy.greedy());
          QLearning ql = new QLearning(c.alpha(), behaviour);
          ControlState s0 = ControlState.of(c.q());
          assertArrayEquals(ql.update(m, s0, c.t().get()).q(), es.update(m, s0, c.t().get()).q());
          ControlEpisode a = es.episode(m, s0, new SplittableRandom(c.seed()), 40);
          ControlEpisode b = ql.episode(m, s0, new SplittableRandom(c.seed()), 40);
          assertEquals(b.trajectory(), a.trajectory());
          assertArrayEquals(b.state().q(), a.state().q());
        });
  }

  // ---------------------------------------------------------------- lambda-returns

  /** A model, values (0 at terminal states), alpha, lambda and an episode of the uniform policy. */
  record LambdaCase(RandomMdp m, double[] v, double alpha, double lambda, Trajectory episode) {
    @Override
    public String toString() {
      return m + "\nV " + Arrays.toString(v) + "\nalpha " + alpha + ", lambda " + lambda + "\n"
          + episode;
    }
  }

  static Generator<LambdaCase> lambdaCases(int maxSteps) {
    return Generator.of(rng -> {
      RandomMdp m = Generators.mdps(MODELS).next(rng);
      TabularMdp<Integer, Integer> t = m.tabular();
      double[] v = Generators.valueFunctions(t, -5, 5).next(rng);
      double alpha = rng.nextInt(1, 11) / 10.0;
      double lambda = rng.nextInt(0, 11) / 10.0;
      TabularPolicy<Integer, Integer> pi = Policy.<Integer, Integer>uniform().tabulate(t);
      Trajectory tr = Experience.episode(t, pi, new SplittableRandom(rng.nextLong()),
          rng.nextInt(0, maxSteps + 1));
      return new LambdaCase(m, v, alpha, lambda, tr);
    });
  }

  /**
   * G_{t:t+n} = sum_{i<n} gamma^i R_{t+i+1} + gamma^n w(S_{t+n}) (0 at a terminal state), with
   * w = the values the return bootstraps from.
   */
  static double nStepReturn(TabularMdp<?, ?> m, Trajectory tr, int t, int n, double[] w) {
    double g = 0;
    double discount = 1;
    for (int i = 0; i < n; i++) {
      g += discount * tr.reward(t + i);
      discount *= m.discount();
    }
    int s = tr.state(t + n);
    return g + (m.isTerminal(s) ? 0 : discount * w[s]);
  }

  /** The weight of G_{t:t+n} in the lambda-return truncated at horizon t + N (S&B eq. 12.9). */
  static double weight(double lambda, int n, int horizon) {
    return n < horizon ? (1 - lambda) * Math.pow(lambda, n - 1) : Math.pow(lambda, horizon - 1);
  }

  // Offline TD(lambda), accumulating traces, changes V by alpha sum_t [G^lambda_t - V(S_t)] at
  // S_t, with G^lambda_t the (truncated) lambda-return of the episode-start V, computed here as a
  // weighted sum of n-step returns (S&B eq. 12.2-12.3, 12.9).
  @Test
  void offlineTdLambdaAddsUpTheLambdaReturnErrors() {
    qt().withFixedSeed(403).withExamples(300).forAll(QuickTheoriesGen.of(lambdaCases(30)))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> m = c.m().tabular();
          Trajectory tr = c.episode();
          int len = tr.length();
          double[] expected = c.v().clone();
          double[] returns = new double[len];
          for (int t = 0; t < len; t++) {
            for (int n = 1; n <= len - t; n++) {
              returns[t] += weight(c.lambda(), n, len - t) * nStepReturn(m, tr, t, n, c.v());
            }
            expected[tr.state(t)] += c.alpha() * (returns[t] - c.v()[tr.state(t)]);
          }
          assertClose(returns, LambdaReturn.lambdaReturns(m, c.v(), tr, c.lambda()));
          assertClose(expected, new TdLambda(c.alpha(), c.lambda(), TdLambda.Trace.ACCUMULATING,
              true).episode(m, c.v(), tr));
        });
  }

  // The online lambda-return algorithm: at each horizon h = 1 .. T, redo the episode from its
  // start values with the lambda-returns truncated at h, every n-step return bootstrapping from
  // theta_{t+n-1}, the final values of horizon t+n-1 (van Seijen et al. 2016, eq. 3-5). True online
  // TD(lambda) reaches theta_T in O(T) steps.
  @Test
  void trueOnlineTdIsTheOnlineLambdaReturnAlgorithm() {
    qt().withFixedSeed(404).withExamples(300).forAll(QuickTheoriesGen.of(lambdaCases(12)))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> m = c.m().tabular();
          Trajectory tr = c.episode();
          int len = tr.length();
          double[][] theta = new double[len + 1][];
          theta[0] = c.v().clone();
          for (int h = 1; h <= len; h++) {
            double[] w = c.v().clone();
            for (int t = 0; t < h; t++) {
              double g = 0;
              for (int n = 1; n <= h - t; n++) {
                g += weight(c.lambda(), n, h - t) * nStepReturn(m, tr, t, n, theta[t + n - 1]);
              }
              w[tr.state(t)] += c.alpha() * (g - w[tr.state(t)]);
            }
            theta[h] = w;
          }
          assertClose(theta[len], TrueOnlineTd.of(c.alpha(), c.lambda()).episode(m, c.v(), tr));
        });
  }

  static void assertClose(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-9 * (1 + Math.abs(expected[i])),
          "index " + i + ": expected " + expected[i] + ", got " + actual[i]);
    }
  }
}
