package dev.fixpoint.tabular.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.TraceRule;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * The sample-based trace learners on {@link LearnModels#hand()} (gamma = 1/2; rows A-l = 0, A-r =
 * 1, B-l = 2, B-r = 3), checked against hand calculations in exact fractions. Behaviour mu =
 * (1/2, 1/2) in A and B, target pi = (3/4, 1/4) in A and B, so rho = 3/2 for l and 1/2 for r;
 * E_pi Q(s) = 3/4 Q(s, l) + 1/4 Q(s, r). The episode is A -l-> B (R = 2), B -l-> A (R = 0),
 * A -r-> T (R = -1): rho_1 = 3/2, rho_2 = 1/2. Q0 = (1, 0, 2, 0), alpha = 1/2. All numbers are
 * dyadic, so the doubles of the multiplicative rules must match exactly.
 */
class OffPolicyTracesTest {
  static final TabularMdp<String, String> M = LearnModels.hand();
  static final TabularPolicy<String, String> MU =
      TabularPolicy.of(M, new double[] {0.5, 0.5, 0.5, 0.5});
  static final TabularPolicy<String, String> PI =
      TabularPolicy.of(M, new double[] {0.75, 0.25, 0.75, 0.25});
  static final double[] Q0 = {1, 0, 2, 0};
  static final Trajectory EPISODE =
      new Trajectory(new int[] {0, 1, 0, 2}, new int[] {0, 2, 1}, new double[] {2, 0, -1}, true);

  static double f(String text) {
    return Rationals.toDouble(Rationals.parse(text));
  }

  static double[] q(String al, String ar, String bl) {
    return new double[] {f(al), f(ar), f(bl), 0};
  }

  static OffPolicyTraces learner(TraceRule rule) {
    return OffPolicyTraces.evaluation(rule, 0.5, PI, MU);
  }

  // RBIS(1/2) online.
  // t=0: E_pi Q(B) = 3/4 * 2 = 3/2, delta_0 = 2 + 3/4 - 1 = 7/4; Q(A-l) = 1 + 7/8 = 15/8.
  // t=1: entry 0: D = 1/2, beta = min(1/2, 3/2 * 1) = 1/2 (weight 1/4); E_pi Q(A) = 45/32,
  //      delta_1 = 45/64 - 2 = -83/64, alpha delta = -83/128:
  //      Q(A-l) = 15/8 - 83/512 = 877/512, Q(B-l) = 2 - 83/128 = 173/128.
  // t=2: entry 0: D = 1/4, beta = min(1/4, 1/2 * 1/2) = 1/4 (weight 1/16); entry 1: D = 1/2,
  //      beta = min(1/2, 1/2 * 1) = 1/2 (weight 1/4); terminal, delta_2 = -1 - 0 = -1:
  //      Q(A-l) = 877/512 - 1/32 = 861/512, Q(B-l) = 173/128 - 1/8 = 157/128, Q(A-r) = -1/2.
  @Test
  void rbisOnlineBackwardViewByHand() {
    assertArrayEquals(q("861/512", "-1/2", "157/128"),
        learner(TraceRule.rbis("1/2")).replay(M, Q0, EPISODE));
  }

  // A user's rule with RBIS's step function gives RBIS's numbers.
  @Test
  void customRuleRunsInTheLearner() {
    TraceRule mine = TraceRule.custom("my RBIS", BigFraction.ONE, (beta, t, rho, pi) -> {
      BigFraction cap = new BigFraction(1, 2).pow(t);
      BigFraction b = rho.multiply(beta).compareTo(cap) < 0 ? rho.multiply(beta) : cap;
      return new TraceRule.Update(b, b);
    });
    assertArrayEquals(q("861/512", "-1/2", "157/128"), learner(mine).replay(M, Q0, EPISODE));
  }

  // Truncated IS(1/2): up to t=1 as RBIS (beta = 1/2 min(1, 3/2) = 1/2). At t=2: entry 0
  // beta = 1/4 min(1, 3/2 * 1/2) = 3/16 (weight 3/64), entry 1 beta = 1/2 min(1, 1/2) = 1/4
  // (weight 1/8): Q(A-l) = 877/512 - 3/128 = 865/512, Q(B-l) = 173/128 - 1/16 = 165/128.
  // (Log-space products: equal up to rounding.)
  @Test
  void truncatedIsOnlineByHand() {
    assertArrayEquals(q("865/512", "-1/2", "165/128"),
        learner(TraceRule.truncatedIs("1/2")).replay(M, Q0, EPISODE), 1e-15);
  }

  // Recursive Retrace(1/2) and Retrace(1/2): beta_1 = 1/2 min(1, 3/2) = 1/2, and at t=2 entry 0
  // beta = 1/2 min(1, 1/2 * 1/2) = 1/8 (RR) = 1/2 * 1/2 * 1/2 (Retrace), weight 1/32; entry 1
  // beta = 1/2 * 1/2 = 1/4, weight 1/8: Q(A-l) = 877/512 - 1/64 = 869/512, Q(B-l) = 165/128.
  @Test
  void retraceAndRecursiveRetraceOnlineByHand() {
    double[] expected = q("869/512", "-1/2", "165/128");
    assertArrayEquals(expected, learner(TraceRule.recursiveRetrace("1/2")).replay(M, Q0, EPISODE));
    assertArrayEquals(expected, learner(TraceRule.retrace("1/2")).replay(M, Q0, EPISODE));
    assertArrayEquals(expected, learner(TraceRule.retrace("1/2"))
        .withStorage(OffPolicyTraces.Storage.PER_PAIR).replay(M, Q0, EPISODE));
  }

