package dev.fixpoint.examples.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.GridWorld;
import dev.fixpoint.examples.GridWorld.Cell;
import dev.fixpoint.tabular.solve.PolicyIteration;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recorded value-iteration residuals on Sutton &amp; Barto's Example 3.5 grid (gamma 0.9). */
class ConvergenceTest {
  static final TabularMdp<Cell, GridWorld.Move> G35 = GridWorld.suttonBarto35().tabulate();

  @Test
  void firstResidualIsTheLargestImmediateReward() {
    // by hand: v_1 = max_a r(s, a) from v_0 = 0; the largest is +10 at A, so r_1 = 10
    assertEquals(10.0, Convergence.jacobi(G35, 1e-10, 1000).residuals()[0]);
    assertEquals(10.0, Convergence.gaussSeidel(G35, 1e-10, 1000).residuals()[0]);
  }

  @Test
  void jacobiResidualsShrinkByGammaEachSweep() {
    // T* is a gamma-contraction: ||T v_k - T v_{k-1}|| <= gamma ||v_k - v_{k-1}||
    double[] r = Convergence.jacobi(G35, 1e-10, 1000).residuals();
    for (int k = 1; k < r.length; k++) {
      assertTrue(r[k] <= 0.9 * r[k - 1] + 1e-12, "sweep " + (k + 1) + ": " + r[k] + " > 0.9 * "
          + r[k - 1]);
    }
  }

  @Test
  void stopsAtTheToleranceNearTheOptimum() {
    ConvergenceTrace t = Convergence.jacobi(G35, 1e-10, 1000);
    assertTrue(t.converged());
    double[] r = t.residuals();
    assertTrue(r[r.length - 1] <= 1e-10 && r[r.length - 2] > 1e-10);
    // error bound of value iteration: ||v_k - v*|| <= gamma r_k / (1 - gamma)
    double[] vstar = PolicyIteration.solve(G35).values().toArray();
    double[] v = t.values();
    for (int s = 0; s < v.length; s++) {
      assertEquals(vstar[s], v[s], 0.9 * r[r.length - 1] / 0.1 + 1e-12);
    }
    assertEquals(24.419428, v[G35.states().indexOf(GridWorld.A)], 1e-6); // 10 / (1 - 0.9^5)
  }

  @Test
  void aSweepCapGivesAnUnconvergedTrace() {
    ConvergenceTrace t = Convergence.jacobi(G35, 1e-10, 5);
    assertEquals(5, t.sweeps());
    assertFalse(t.converged());
  }

  @Test
  void gaussSeidelNeedsFewerSweepsHere(@TempDir Path dir) throws Exception {
    ConvergenceTrace j = Convergence.jacobi(G35, 1e-10, 1000);
    ConvergenceTrace gs = Convergence.gaussSeidel(G35, 1e-10, 1000);
    assertTrue(gs.sweeps() < j.sweeps(), gs.sweeps() + " vs " + j.sweeps());
    LineFigure f = Plots.convergence("VI", List.of(j, gs));
    assertTrue(f.logY());
    assertEquals(3, f.series().size());
    assertArrayEquals(j.residuals(), f.series().get(0).y());
    assertArrayEquals(gs.residuals(), f.series().get(1).y());
    double[] bound = f.series().get(2).y();
    assertEquals(10.0, bound[0]);
    assertEquals(10.0 * 0.9 * 0.9, bound[2], 1e-12);
    PlotsTest.assertPictures(Plots.write(f, dir, "convergence"));
  }
}
