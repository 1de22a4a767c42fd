package dev.fixpoint.theory.realizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.features.DataDistribution;
import dev.fixpoint.dsl.features.Features;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * The two-state off-policy counterexample of spec B3.6 (Sutton and Barto 2018, section 11.2;
 * Tsitsiklis and Van Roy 1997): state 1 -&gt; state 2 -&gt; state 2, one action, one feature with
 * values 1 and 2. By hand, A = mu_1 * 1 * (1 - 2 gamma) + mu_2 * 2 * (2 - 2 gamma)
 * = mu_1 (1 - 2 gamma) + 4 mu_2 (1 - gamma).
 */
class TwoStateCounterexampleTest {
  static final BigFraction ONE = BigFraction.ONE;
  static final BigFraction ZERO = BigFraction.ZERO;

  static TabularMdp<Integer, Integer> chain(String gamma, String r2) {
    BigFraction[][][] p = {{{ZERO, ONE}}, {{ZERO, ONE}}};
    BigFraction[][] r = {{ZERO}, {Rationals.parse(r2)}};
    return LinearMdps.dense("two-state", p, r, Rationals.parse(gamma),
        new BigFraction[] {ONE, ZERO});
  }

  static LinearEvaluation at(TabularMdp<Integer, Integer> m, String mu1, String mu2) {
    return Realizability.evaluate(m, Features.parse(new String[][] {{"1"}, {"2"}}),
        DataDistribution.parse(mu1, mu2),
        TabularPolicy.ofExact(m, new BigFraction[] {ONE, ONE}));
  }

  @Test
  void aMatchesTheHandFormulaAndChangesSignAtOneThird() {
    TabularMdp<Integer, Integer> m = chain("9/10", "0");
    // gamma = 9/10: A = -4/5 mu_1 + 2/5 mu_2, zero at mu = (1/3, 2/3)
    assertEquals(-0.2, at(m, "1/2", "1/2").matrixA()[0][0], 1e-15); // -2/5 + 1/5
    assertEquals(0.2, at(m, "1/6", "5/6").matrixA()[0][0], 1e-15); // -2/15 + 1/3
    LinearEvaluation boundary = at(m, "1/3", "2/3");
    assertFalse(boundary.hasFixedPoint());
    assertEquals(0.0, boundary.matrixA()[0][0]);
    // r = 0: Q^pi = 0 is realizable and the fixed point, when it exists, is exact
    LinearEvaluation bad = at(m, "1/2", "1/2");
    assertTrue(bad.isRealizable());
    assertTrue(bad.hasFixedPoint());
    assertEquals(ZERO, bad.tdError2().exact().get());
  }

  @Test
  void fqeRatioIsGammaTimesTwoMuOnePlusFourMuTwoOverMuOnePlusFourMuTwo() {
    TabularMdp<Integer, Integer> m = chain("9/10", "0");
    // (9/10)(2 * 1/2 + 4 * 1/2)/(1/2 + 4 * 1/2) = (9/10)(3)/(5/2) = 27/25
    assertEquals(27.0 / 25, at(m, "1/2", "1/2").fqeSpectralRadius(), 1e-12);
    // at the boundary: (9/10)(2/3 + 8/3)/(1/3 + 8/3) = (9/10)(10/3)/3 = 1
    assertEquals(1.0, at(m, "1/3", "2/3").fqeSpectralRadius(), 1e-12);
  }

  @Test
  void zetaIsAOverSigmaAndTheDistanceBoundIsAnEqualityInOneDimension() {
    // gamma = 9/10, mu = (1/6, 5/6): A = 1/5, Sigma = 1/6 + 4 (5/6) = 7/2, so in 1-D
    // zeta = |A| / Sigma = 2/35. theta_TD = 0 (r = 0); for theta = 1 the distance
    // ||Phi (theta - theta_TD)||_mu = sqrt(Sigma) = sqrt(7/2), and the bound
    // |A theta - b| / sqrt(Sigma) / zeta = (1/5) sqrt(2/7) (35/2) = sqrt(7/2): equality.
    LinearEvaluation e = at(chain("9/10", "0"), "1/6", "5/6");
    assertEquals(2.0 / 35, e.conditioning(), 1e-12);
    assertEquals(Math.sqrt(3.5), e.fixedPointDistanceBound(new double[] {1}).value(), 1e-12);
    // c = max((mu^T P)_r / mu_r) = max(0, 1/(5/6)) = 6/5: zeta >= 1 - (9/10) sqrt(6/5) = 0.0141
    dev.fixpoint.dsl.Bound z = e.conditioningBound();
    assertEquals(1 - 0.9 * Math.sqrt(1.2), z.value(), 1e-12);
    assertTrue(z.holds(e.conditioning(), 0), z.explain());
    // on the boundary mu = (1/3, 2/3), A = 0: zeta = 0 and no distance bound
    assertTrue(at(chain("9/10", "0"), "1/3", "2/3").fixedPointDistanceBound(new double[] {1})
        instanceof dev.fixpoint.dsl.Bound.Vacuous);
  }

  @Test
  void rewardOutsideTheSpanGivesTheHandComputedErrors() {
    // r(2) = 1, gamma = 1/2: Q = (1, 2) = 1 * phi: realizable, TD exact for every mu with A != 0
    TabularMdp<Integer, Integer> m = chain("1/2", "1");
    LinearEvaluation e = at(m, "1/2", "1/2");
    assertTrue(e.isRealizable());
    assertEquals(ONE, e.tdFixedPointExact().get()[0]);
    // gamma = 9/10, r(2) = 1: Q = (9, 10), not in span (1, 2). mu = (1/2, 1/2):
    // Sigma = 1/2 + 2 = 5/2, Phi^T D Q = 9/2 + 10 = 29/2, projection coefficient 29/5,
    // residual (9 - 29/5, 10 - 58/5) = (16/5, -8/5), eps^2 = (1/2)(256/25 + 64/25) = 32/5.
    LinearEvaluation g = at(chain("9/10", "1"), "1/2", "1/2");
    assertFalse(g.isRealizable());
    assertEquals(new BigFraction(32, 5), g.realizabilityError2().exact().get());
    // b = Phi^T D r = (1/2)(2)(1) = 1, A = -1/5: theta_TD = -5
    assertEquals(new BigFraction(-5), g.tdFixedPointExact().get()[0]);
    assertEquals(ZERO, g.identityGap2().exact().get());
  }
}
