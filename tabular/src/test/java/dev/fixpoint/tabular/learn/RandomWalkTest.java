package dev.fixpoint.tabular.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import java.util.List;
import java.util.function.DoubleFunction;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * The random walks of Sutton &amp; Barto 2018: Example 6.2 / Figure 6.2 (5 states, TD(0) against
 * constant-alpha MC) and sec. 12.1-12.5 / Figures 12.3, 12.6, 12.8 (19 states, error against
 * alpha for lambda = 0.8). Only robust inequalities over many fixed-seed runs are asserted.
 */
class RandomWalkTest {
  static final TabularMdp<Integer, String> WALK5 = LearnModels.randomWalk(5, 0);
  static final TabularPolicy<Integer, String> PI5 = LearnModels.walk(WALK5);
  static final TabularMdp<Integer, String> WALK19 = LearnModels.randomWalk(19, -1);
  static final TabularPolicy<Integer, String> PI19 = LearnModels.walk(WALK19);

  // Example 6.2: v(A..E) = 1/6 .. 5/6 (the probability of ending on the right, by hand: v(k) = k/6).
  static double[] truth5() {
    BigFraction[] v = PolicyEvaluation.exact(WALK5, PI5).values().toExactArray();
    for (int k = 0; k <= 6; k++) {
      assertEquals(k == 0 || k == 6 ? BigFraction.ZERO : new BigFraction(k, 6), v[k]);
    }
    return PolicyEvaluation.exact(WALK5, PI5).values().toArray();
  }

  // 19-state walk: v(k) = P(right) - P(left) = k/20 - (20 - k)/20 = (k - 10)/10 (gambler's ruin).
  static double[] truth19() {
    BigFraction[] v = PolicyEvaluation.exact(WALK19, PI19).values().toExactArray();
    for (int k = 1; k <= 19; k++) {
      assertEquals(new BigFraction(k - 10, 10), v[k]);
    }
    return PolicyEvaluation.exact(WALK19, PI19).values().toArray();
  }

  /** Mean over runs of the RMS error curve (entry k: after episode k). */
  static double[] meanCurve(Prediction p, TabularMdp<Integer, String> m,
      TabularPolicy<Integer, String> pi, int episodes, RunOptions o, long seed, int runs) {
    return Trials.mean(Trials.run(seed, runs, g -> p.run(m, pi, episodes, g, o).rmsError()));
  }

  @Test
  void td0ErrorAfterHundredEpisodesIsBelowOneTenth() {
    RunOptions o = RunOptions.defaults().withInitialValue(0.5).withTruth(truth5());
    double[] c = meanCurve(Td0.of(0.1), WALK5, PI5, 100, o, 62, 100);
    // Figure 6.2 (right): TD alpha = 0.1 ends near 0.06; initial error sqrt(mean((k/6 - 1/2)^2))
    assertEquals(Math.sqrt((4 + 1 + 0 + 1 + 4) / 36.0 / 5), c[0], 1e-15);
    assertTrue(c[100] < 0.1, "RMS " + c[100]);
  }

  // Figure 6.2 (right): over 100 episodes TD's curves end below MC's; at each alpha in 0.03 ..
  // 0.05 TD ends below MC with the same alpha, and the best TD alpha of the figure (0.05, 0.1,
  // 0.15) ends well below the best MC alpha (0.01 .. 0.04).
  @Test
  void tdBeatsMonteCarloOnTheRandomWalk() {
    RunOptions o = RunOptions.defaults().withInitialValue(0.5).withTruth(truth5());
    DoubleFunction<Double> td = a -> meanCurve(Td0.of(a), WALK5, PI5, 100, o, 62, 100)[100];
    DoubleFunction<Double> mc =
        a -> meanCurve(MonteCarloPrediction.of(a), WALK5, PI5, 100, o, 62, 100)[100];
    for (double a : new double[] {0.03, 0.04, 0.05}) {
      assertTrue(td.apply(a) < mc.apply(a), "alpha " + a + ": TD " + td.apply(a) + ", MC "
          + mc.apply(a));
    }
    double bestTd = Math.min(td.apply(0.05), Math.min(td.apply(0.1), td.apply(0.15)));
    double bestMc = Double.POSITIVE_INFINITY;
    for (double a : new double[] {0.01, 0.02, 0.03, 0.04}) {
      bestMc = Math.min(bestMc, mc.apply(a));
    }
    assertTrue(bestTd < 0.75 * bestMc, "TD " + bestTd + ", MC " + bestMc);
  }

