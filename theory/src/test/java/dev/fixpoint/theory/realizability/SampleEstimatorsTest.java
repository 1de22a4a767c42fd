package dev.fixpoint.theory.realizability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.features.DataDistribution;
import dev.fixpoint.dsl.features.Features;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** Sample-based LSTD, FQE and TD(0) on datasets drawn from mu with a seed. */
class SampleEstimatorsTest {
  static final BigFraction ONE = BigFraction.ONE;
  static final BigFraction ZERO = BigFraction.ZERO;
  static final LinearFeatures PHI =
      LinearFeatures.fromExact(new BigFraction[][] {{ONE}, {new BigFraction(2)}}, "(1, 2)");

  static TabularPolicy<Integer, Integer> only(TabularMdp<Integer, Integer> m) {
    return TabularPolicy.ofExact(m, new BigFraction[] {ONE, ONE});
  }

  @Test
  void lstdIsExactOnTheRealizableChainWhateverTheSample() {
    // state 1 -> 2 -> 2, r(2) = 1, gamma = 1/2: Q = (1, 2) = 1 * phi. Transitions are
    // deterministic, so with n1, n2 samples: bhat = 2 n2/N, Ahat = n1 (1 - 1) + 2 n2 (2 - 1) over
    // N = 2 n2/N, and theta = 1 exactly; FQE contracts by (n1 + 2 n2)/(n1 + 4 n2) towards 1.
    TabularMdp<Integer, Integer> m = TwoStateCounterexampleTest.chain("1/2", "1");
    TransitionData data = TransitionData.draw(m, DataWeights.of(m, DataDistribution.parse("1/2", "1/2")), 500,
        new SplittableRandom(11));
    assertEquals(1.0, SampleEstimators.lstd(data, PHI, only(m)).get()[0], 1e-12);
    SampleEstimators.Run fqe = SampleEstimators.fqe(data, PHI, only(m), new double[] {0}, 200);
    assertEquals(1.0, fqe.last()[0], 1e-9);
  }

  @Test
  void offPolicyTd0DivergesWhereLstdDoesNot() {
    // gamma = 9/10, r = 0, mu = (1/2, 1/2): population A = -1/5 < 0. LSTD: bhat = 0 so theta = 0
    // = Q^pi exactly; semi-gradient TD(0) multiplies theta by 1 + 0.8 alpha at each state-1
    // sample and by 1 - 0.4 alpha at each state-2 sample: it grows geometrically.
    TabularMdp<Integer, Integer> m = TwoStateCounterexampleTest.chain("9/10", "0");
    TransitionData bad = TransitionData.draw(m, DataWeights.of(m, DataDistribution.parse("1/2", "1/2")), 1000,
        new SplittableRandom(12));
    assertEquals(0.0, Math.abs(SampleEstimators.lstd(bad, PHI, only(m)).get()[0]));
    SampleEstimators.Run td = SampleEstimators.td0(bad, PHI, only(m), 0.01, new double[] {1}, 20);
    assertTrue(!td.finite() || Math.abs(td.last()[0]) > 1e6, "TD(0) should diverge, got "
        + td.last()[0]);
    // mu = (1/6, 5/6): A = 1/5 > 0, TD(0) contracts towards 0
    TransitionData good = TransitionData.draw(m, DataWeights.of(m, DataDistribution.parse("1/6", "5/6")), 1000,
        new SplittableRandom(13));
    SampleEstimators.Run ok = SampleEstimators.td0(good, PHI, only(m), 0.01, new double[] {1}, 20);
    assertTrue(ok.finite() && Math.abs(ok.last()[0]) < 1e-3, "TD(0) should converge, got "
        + ok.last()[0]);
  }

  @Test
  void lstdTendsToThePopulationFixedPointAndIsReproducible() {
    // two states, two actions, stochastic transitions; random exact features d = 2
    BigFraction h = new BigFraction(1, 2);
    BigFraction q = new BigFraction(1, 4);
    BigFraction tq = new BigFraction(3, 4);
    TabularMdp<Integer, Integer> m = LinearMdps.dense("small",
        new BigFraction[][][] {{{h, h}, {q, tq}}, {{tq, q}, {ONE, ZERO}}},
        new BigFraction[][] {{ONE, ZERO}, {new BigFraction(2), h}}, new BigFraction(4, 5),
        new BigFraction[] {h, h});
    TabularPolicy<Integer, Integer> pi = TabularPolicy.uniform(m);
    LinearFeatures phi = LinearFeatures.of(m, Features.random(2, 5, 2));
    DataWeights mu = DataWeights.of(m, DataDistribution.parse("1/10", "2/10", "3/10", "4/10"));
    LinearEvaluation ev = Realizability.evaluate(m, phi, mu, pi);
    double[] theta = ev.tdFixedPoint().get();
    TransitionData data = TransitionData.draw(m, mu, 200_000, new SplittableRandom(14));
    double[] est = SampleEstimators.lstd(data, phi, pi).get();
    for (int j = 0; j < theta.length; j++) {
      assertEquals(theta[j], est[j], 0.05 * (1 + Math.abs(theta[j])), "theta[" + j + "]");
    }
    TransitionData again = TransitionData.draw(m, mu, 200_000, new SplittableRandom(14));
    assertArrayEquals(data.entries(), again.entries());
    assertArrayEquals(est, SampleEstimators.lstd(again, phi, pi).get());
    assertFalse(Rationals.toDouble(ev.realizabilityError2().exact().get()) < 0);
  }
}
