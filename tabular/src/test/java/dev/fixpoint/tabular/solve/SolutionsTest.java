package dev.fixpoint.tabular.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import dev.fixpoint.tabular.internal.Bellman;
import java.util.List;
import org.junit.jupiter.api.Test;

class SolutionsTest {

  /**
   * The a-posteriori certificate must hold for any value estimate, not only for solver iterates.
   * Near-tight case after Williams &amp; Baird (1993): gamma = 9/10; in x, "loop" earns 1 and
   * stays (V*(x) = 10), "quit" moves to y, which loops with reward 821/900 (V*(y) = 821/90, so
   * quitting is worth 8.21). With v(x) underestimated by 1 and v(y) overestimated by 1, the greedy
   * policy quits and loses 1.79, while the Bellman residual is only 0.11: the loss is close to
   * 2 gamma rho / (1 - gamma) = 1.98, above the value bound times gamma.
   */
  @Test
  void certificateHoldsForAnArbitraryEstimateNearTheWorstCase() {
    TabularMdp<String, String> m = Mdp.<String, String>of(List.of("x", "y"),
        s -> s.equals("x") ? List.of("loop", "quit") : List.of("loop"),
        (s, a) -> s.equals("y") ? Dist.dirac(Outcome.of("y", "821/900"))
            : a.equals("loop") ? Dist.dirac(Outcome.of("x", 1)) : Dist.dirac(Outcome.of("y", 0)),
        "9/10").tabulate();
    double vx = 10;
    double vy = 821.0 / 90;
    double[] v = {vx - 1, vy + 1};
    double[] q = new double[m.numRows()];
    try (Backend.LoadedModel lm = Backends.cpu().load(m)) {
      lm.qValues(v, q);
    }
    int[] rows = Bellman.greedyRows(m, q);
    assertEquals("quit", m.actions().value(m.rowAction(rows[0])));
    Certificate.SupNorm c = Solutions.supNorm(m, v, q, rows, Double.NaN, "");
    assertTrue(1.0 <= c.valueBound(), c.explain());
    double loss = vx - 0.9 * vy; // 10 - 8.21
    assertTrue(loss <= c.policyLoss(), loss + " > " + c.policyLoss() + ": " + c.explain());
    assertTrue(c.policyLoss() < 2.0, c.explain());
  }
}
