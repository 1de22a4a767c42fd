package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** The law of mdptoolbox.example.rand (dense): row sums, reward range, density, reproducibility. */
class PyMdpToolboxRandTest {

  @Test
  void rowsAreDistributionsAndRewardsLieInMinusOneToOne() {
    TabularMdp<Integer, Integer> m = PyMdpToolboxRand.rand(12, 3, 7).tabulate();
    assertEquals(12, m.numStates());
    assertEquals(36, m.numRows());
    assertFalse(m.isExact());
    for (int r = 0; r < m.numRows(); r++) {
      double sum = 0;
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        sum += m.prob(k);
        assertTrue(m.entryReward(k) >= -1 && m.entryReward(k) < 1, "reward " + m.entryReward(k));
      }
      assertEquals(1.0, sum, 1e-12);
      assertTrue(m.entryEnd(r) > m.entryStart(r));
      assertTrue(Math.abs(m.reward(r)) <= 1);
    }
  }

  @Test
  void aboutHalfTheEntriesAreNonZero() {
    // mask m_j = [u_j > t] with t uniform: P(m_j = 1) = E[1 - t] = 1/2. Rows share t, so the mean
    // over 250 rows has standard deviation sqrt(1/12 / 250) ~ 0.018: the band below is 5 sd.
    TabularMdp<Integer, Integer> m = PyMdpToolboxRand.rand(50, 5, 11).tabulate();
    double density = (double) m.numEntries() / (50.0 * 50 * 5);
    assertTrue(Math.abs(density - 0.5) < 0.1, "density " + density);
  }

  @Test
  void sameSeedSameModelOtherSeedOtherModel() {
    TabularMdp<Integer, Integer> a = PyMdpToolboxRand.rand(6, 2, 3).tabulate();
    TabularMdp<Integer, Integer> b =
        PyMdpToolboxRand.rand(6, 2, new SplittableRandom(3), new BigFraction(9, 10)).tabulate();
    TabularMdp<Integer, Integer> c = PyMdpToolboxRand.rand(6, 2, 4).tabulate();
    double[] ra = new double[a.numRows()];
    double[] rb = new double[b.numRows()];
    double[] rc = new double[c.numRows()];
    for (int r = 0; r < ra.length; r++) {
      ra[r] = a.reward(r);
      rb[r] = b.reward(r);
      rc[r] = c.reward(r);
    }
    assertArrayEquals(ra, rb);
    assertFalse(java.util.Arrays.equals(ra, rc));
  }

  @Test
  void tooSmallIsRejected() {
    ModelException e = assertThrows(ModelException.class, () -> PyMdpToolboxRand.rand(1, 2, 0));
    assertTrue(e.getMessage().contains("S = 1"), e.getMessage());
  }
}
