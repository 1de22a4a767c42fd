package dev.fixpoint.tabular.ope;

import static dev.fixpoint.tabular.ope.OpeModels.f;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.ope.Estimators;
import dev.fixpoint.dsl.ope.TimeIndexedQ;
import dev.fixpoint.tabular.ope.OpeModels.Case;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Exact moments against values from an independent source: the regression cases R1 and R2 of
 * spec estimators.md section 6 (re-checked there independently) and a bandit computed by hand.
 */
class OpeExactTest {

  @Test
  void r1IsHasSmallerVarianceThanPdis() {
    Case c = OpeModels.r1();
    OpeExact<Integer, Integer> x = OpeExact.of(c.pi(), c.mu(), 2);
    assertEquals(f("2336/729"), x.truth());
    ExactMoments is = x.moments(Estimators.is());
    ExactMoments pdis = x.moments(Estimators.pdis());
    assertEquals(BigFraction.ZERO, is.bias());
    assertEquals(BigFraction.ZERO, pdis.bias());
    assertEquals(f("4657088/531441"), is.variance());
    assertEquals(f("5246336/531441"), pdis.variance());
  }

  @Test
  void r2MisHasLargerVarianceThanPdis() {
    Case c = OpeModels.r2();
    OpeExact<Integer, Integer> x = OpeExact.of(c.pi(), c.mu(), 2);
    assertEquals(f("281/96"), x.truth());
    assertEquals(f("1701601/1244160"), x.moments(Estimators.pdis()).variance());
    ExactMoments mis = x.moments(Estimators.mis(x.ratios()));
    assertEquals(BigFraction.ZERO, mis.bias());
    assertEquals(f("63043/46080"), mis.variance());
  }

  /**
   * Bandit by hand: rho = 3/2 on action 0 (reward 1), 1/2 on action 1 (reward 0), each with mu =
   * 1/2. IS: X = 3/2 or 0, E = 3/4 = J, E[X^2] = 9/8, Var = 9/8 - 9/16 = 9/16. WIS at n = 2:
   * {0,0} (prob 1/4) gives 1, {1,1} (1/4) gives 0, {0,1} (1/2) gives (3/2)/(3/2 + 1/2) = 3/4;
   * E = 1/4 + 3/8 = 5/8, bias = -1/8, E[WIS^2] = 1/4 + 9/32 = 17/32, Var = 17/32 - 25/64 = 9/64.
   * WIS at n = 1 is G itself: E = J(mu) = 1/2.
   */
  @Test
  void banditByHand() {
    Case c = OpeModels.bandit();
    OpeExact<Integer, Integer> x = OpeExact.of(c.pi(), c.mu(), 1);
    assertEquals(f("3/4"), x.truth());
    assertEquals(f("1/2"), x.behaviourValue());
    ExactMoments is = x.moments(Estimators.is());
    assertEquals(f("3/4"), is.mean());
    assertEquals(f("9/16"), is.variance());
    assertEquals(f("9/32"), x.moments(Estimators.is(), 2).variance());
    ExactMoments wis2 = x.moments(Estimators.wis(), 2);
    assertEquals(f("5/8"), wis2.mean());
    assertEquals(f("-1/8"), wis2.bias());
    assertEquals(f("9/64"), wis2.variance());
    assertEquals(f("1/64").add(f("9/64")), wis2.mse());
    assertEquals(f("1/2"), x.moments(Estimators.wis()).mean());
    // delta method: E_mu[w^2 (G - J)] = 1/2 * 9/4 * 1/4 + 1/2 * 1/4 * (-3/4) = 3/16, so bias ~
    // -3/32 at n = 2 (exact -1/8); E_mu[w^2 (G - J)^2] = 1/2 * 9/4 * 1/16 + 1/2 * 1/4 * 9/16 = 9/64,
    // so Var ~ 9/128 at n = 2 (exact 9/64)
    assertEquals(f("-3/32"), x.wisDeltaMethod(2).bias());
    assertEquals(f("9/128"), x.wisDeltaMethod(2).variance());
    // with H = 1 the count-based MIS ratios are pi/mu: MIS-counts is IS (E = 3/4, Var/2 = 9/32)
    assertEquals(f("3/4"), x.moments(Estimators.misCounts(), 2).mean());
    assertEquals(f("9/32"), x.moments(Estimators.misCounts(), 2).variance());
    // clipping at c = 1: X = min(3/2, 1) * 1 = 1 or 0, E = 1/2, bias = -1/4
    assertEquals(f("-1/4"), x.moments(Estimators.clipped(1, Estimators.is())).bias());
  }