  /**
   * Figure 12.3 (offline lambda-return), 12.6 (TD(lambda)), 12.8 (true online TD(lambda)): the
   * RMS error over the 19 states at the end of each of the first 10 episodes, averaged over those
   * episodes and 100 runs, as a function of alpha. For lambda = 0.8 it is U-shaped: its minimum
   * over the grid lies strictly inside, and clearly below both ends.
   */
  @Test
  void lambdaPointEightHasAnInteriorBestAlpha() {
    RunOptions o = RunOptions.defaults().withTruth(truth19());
    double[] alphas = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0};
    List<DoubleFunction<Prediction>> learners = List.of(a -> LambdaReturn.of(a, 0.8),
        a -> TdLambda.of(a, 0.8), a -> TrueOnlineTd.of(a, 0.8),
        a -> TdLambda.of(a, 0.8).withTrace(TdLambda.Trace.REPLACING));
    for (DoubleFunction<Prediction> make : learners) {
      double[] err = new double[alphas.length];
      int best = 0;
      for (int i = 0; i < alphas.length; i++) {
        double[] c = meanCurve(make.apply(alphas[i]), WALK19, PI19, 10, o, 1203, 100);
        for (int e = 1; e <= 10; e++) {
          err[i] += c[e] / 10;
        }
        best = err[i] < err[best] ? i : best;
      }
      String what = make.apply(0.5).label() + ": " + java.util.Arrays.toString(err);
      assertTrue(best > 0 && best < alphas.length - 1, what);
      assertTrue(err[best] < 0.9 * Math.min(err[0], err[alphas.length - 1]), what);
    }
  }

  // lambda = 0 makes online TD(lambda) and true online TD(lambda) TD(0) (the offline
  // lambda-return with lambda = 0 is not: its targets use the episode-start values); with lambda = 1
  // the lambda-return is the Monte
  // Carlo return, so the offline lambda-return algorithm is every-visit constant-alpha MC
  // (S&B 2018, sec. 12.1). On 50 episodes of the 19-state walk from assorted values.
  @Test
  void lambdaEndsReduceToTdZeroAndMonteCarlo() {
    for (long seed = 0; seed < 50; seed++) {
      double[] v = new double[21];
      for (int k = 1; k <= 19; k++) {
        v[k] = (seed % 7 - 3) / 10.0 + k / 100.0;
      }
      Trajectory tr = Experience.episode(WALK19, PI19, new java.util.SplittableRandom(seed));
      double[] td0 = Td0.of(0.3).episode(WALK19, v, tr);
      assertArrayEquals(td0, TdLambda.of(0.3, 0).episode(WALK19, v, tr), 1e-12);
      assertArrayEquals(td0, TrueOnlineTd.of(0.3, 0).episode(WALK19, v, tr), 1e-12);
      assertArrayEquals(MonteCarloPrediction.of(0.01).episode(WALK19, v, tr),
          LambdaReturn.of(0.01, 1).episode(WALK19, v, tr), 1e-12);
    }
  }

  // Online accumulating TD(lambda) with alpha = 1, lambda = 0.9 diverges on this walk
  // (Figure 12.6 leaves such alphas off the plot): the run says so instead of returning NaN.
  @Test
  void divergenceIsReportedNotReturned() {
    ArithmeticException e = assertThrows(ArithmeticException.class,
        () -> TdLambda.of(1, 0.9).run(WALK19, PI19, 1000, 7L));
    assertTrue(e.getMessage().contains("diverged"), e.getMessage());
  }
}
