package dev.fixpoint.examples.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.plot.LineFigure;
import java.util.List;
import org.junit.jupiter.api.Test;

class MirrorDescentExampleTest {

  // Sutton & Barto Figure 3.5: v*(A) = 24.4 (rounded); the gaps start from the uniform policy,
  // whose v(A) = 8.8 (Figure 3.2), so the gap is positive at k = 0 and every bound holds.
  @Test
  void gridworldGapsStayUnderTheirBounds() {
    TabularMdp<?, ?> m = MirrorDescentExample.gridworld();
    List<MirrorDescentExample.Curve> cs = MirrorDescentExample.curves("gridworld", m, 15);
    assertEquals(9, cs.size());
    for (var c : cs) {
      assertTrue(c.gap()[0] > 1, c.map() + " " + c.step() + ": gap at pi_0 " + c.gap()[0]);
      assertTrue(c.worstRatio() <= 1 + 1e-9, c.map() + " " + MirrorDescentExample.name(c.step())
          + ": a gap exceeds its bound, ratio " + c.worstRatio());
      for (int k = 1; k < c.gap().length; k++) {
        assertTrue(c.gap()[k] <= c.gap()[k - 1] + 1e-9, "PMD improves monotonically");
      }
    }
    String table = MirrorDescentExample.table(cs, 0, 5, 15);
    assertTrue(table.contains("Tsallis(q=0.5)") && table.contains("adaptive c0=1"), table);
    LineFigure f = MirrorDescentExample.figure(cs, MirrorDescentExample.STEPS.get(1));
    assertEquals(6, f.series().size());
    assertTrue(f.logY());
  }

  @Test
  void garnetIsSeededAndItsGapsStayUnderTheirBounds() {
    TabularMdp<?, ?> a = MirrorDescentExample.garnet();
    TabularMdp<?, ?> b = MirrorDescentExample.garnet();
    assertEquals(80, a.numRows());
    for (int r = 0; r < a.numRows(); r++) {
      assertEquals(a.reward(r), b.reward(r), 0.0);
    }
    for (var c : MirrorDescentExample.curves("garnet", a, 10)) {
      assertTrue(c.worstRatio() <= 1 + 1e-9, c.map() + " " + c.step() + " " + c.worstRatio());
    }
  }
}