  // Offline forward view of RBIS(1/2), Q frozen at Q0: delta_0 = 7/4,
  // delta_1 = 1/2 (3/4 * 1) - 2 = -13/8, delta_2 = -1.
  // k=0: 7/4 + (1/2)(1/2)(-13/8) + (1/4)(1/4)(-1) = 41/32; k=1: -13/8 + (1/2)(1/2)(-1) = -15/8;
  // k=2: -1. Q = Q0 + 1/2 u = (1 + 41/64, -1/2, 2 - 15/16) = (105/64, -1/2, 17/16).
  @Test
  void rbisOfflineForwardViewByHand() {
    OffPolicyTraces l = learner(TraceRule.rbis("1/2"));
    assertArrayEquals(q("105/64", "-1/2", "17/16"), l.forward(M, Q0, EPISODE));
    TraceSteps steps = l.frozenSteps(M, Q0, EPISODE);
    assertArrayEquals(new double[] {f("7/4"), f("-13/8"), -1}, steps.delta());
    assertArrayEquals(new double[] {1.5, 1.5, 0.5}, steps.rho());
    // the backward recursion on the same frozen deltas gives the same increments
    assertArrayEquals(new double[] {f("41/32"), -1, f("-15/8"), 0},
        TraceUpdates.backward(TraceRule.rbis("1/2"), 0.5, steps, 4));
  }

  // Offline forward view of truncated IS(1/2), same frozen deltas: k=0 traces 1, 1/2 min(1, 3/2)
  // = 1/2, 1/4 min(1, 3/4) = 3/16: 7/4 - 13/32 - 3/64 = 83/64; k=1: -13/8 + (1/2)(1/4)(-1) =
  // -7/4; k=2: -1. Q = (1 + 83/128, -1/2, 2 - 7/8) = (211/128, -1/2, 9/8).
  @Test
  void truncatedIsOfflineForwardViewByHand() {
    assertArrayEquals(q("211/128", "-1/2", "9/8"),
        learner(TraceRule.truncatedIs("1/2")).forward(M, Q0, EPISODE), 1e-15);
  }

  // lambda = 0: only the entry's own step counts, so the learner is Expected Sarsa with the
  // fixed target, update for update (an independent implementation).
  @Test
  void lambdaZeroIsExpectedSarsa() {
    ExpectedSarsa es = new ExpectedSarsa(0.5, OffPolicyTraces.fixed(MU),
        OffPolicyTraces.fixed(PI));
    ControlState s = ControlState.of(Q0);
    for (int t = 0; t < EPISODE.length(); t++) {
      s = es.update(M, s, EPISODE.transition(t));
    }
    for (TraceRule rule : new TraceRule[] {TraceRule.rbis("0"), TraceRule.truncatedIs("0"),
        TraceRule.retrace("0"), TraceRule.importanceSampling("0"), TraceRule.treeBackup("0")}) {
      assertArrayEquals(s.q(), learner(rule).replay(M, Q0, EPISODE), rule.toString());
    }
  }

  // Two visits to A-l in one episode keep two entries whose updates add up (accumulating):
  // A -l-> B -l-> A -l-> B -r-> T with Q0 = 0, rule Q(1) (beta = 1), pi = mu = (1/2, 1/2),
  // alpha = 1/2, gamma = 1/2 (weights are D_k = (1/2)^(t-k)).
  // t=0: delta = 2, Q(A-l) = 1.
  // t=1: E Q(A) = 1/2, delta = 1/4, alpha delta = 1/8; weights 1/2 (A-l), 1 (B-l):
  //      Q(A-l) = 17/16, Q(B-l) = 1/8.
  // t=2: E Q(B) = 1/16, delta = 2 + 1/32 - 17/16 = 31/32, alpha delta = 31/64;
  //      weights 1/4 (A-l, k=0), 1/2 (B-l), 1 (A-l, k=2): Q(A-l) += 31/64 * 5/4 = 155/256,
  //      so Q(A-l) = 427/256; Q(B-l) = 1/8 + 31/128 = 47/128.
  // t=3: terminal, delta = 4 - 0 = 4, alpha delta = 2; weights 1/8, 1/4, 1/2, 1:
  //      Q(A-l) += 2 (1/8 + 1/2) -> 747/256; Q(B-l) += 2 * 1/4 -> 111/128; Q(B-r) = 2.
  @Test
  void repeatedPairsAccumulate() {
    Trajectory twice = new Trajectory(new int[] {0, 1, 0, 1, 2}, new int[] {0, 2, 0, 3},
        new double[] {2, 0, 2, 4}, true);
    OffPolicyTraces l = OffPolicyTraces.evaluation(TraceRule.qLambda("1"), 0.5, MU, MU);
    assertArrayEquals(new double[] {f("747/256"), 0, f("111/128"), 2},
        l.replay(M, new double[4], twice));
    assertArrayEquals(l.replay(M, new double[4], twice),
        l.withStorage(OffPolicyTraces.Storage.PER_PAIR).replay(M, new double[4], twice));
  }

