package dev.fixpoint.tabular.ope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.ope.Estimators;
import dev.fixpoint.dsl.ope.TimeIndexedQ;
import dev.fixpoint.tabular.learn.Trials;
import dev.fixpoint.tabular.ope.OpeModels.Case;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Fitted behaviour policies, fitted Q-hat and cross-fitting on R1. */
class FittingTest {

  /**
   * The two R1 episodes log each action once in each state, so mu-hat = 1/2 everywhere. IS with
   * mu-hat: episode A rho = (1/3)/(1/2) = 2/3, (2/3)/(1/2) = 4/3, w = 8/9, G = 4: 32/9; episode B
   * rho = 4/9, 14/9, w = 56/81, G = 10/3: 560/243; mean (864 + 560)/486 = 712/243.
   */
  @Test
  void estimatedBehaviourIsLabelled() {
    Case c = OpeModels.r1();
    var muHat = Fitting.behaviour(c.mdp(), OpeDoubleTest.twoEpisodes());
    assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, muHat.toArray());
    var est = Fitting.withEstimatedBehaviour(Estimators.is(), c.pi(),
        OpeDoubleTest.twoEpisodes());
    assertEquals(712.0 / 243, est.value(), 1e-12);
    assertTrue(est.labels().get(0).startsWith("mu estimated"));
  }

  /** R1 is deterministic: once every pair was logged with a known successor, Q-hat = Q^pi_t. */
  @Test
  void fittedQOnADeterministicModelIsExact() {
    Case c = OpeModels.r1();
    var data = Logging.draw(c.mdp(), c.mu(), 2, 200, new SplittableRandom(2));
    TimeIndexedQ fitted = Fitting.q(c.pi(), data);
    TimeIndexedQ exact = OpeExact.of(c.pi(), c.mu(), 2).qPi();
    for (int t = 0; t < 2; t++) {
      for (int r = 0; r < 4; r++) {
        assertEquals(exact.value(t, r), fitted.value(t, r), 1e-12, "t = " + t + ", row " + r);
      }
    }
  }

  /**
   * Cross-fitted DR with the true mu is unbiased: over R = 400 datasets of n = 20 the mean lies
   * within 5 standard errors of J(pi) (normal tail, false-alarm rate about 6e-7).
   */
  @Test
  void crossFittedDrIsUnbiased() {
    Case c = OpeModels.r1();
    double j = Rationals.toDouble(OpeExact.of(c.pi(), c.mu(), 2).truth());
    int trials = 400;
    double sum = 0;
    double sum2 = 0;
    for (int i = 0; i < trials; i++) {
      var d = Logging.draw(c.mdp(), c.mu(), 2, 20, Trials.generator(11, i));
      double x = Fitting.crossFitDr(c.pi(), d, 2, new SplittableRandom(i)).value();
      sum += x;
      sum2 += x * x;
    }
    double mean = sum / trials;
    double se = Math.sqrt((sum2 / trials - mean * mean) / trials);
    assertTrue(Math.abs(mean - j) <= 5 * se, mean + " vs " + j + " (se " + se + ")");
    var a = Fitting.crossFitDr(c.pi(), Logging.draw(c.mdp(), c.mu(), 2, 20,
        new SplittableRandom(1)), 4, new SplittableRandom(5));
    var b = Fitting.crossFitDr(c.pi(), Logging.draw(c.mdp(), c.mu(), 2, 20,
        new SplittableRandom(1)), 4, new SplittableRandom(5));
    assertArrayEquals(a.folds(), b.folds());
    assertEquals(a.value(), b.value());
  }
}
