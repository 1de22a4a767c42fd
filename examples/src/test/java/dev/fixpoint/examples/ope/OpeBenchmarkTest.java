package dev.fixpoint.examples.ope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's numbers obey the theorems it illustrates, and its figures are written. */
class OpeBenchmarkTest {
  @Test
  void unbiasedEstimatorsAreUnbiasedAndDmIsExactOnlyForTheBehaviourPolicy(@TempDir Path dir) {
    OpeBenchmark.Result r = OpeBenchmark.run(8, 50, 30, 1);
    assertEquals(OpeBenchmark.EPSILONS.size() * 8, r.rows().size());
    for (OpeBenchmark.Row row : r.rows()) {
      switch (row.estimator()) {
        case "IS", "PDIS", "DR", "MIS" -> assertEquals(0, row.bias(), 1e-12, row.toString());
        // DM's model is Q^mu: exact for mu (eps = 1/2), wrong for the others
        case "DM" -> assertEquals(row.candidate().equals("1/2"), Math.abs(row.bias()) < 1e-12,
            row.toString());
        // WIS for the behaviour policy itself: every weight is 1, WIS is the sample mean of G
        case "WIS" -> {
          assertTrue(row.how().startsWith("Laplace"), row.how());
          assertTrue(!Double.isNaN(row.simulatedMse()), row.toString());
          if (row.candidate().equals("1/2")) {
            assertEquals(0, row.bias(), 1e-12, row.toString());
          }
        }
        // WPDIS and WDR: the mean from the per-step (w, x) laws, the variance simulated
        default -> assertTrue(row.how().startsWith("bias: Laplace") && row.how().contains(
            "variance: SIMULATED") && !Double.isNaN(row.simulatedMse()), row.how());
      }
      assertEquals(row.bias() * row.bias() + row.variance(), row.mse(), 1e-12 + 1e-9 * row.mse());
    }
    // the greedy policy (eps = 0) is the best candidate and uniform (eps = 1) the worst
    double[] j = r.truth();
    for (double x : j) {
      assertTrue(j[0] >= x && x >= j[j.length - 1]);
    }
    var files = OpeBenchmark.write(r, dir);
    assertEquals(4, files.size());
    assertTrue(Files.exists(files.get(0).png()));
  }

  /**
   * On a 2x2 slippery frozen lake "SH/FG" (the hole and the goal are terminal, so episodes end
   * early and are padded) at H = 2, the
   * per-step laws give the same rational mean of WPDIS and WDR (model Q^mu) as the enumeration of
   * all pairs of trajectories, and the Laplace mean agrees to 1e-12.
   */
  @Test
  void perDecisionLawMatchesTrajectoryPairsOnFrozenLake() {
    int h = 2;
    var lake = dev.fixpoint.examples.FrozenLake.of(java.util.List.of("SH", "FG"), true)
        .tabulate();
    var greedy = dev.fixpoint.tabular.solve.FiniteHorizon.solveExact(lake, h).policyAt(h);
    var mu = OpeBenchmark.mixture(greedy, dev.fixpoint.dsl.Rationals.parse("1/2"));
    var x = dev.fixpoint.tabular.ope.OpeExact.of(
        OpeBenchmark.mixture(greedy, dev.fixpoint.dsl.Rationals.parse("1/10")), mu, h);
    var q = dev.fixpoint.tabular.ope.OpeExact.of(mu, mu, h).qPi();
    var laws = java.util.List.of(dev.fixpoint.tabular.ope.PerDecisionLaw.wpdis(x),
        dev.fixpoint.tabular.ope.PerDecisionLaw.wdr(x, q));
    var es = java.util.List.of(dev.fixpoint.dsl.ope.Estimators.wpdis(),
        dev.fixpoint.dsl.ope.Estimators.wdr(q));
    for (int i = 0; i < 2; i++) {
      var byPaths = x.momentsByEnumeration(es.get(i), 2).mean();
      assertEquals(byPaths, laws.get(i).exactMean(2), es.get(i).name());
      double m = dev.fixpoint.dsl.Rationals.toDouble(byPaths);
      assertEquals(m, laws.get(i).laplaceMean(2), 1e-12, es.get(i).name());
    }
  }
}
