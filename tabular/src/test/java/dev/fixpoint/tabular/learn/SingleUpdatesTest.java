package dev.fixpoint.tabular.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import org.junit.jupiter.api.Test;

/**
 * Single updates of every learner checked against hand calculations in exact fractions, on {@link
 * LearnModels#hand()} (gamma = 1/2; states A = 0, B = 1, T = 2; rows A-l = 0, A-r = 1, B-l = 2,
 * B-r = 3) with alpha = 1/2. All numbers are dyadic, so the doubles must match exactly. The
 * prediction episode is A -l-> B (R = 2), B -l-> A (R = 0), A -r-> T (R = -1) from V = (1, 3, 0);
 * the TD(lambda) and true online numbers were also checked in exact rationals against a direct
 * transcription of the updates and a brute-force online lambda-return algorithm (van Seijen et
 * al. 2016, sec. 3).
 */
class SingleUpdatesTest {
  static final TabularMdp<String, String> M = LearnModels.hand();
  static final double[] V0 = {1, 3, 0};
  static final Trajectory EPISODE =
      new Trajectory(new int[] {0, 1, 0, 2}, new int[] {0, 2, 1}, new double[] {2, 0, -1}, true);

  static double f(String text) {
    return Rationals.toDouble(Rationals.parse(text));
  }

  static double[] v(String a, String b) {
    return new double[] {f(a), f(b), 0};
  }

  @Test
  void handModelHasTheRowsTheTestsAssume() {
    assertEquals(4, M.numRows());
    assertEquals(0, M.row(0, M.actions().indexOf("l")));
    assertEquals(3, M.row(1, M.actions().indexOf("r")));
    assertEquals(0.5, M.discount());
    assertEquals(2, M.entryReward(M.entryStart(0)));
  }

  // V(A) <- 1 + 1/2 (2 + 1/2 * 3 - 1) = 9/4; then V(B) <- 3 + 1/2 (4 + 0 - 3) = 7/2.
  @Test
  void td0Step() {
    Td0 td = Td0.of(0.5);
    double[] v1 = td.step(M, V0, new Transition(0, 0, 2, 1, false));
    assertArrayEquals(v("9/4", "3"), v1);
    assertArrayEquals(v("9/4", "7/2"), td.step(M, v1, new Transition(1, 3, 4, 2, true)));
    assertArrayEquals(new double[] {1, 3, 0}, V0, "input untouched");
  }

  // t=0: V(A) = 9/4; t=1: V(B) = 3 + 1/2 (0 + 1/2 * 9/4 - 3) = 33/16;
  // t=2: V(A) = 9/4 + 1/2 (-1 - 9/4) = 5/8.
  @Test
  void td0Episode() {
    assertArrayEquals(v("5/8", "33/16"), Td0.of(0.5).episode(M, V0, EPISODE));
  }

  // n = 2. tau=0: G = 2 + 1/2*0 + 1/4 V(A)=1/4 -> 9/4, V(A) = 1 + 1/2 (9/4 - 1) = 13/8;
  // tau=1: G = 0 + 1/2 (-1) = -1/2, V(B) = 3 + 1/2 (-1/2 - 3) = 5/4;
  // tau=2: G = -1, V(A) = 13/8 + 1/2 (-1 - 13/8) = 5/16.
  @Test
  void nStepTdEpisode() {
    assertArrayEquals(v("5/16", "5/4"), NStepTd.of(2, 0.5).episode(M, V0, EPISODE));
    // n = 1 is TD(0)
    assertArrayEquals(Td0.of(0.5).episode(M, V0, EPISODE),
        NStepTd.of(1, 0.5).episode(M, V0, EPISODE));
  }

  // A cut episode A -l-> B: 2-step TD bootstraps from V(B): G = 2 + 1/2 * 3, V(A) = 9/4.
  @Test
  void nStepTdBootstrapsAtTheCap() {
    Trajectory cut = new Trajectory(new int[] {0, 1}, new int[] {0}, new double[] {2}, false);
    assertArrayEquals(v("9/4", "3"), NStepTd.of(2, 0.5).episode(M, V0, cut));
  }

  // lambda = 1/2, gamma lambda = 1/4. t=0: z = (1, 0), delta = 5/2, V(A) = 9/4.
  // t=1: z = (1/4, 1), delta = 1/2 * 9/4 - 3 = -15/8: V(A) = 129/64, V(B) = 33/16.
  // t=2: z = (17/16, 1/4), delta = -1 - 129/64 = -193/64: V(A) = 847/2048, V(B) = 863/512.
  @Test
  void onlineTdLambdaAccumulating() {
    assertArrayEquals(v("847/2048", "863/512"), TdLambda.of(0.5, 0.5).episode(M, V0, EPISODE));
  }

