package dev.fixpoint.tabular.ope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.ope.Estimator;
import dev.fixpoint.dsl.ope.Estimators;
import dev.fixpoint.tabular.ope.OpeModels.Case;
import org.junit.jupiter.api.Test;

/**
 * Simulated per-policy error against the exact moments on R1 (spec section 7.4). With R = 2000
 * datasets the simulated mean must lie within 5 standard errors sqrt(Var_n / R) of the exact
 * mean and the simulated MSE within 5 of its standard errors of the exact MSE (normal tails:
 * false-alarm rate about 1e-6 per check).
 */
class RepeatedTest {
  @Test
  void simulationAgreesWithExactMoments() {
    Case c = OpeModels.r1();
    OpeExact<Integer, Integer> x = OpeExact.of(c.pi(), c.mu(), 2);
    double j = Rationals.toDouble(x.truth());
    for (Estimator e : new Estimator[] {Estimators.is(), Estimators.pdis(), Estimators.wis()}) {
      ExactMoments exact = x.moments(e, 3);
      Repeated r = Repeated.simulate(e, c.pi(), c.mu(), 2, 3, 2000, 5, j);
      double var = Rationals.toDouble(exact.variance());
      assertTrue(Math.abs(r.mean() - Rationals.toDouble(exact.mean()))
          <= 5 * Math.sqrt(var / 2000), e.name() + ": " + r + " vs " + exact);
      assertTrue(Math.abs(r.mse() - Rationals.toDouble(exact.mse()))
          <= 5 * r.mseStandardError(), e.name() + ": " + r + " vs " + exact);
      assertEquals(j, r.truth());
    }
  }
}
