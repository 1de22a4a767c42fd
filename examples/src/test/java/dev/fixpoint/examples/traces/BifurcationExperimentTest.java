package dev.fixpoint.examples.traces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.Bifurcation;
import dev.fixpoint.examples.traces.BifurcationExperiment.Config;
import dev.fixpoint.examples.traces.BifurcationExperiment.Env;
import dev.fixpoint.examples.traces.BifurcationExperiment.Method;
import dev.fixpoint.examples.traces.BifurcationExperiment.Result;
import dev.fixpoint.examples.traces.BifurcationExperiment.SharedEpsilonGreedy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The experiment's pieces by hand, and its reproducibility. */
class BifurcationExperimentTest {
  /** Bifurcation1 with a 300-step budget, to keep the test short. */
  static final Env SHORT = new Env("Bifurcation1-short", Bifurcation.one().tabulate(), 300, 5,
      Math.pow(0.9, 6));

  // Points (0, 0), (3, 0.6), (5, 0.9); trailing means 0, 0.3, 0.5; segments
  // linspace(0, 0.3, 3) = 0, 0.15, 0.3 at t = 0..2 and linspace(0.3, 0.5, 2) = 0.3, 0.5 at t = 3, 4.
  @Test
  void curveIsTheSmoothedLinspaceInterpolation() {
    double[] c = BifurcationExperiment.curve(new int[] {0, 3, 5}, new double[] {0, 0.6, 0.9}, 3,
        5);
    assertArrayEquals(new double[] {0, 0.15, 0.3, 0.3, 0.5}, c, 1e-15);
  }

  // epsilon = 0.2 over 4 actions, two tied maxima: 0.05 + 0.8 / 2 = 0.45 each, 0.05 otherwise.
  @Test
  void tiesShareTheGreedyMass() {
    TabularMdp<?, ?> m = Bifurcation.one().tabulate();
    double[] q = new double[m.numRows()];
    int s = 0;
    int r0 = m.rowStart(s);
    q[r0] = 1;
    q[r0 + 1] = 1;
    double[] p = new double[m.numRows()];
    new SharedEpsilonGreedy(0.2).probabilities(m, q, s, p);
    assertArrayEquals(new double[] {0.45, 0.45, 0.05, 0.05}, java.util.Arrays.copyOfRange(p, r0,
        r0 + 4), 1e-15);
  }

  static Config config(int threads) {
    return new Config(List.of(SHORT), List.of(Method.values()), new double[] {0, 1},
        new double[] {0.5, 0.9}, 3, 3, 0, 1, threads);
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    Result one = BifurcationExperiment.run(config(1), n -> { });
    Result three = BifurcationExperiment.run(config(3), n -> { });
    assertEquals(one.search(), three.search());
    assertEquals(one.test().size(), three.test().size());
    for (int i = 0; i < one.test().size(); i++) {
      assertEquals(one.test().get(i).cell(), three.test().get(i).cell());
      assertArrayEquals(one.test().get(i).curve(), three.test().get(i).curve());
    }
    // spec 6.2: at lambda = 0 every rule is the same algorithm (same seeds, same numbers), and
    // RBIS(1) = recursive Retrace(1) pathwise
    double auc0 = one.test().get(0).cell().mean();
    for (var t : one.test()) {
      if (t.cell().lambda() == 0) {
        assertEquals(auc0, t.cell().mean(), t.cell().toString());
      }
      assertTrue(t.cell().mean() > 0 && t.cell().mean() <= SHORT.optimalAuc(), t.toString());
    }
    assertEquals(cell(one, Method.RBIS, 1), cell(one, Method.RECURSIVE_RETRACE, 1));
    assertNotEquals(cell(one, Method.RBIS, 1), cell(one, Method.TRUNCATED_IS, 1));
  }

  static double cell(Result r, Method m, double lambda) {
    for (var t : r.test()) {
      if (t.cell().method() == m && t.cell().lambda() == lambda) {
        return t.cell().mean();
      }
    }
    throw new AssertionError(m + " " + lambda);
  }
}