  @Test
  void drWithTrueQIsUnbiasedAndMatchesTheRecursion() {
    Case c = OpeModels.r1();
    OpeExact<Integer, Integer> x = OpeExact.of(c.pi(), c.mu(), 2);
    TimeIndexedQ q = x.qPi();
    ExactMoments dr = x.moments(Estimators.dr(q));
    assertEquals(BigFraction.ZERO, dr.bias());
    assertEquals(x.drVariance(q), dr.variance());
    assertEquals(dr.variance(), x.momentsByEnumeration(Estimators.dr(q), 1).variance());
    // R1 is deterministic, so with Q-hat = Q^pi only the start state is random
    assertTrue(dr.variance().compareTo(x.moments(Estimators.pdis()).variance()) < 0);
  }

  @Test
  void supportViolationIsRefusedNamingStateAndAction() {
    Case c = OpeModels.bandit();
    var mu = OpeModels.policy(c.mdp(), new String[] {"0", "1"});
    ModelException e = assertThrows(ModelException.class, () -> OpeExact.of(c.pi(), mu, 1));
    assertTrue(e.getMessage().contains("state 0, action 0"), e.getMessage());
  }

  @Test
  void zeroWeightProbabilityAndDeltaMethod() {
    Case c = OpeModels.bandit();
    var pi = OpeModels.policy(c.mdp(), new String[] {"1", "0"});
    OpeExact<Integer, Integer> x = OpeExact.of(pi, c.mu(), 1);
    // action 1 has pi = 0: its trajectories (mu-probability 1/2) have weight 0
    assertEquals(f("1/2"), x.zeroWeightProbability());
    // delta method: w = 2 on action 0 with G = J = 1, w = 0 otherwise: both terms vanish
    assertEquals(BigFraction.ZERO, x.wisDeltaMethod(5).bias());
    assertEquals(Rationals.of(0), x.wisDeltaMethod(5).variance());
  }

  @Test
  void withoutHorizonCyclesAreRefusedAndAcyclicModelsUseTheLongestEpisode() {
    Case c = OpeModels.r1();
    ModelException e = assertThrows(ModelException.class, () -> OpeExact.of(c.pi(), c.mu()));
    assertTrue(e.getMessage().contains("+infinity"), e.getMessage());
    Case b = OpeModels.bandit();
    // the bandit's state loops to itself: also a cycle
    assertThrows(ModelException.class, () -> OpeExact.of(b.pi(), b.mu()));
    Case ch = OpeModels.chain();
    OpeExact<Integer, Integer> x = OpeExact.of(ch.pi(), ch.mu());
    assertEquals(2, x.horizon());
    assertEquals(f("3/2"), x.truth());
    assertEquals(BigFraction.ZERO, x.moments(Estimators.is()).bias());
  }

  /** The Laplace formula for WIS agrees with exact enumeration (bandit by hand at n = 2; R1). */
  @Test
  void wisLaplaceFormulaAgreesWithEnumeration() {
    Case b = OpeModels.bandit();
    double[] two = OpeExact.of(b.pi(), b.mu(), 1).wisLaplace(2);
    assertEquals(5.0 / 8, two[0], 1e-9);
    assertEquals(9.0 / 64, two[1], 1e-9);
    Case c = OpeModels.r1();
    OpeExact<Integer, Integer> x = OpeExact.of(c.pi(), c.mu(), 2);
    for (int n : new int[] {1, 3, 5}) {
      ExactMoments e = x.moments(Estimators.wis(), n);
      double[] l = x.wisLaplace(n);
      assertEquals(Rationals.toDouble(e.mean()), l[0], 1e-8, "n = " + n);
      assertEquals(Rationals.toDouble(e.variance()), l[1], 1e-8, "n = " + n);
    }
  }
}