  // Replacing: at t=2, z(A) = 1 instead of 17/16: V(A) = 129/64 - 193/128 = 65/128.
  @Test
  void onlineTdLambdaReplacing() {
    assertArrayEquals(v("65/128", "863/512"), TdLambda.of(0.5, 0.5)
        .withTrace(TdLambda.Trace.REPLACING).episode(M, V0, EPISODE));
  }

  // Offline: deltas from the fixed V0: 5/2, 1/2 - 3 = -5/2, -1 - 1 = -2 with traces (1, 0),
  // (1/4, 1), (17/16, 1/4): increments A: 5/4 - 5/16 - 17/16 = -1/8, B: -5/4 - 1/4 = -3/2.
  @Test
  void offlineTdLambda() {
    assertArrayEquals(v("7/8", "3/2"), TdLambda.of(0.5, 0.5).asOffline().episode(M, V0,
        EPISODE));
  }

  // Steps fold to the episode.
  @Test
  void tdLambdaStepsFoldToTheEpisode() {
    TdLambda td = TdLambda.of(0.5, 0.5);
    TdLambda.Traces s = TdLambda.Traces.start(V0);
    for (int t = 0; t < EPISODE.length(); t++) {
      s = td.step(M, s, EPISODE.transition(t));
    }
    assertArrayEquals(v("847/2048", "863/512"), s.values());
    assertThrows(IllegalStateException.class,
        () -> td.asOffline().step(M, TdLambda.Traces.start(V0), EPISODE.transition(0)));
  }

  // lambda-returns by their definition (eq. 12.2-12.3), V0 fixed:
  // G_{0:1} = 2 + 1/2*3 = 7/2, G_{0:2} = 2 + 0 + 1/4*1 = 9/4, G_{0:3} = 2 + 0 - 1/4 = 7/4,
  // G^l_0 = 1/2 (7/2 + 1/2 * 9/4) + 1/4 * 7/4 = 11/4; G^l_1 = 1/2 (0 + 1/2*1) + 1/2 (0 - 1/2) = 0;
  // G^l_2 = -1. Offline lambda-return (2018, eq. 12.4, in order): V(A) = 1 + 1/2 (11/4 - 1) = 15/8,
  // V(B) = 3 + 1/2 (0 - 3) = 3/2, V(A) = 15/8 + 1/2 (-1 - 15/8) = 7/16.
  @Test
  void offlineLambdaReturn() {
    assertArrayEquals(new double[] {f("11/4"), 0, -1},
        LambdaReturn.lambdaReturns(M, V0, EPISODE, 0.5));
    assertArrayEquals(v("7/16", "3/2"), LambdaReturn.of(0.5, 0.5).episode(M, V0, EPISODE));
  }

  // True online TD(lambda), lambda = 1/2. t=0: V = (9/4, 3), V_old = 3.
  // t=1: delta = -15/8, z = (1/4, 1), V(A) = 129/64, V(B) = 33/16, V_old = 9/4.
  // t=2: delta = -193/64, z = (1/16 + 1 - 1/32, 1/4) = (33/32, 1/4), a = 1/2 (delta + 129/64 - 9/4)
  // = -13/8: V(A) = 129/64 - 13/8 * 33/32 + 1/2 * 15/64 = 117/256, V(B) = 33/16 - 13/32 = 53/32.
  // Equal to the brute-force online lambda-return in exact rationals.
  @Test
  void trueOnlineTdLambda() {
    TrueOnlineTd td = TrueOnlineTd.of(0.5, 0.5);
    assertArrayEquals(v("117/256", "53/32"), td.episode(M, V0, EPISODE));
    TrueOnlineTd.Carry c = TrueOnlineTd.Carry.start(V0);
    c = td.step(M, c, EPISODE.transition(0));
    assertArrayEquals(v("9/4", "3"), c.values());
    assertEquals(3.0, c.oldValue());
    c = td.step(M, c, EPISODE.transition(1));
    c = td.step(M, c, EPISODE.transition(2));
    assertArrayEquals(v("117/256", "53/32"), c.values());
  }

  // Returns G_2 = -1, G_1 = -1/2, G_0 = 2 - 1/4 = 7/4. Every visit, in order: V(A) = 1 + 1/2
  // (7/4 - 1) = 11/8, V(B) = 3 + 1/2 (-1/2 - 3) = 5/4, V(A) = 11/8 + 1/2 (-1 - 11/8) = 3/16.
  // First visit: V(A) = 1 + 1/2 (7/4 - 1) = 11/8, V(B) = 5/4.
  @Test
  void constantAlphaMonteCarlo() {
    assertArrayEquals(v("3/16", "5/4"), MonteCarloPrediction.of(0.5).episode(M, V0, EPISODE));
    assertArrayEquals(v("11/8", "5/4"),
        MonteCarloPrediction.of(0.5).withFirstVisit().episode(M, V0, EPISODE));
  }

  // ---------------------------------------------------------------- control, Q0 = (1, 2, 3, 5)

