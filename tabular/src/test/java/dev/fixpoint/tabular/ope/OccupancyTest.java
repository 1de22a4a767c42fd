package dev.fixpoint.tabular.ope;

import static dev.fixpoint.tabular.ope.OpeModels.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.ope.Estimators;
import dev.fixpoint.dsl.ope.StepRatios;
import dev.fixpoint.tabular.ope.OpeModels.Case;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** Occupancy ratios against hand computations. */
class OccupancyTest {

  /**
   * The two R1 episodes of {@link OpeDoubleTest#twoEpisodes()}. t = 0: d-hat^mu_0 = d-hat^pi_0 =
   * (1/2, 1/2); w_0(0, 0) = (1/3)/(3/5) = 5/9, w_0(1, 1) = (2/9)/(2/3) = 1/3. Mass passed on:
   * (0, 0): 1/2 * 1/3 to state 0; (1, 1): 1/2 * 2/9 to state 1; so d-hat^pi_1 = (1/6, 1/9) while
   * d-hat^mu_1 = (1/2, 1/2). w_1(0, 1) = (1/6)/(1/2) * (2/3)/(2/5) = 5/9, w_1(1, 0) = (1/9)/(1/2)
   * * (7/9)/(1/3) = 14/27. MIS: episode A 5/9 * 4 = 20/9, episode B 1/3 * 4/3 + 14/27 * 2 =
   * 40/27; mean 50/27.
   */
  @Test
  void countRatiosByHand() {
    Case c = OpeModels.r1();
    StepRatios w = Occupancy.countRatios(c.pi(), OpeDoubleTest.twoEpisodes());
    assertEquals(5.0 / 9, w.value(0, 0), 1e-12);
    assertEquals(1.0 / 3, w.value(0, 3), 1e-12);
    assertEquals(0, w.value(0, 1));
    assertEquals(5.0 / 9, w.value(1, 1), 1e-12);
    assertEquals(14.0 / 27, w.value(1, 2), 1e-12);
    assertEquals(50.0 / 27,
        OpeDouble.estimate(Estimators.mis(w), c.pi(), OpeDoubleTest.twoEpisodes()), 1e-12);
    assertEquals(50.0 / 27,
        OpeDouble.estimate(Estimators.misCounts(), c.pi(), OpeDoubleTest.twoEpisodes()), 1e-12);
  }

  /**
   * Bandit (one state looping to itself), gamma = 1/2: d^pi_gamma(s) = (1 - gamma) sum_t gamma^t
   * = 1, so d^pi_gamma = pi = (3/4, 1/4) and against d^D = mu = (1/2, 1/2) the ratio is (3/2,
   * 1/2); DualDICE gives the same.
   */
  @Test
  void discountedRatioAndDualDiceOnTheBandit() {
    Case c = OpeModels.bandit();
    var m = c.mdp().withDiscount(f("1/2"));
    var pi = OpeModels.policy(m, new String[] {"3/4", "1/4"});
    var mu = OpeModels.policy(m, new String[] {"1/2", "1/2"});
    assertArrayEquals(new BigFraction[] {f("3/4"), f("1/4")}, Occupancy.discounted(pi));
    BigFraction[] dD = Occupancy.dataDistribution(mu);
    assertArrayEquals(new BigFraction[] {f("3/2"), f("1/2")}, Occupancy.discountedRatio(pi, dD));
    assertArrayEquals(new BigFraction[] {f("3/2"), f("1/2")}, Occupancy.dualDice(pi, dD));
    assertThrows(ModelException.class, () -> Occupancy.discounted(c.pi()));
  }
}