  @Test
  void sameSeedSameRunBitForBit() {
    OffPolicyTraces l = OffPolicyTraces.control(TraceRule.rbis("0.9"), 0.5, 0.2, 0.1);
    ControlState s0 = ControlState.initial(M, 0);
    ControlEpisode a = l.episode(M, s0, new SplittableRandom(7), 100);
    ControlEpisode b = l.episode(M, s0, new SplittableRandom(7), 100);
    assertEquals(a, b);
    double[] q1 = new double[4];
    double[] q2 = new double[4];
    OffPolicyTraces.Session s1 = l.session(M);
    OffPolicyTraces.Session s2 = l.session(M);
    SplittableRandom r1 = new SplittableRandom(3);
    SplittableRandom r2 = new SplittableRandom(3);
    for (int i = 0; i < 50; i++) {
      assertEquals(s1.episode(q1, r1, 100), s2.episode(q2, r2, 100));
    }
    assertArrayEquals(q1, q2);
    assertTrue(Arrays.stream(q1).anyMatch(x -> x != 0));
  }

  // Log-space products: with lambda = 1, 600 ratios of 4 (product 2^1200, beyond double) and
  // then 601 ratios of 1/4 bring the product back to 1/4, so truncated IS gives beta = 1/4; a
  // running double product would be stuck at infinity (beta 1), and a zero ratio must give 0,
  // not NaN (infinity times 0).
  @Test
  void truncatedIsProductsAreOverflowSafe() {
    TraceBuffer b = TraceBuffer.create(TraceRule.truncatedIs("1"), 1);
    b.push(0);
    for (int i = 0; i < 600; i++) {
      b.advance(4, 1);
    }
    assertEquals(1, b.beta(0));
    for (int i = 0; i < 601; i++) {
      b.advance(0.25, 0.25);
    }
    assertEquals(0.25, b.beta(0), 1e-12);
    TraceBuffer z = TraceBuffer.create(TraceRule.truncatedIs("1"), 1);
    z.push(0);
    for (int i = 0; i < 600; i++) {
      z.advance(4, 1);
    }
    z.advance(0, 0);
    assertEquals(0, z.beta(0));
    TraceBuffer c = TraceBuffer.create(TraceRule.importanceSampling("1"), 1);
    c.push(0);
    for (int i = 0; i < 600; i++) {
      c.advance(4, 1);
    }
    c.advance(0, 0);
    assertEquals(0, c.beta(0));
  }

  @Test
  void badInputsAreReported() {
    assertThrows(ModelException.class, () -> learner(TraceRule.rbis("1/2"))
        .withStorage(OffPolicyTraces.Storage.PER_PAIR));
    TabularPolicy<String, String> greedyL = TabularPolicy.of(M, new double[] {1, 0, 1, 0});
    ModelException e = assertThrows(ModelException.class,
        () -> OffPolicyTraces.evaluation(TraceRule.retrace("1"), 0.5, PI, greedyL)
            .replay(M, Q0, EPISODE));
    assertTrue(e.getMessage().contains("behaviour probability 0"), e.getMessage());
  }

  // The repository's own test (tests/test_eligibility_traces.py): the 19-state random walk,
  // pi = mu (rho = 1, pi_t = 1 for the single action), gamma = 1, lambda = 0.9, delta_t = R_t,
  // alpha = 1: online per-step updates over 10 episodes back to back equal the summed offline
  // forward views of the episodes (delta ignores Q, so the two coincide; spec 2.3).
  @Test
  void onlineEqualsOfflineWhenDeltaIgnoresQ() {
    TabularMdp<Integer, String> walk = LearnModels.randomWalk(19, -1);
    SplittableRandom rng = new SplittableRandom(11);
    TraceRule rule = TraceRule.rbis("0.9");
    double[] offline = new double[walk.numRows()];
    TraceSteps all = null;
    for (int e = 0; e < 10; e++) {
      Trajectory tr = Experience.episode(walk, LearnModels.walk(walk), rng);
      int n = tr.length();
      double[] ones = new double[n];
      Arrays.fill(ones, 1);
      boolean[] done = new boolean[n];
      done[n - 1] = true;
      TraceSteps steps = new TraceSteps(tr.rows(), ones, ones, tr.rewards(), done);
      double[] u = TraceUpdates.forward(rule, 1, steps, walk.numRows());
      for (int r = 0; r < u.length; r++) {
        offline[r] += u[r];
      }
      all = all == null ? steps : all.concat(steps);
    }
    assertArrayEquals(offline, TraceUpdates.backward(rule, 1, all, walk.numRows()), 1e-12);
    assertArrayEquals(offline, TraceUpdates.perPair(TraceRule.qLambda("0.9"), 1, all,
        walk.numRows()), 1e-12);
  }
}