  static final ControlState Q0 = ControlState.of(new double[] {1, 2, 3, 5});
  static final Transition A_L_B = new Transition(0, 0, 2, 1, false);
  static final Transition A_R_T = new Transition(0, 1, -1, 2, true);

  // target 2 + 1/2 max(3, 5) = 9/2: Q(A,l) = 1 + 1/2 (9/2 - 1) = 11/4.
  @Test
  void qLearningUpdate() {
    ControlState s = QLearning.of(0.5, 0.1).update(M, Q0, A_L_B);
    assertArrayEquals(new double[] {f("11/4"), 2, 3, 5}, s.q());
    assertArrayEquals(new long[] {1, 0, 0, 0}, s.visits());
    // terminal: target -1, Q(A,r) = 2 + 1/2 (-1 - 2) = 1/2
    assertArrayEquals(new double[] {1, 0.5, 3, 5}, QLearning.of(0.5, 0.1).update(M, Q0, A_R_T)
        .q());
  }

  // next action B-l: target 2 + 1/2 * 3 = 7/2: Q(A,l) = 1 + 1/2 * 5/2 = 9/4.
  @Test
  void sarsaUpdate() {
    Sarsa sarsa = Sarsa.of(0.5, 0.1);
    assertArrayEquals(new double[] {f("9/4"), 2, 3, 5}, sarsa.update(M, Q0, A_L_B, 2).q());
    assertArrayEquals(new double[] {1, 0.5, 3, 5}, sarsa.update(M, Q0, A_R_T).q());
    assertThrows(IllegalArgumentException.class, () -> sarsa.update(M, Q0, A_L_B, 0),
        "row 0 is not a row of B");
    assertThrows(IllegalArgumentException.class, () -> sarsa.update(M, Q0, A_L_B));
  }

  // epsilon = 1/2 on B: greedy r (5): pi = (1/4, 3/4); expectation 3/4 + 15/4 = 9/2;
  // target 2 + 9/4 = 17/4: Q(A,l) = 1 + 1/2 * 13/4 = 21/8.
  @Test
  void expectedSarsaUpdate() {
    assertArrayEquals(new double[] {f("21/8"), 2, 3, 5},
        ExpectedSarsa.of(0.5, 0.5).update(M, Q0, A_L_B).q());
    assertArrayEquals(new double[] {1, 0.5, 3, 5}, ExpectedSarsa.of(0.5, 0.5).update(M, Q0,
        A_R_T).q());
  }

  // First visit from Q0, N = 0: A -l-> B -l-> A -r-> T, returns G_0 = 7/4 (row 0),
  // G_1 = -1/2 (row 2), G_2 = -1 (row 1): Q = (7/4, -1, -1/2, 5), N = (1, 1, 1, 0).
  // Then A -l-> B -r-> T (2, 4): G_1 = 4 (row 3, N = 1), G_0 = 2 + 2 = 4 (row 0, N = 2):
  // Q(A,l) = 7/4 + (4 - 7/4)/2 = 23/8.
  @Test
  void monteCarloControlAverages() {
    MonteCarloControl mc = MonteCarloControl.of(0.1);
    ControlState s = mc.update(M, Q0, EPISODE);
    assertArrayEquals(new double[] {f("7/4"), -1, -0.5, 5}, s.q());
    assertArrayEquals(new long[] {1, 1, 1, 0}, s.visits());
    Trajectory second =
        new Trajectory(new int[] {0, 1, 2}, new int[] {0, 3}, new double[] {2, 4}, true);
    s = mc.update(M, s, second);
    assertArrayEquals(new double[] {f("23/8"), -1, -0.5, 4}, s.q());
    assertArrayEquals(new long[] {2, 1, 1, 1}, s.visits());
  }

  // A -l-> B -l-> A -l-> B -r-> T, rewards 2, 0, 2, 4: G_3 = 4 (row 3), G_2 = 4 (row 0),
  // G_1 = 2 (row 2), G_0 = 3 (row 0). Every visit: Q(A,l) = 4 then 4 + (3 - 4)/2 = 7/2.
  // First visit: only G_0 for row 0: Q(A,l) = 3.
  @Test
  void monteCarloControlFirstAndEveryVisit() {
    Trajectory loop = new Trajectory(new int[] {0, 1, 0, 1, 2}, new int[] {0, 2, 0, 3},
        new double[] {2, 0, 2, 4}, true);
    ControlState every = MonteCarloControl.of(0.1).withEveryVisit().update(M, Q0, loop);
    assertArrayEquals(new double[] {3.5, 2, 2, 4}, every.q());
    assertArrayEquals(new long[] {2, 0, 1, 1}, every.visits());
    ControlState first = MonteCarloControl.of(0.1).update(M, Q0, loop);
    assertArrayEquals(new double[] {3, 2, 2, 4}, first.q());
    assertArrayEquals(new long[] {1, 0, 1, 1}, first.visits());
  }
}
