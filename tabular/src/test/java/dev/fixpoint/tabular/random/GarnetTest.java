package dev.fixpoint.tabular.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.internal.Csr;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Garnet structure checked against the definition (Archibald, McKinnon &amp; Thomas 1995;
 * Bhatnagar et al. 2009): b distinct successors per pair, positive probabilities summing to 1,
 * rewards in range, terminal states without rows, reproducible draws. Expected frequencies come
 * from the definition (each state is a successor with probability b/n; each share of a uniform
 * split of [0, 1] into b parts has mean 1/b), not from the code.
 */
class GarnetTest {

  @Test
  void layoutFollowsTheDefinition() {
    Garnet spec = Garnet.of(50, 3, 4).withRewards(-2, 5).withTerminals(5);
    TabularMdp<Integer, Integer> m = spec.generate(new SplittableRandom(7));
    assertEquals(50, m.numStates());
    assertEquals(3, m.numActions());
    assertEquals(45 * 3, m.numRows());
    assertEquals(45 * 3 * 4, m.numEntries());
    for (int s = 0; s < 50; s++) {
      assertEquals(s >= 45, m.isTerminal(s));
      assertEquals(s >= 45 ? 0 : 3, m.rowEnd(s) - m.rowStart(s));
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        assertEquals(s * 3 + (r - m.rowStart(s)), r);
        assertEquals(r - m.rowStart(s), m.rowAction(r));
        assertEquals(4, m.entryEnd(r) - m.entryStart(r));
        double sum = 0;
        for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
          assertTrue(m.prob(k) > 0);
          if (k > m.entryStart(r)) {
            assertTrue(m.next(k) > m.next(k - 1), "successors distinct and sorted");
          }
          sum += m.prob(k);
        }
        assertEquals(1.0, sum, 1e-12);
        assertTrue(m.reward(r) >= -2 && m.reward(r) < 5, "reward " + m.reward(r));
      }
    }
    assertEquals(1.0 / 45, m.initial(0), 0.0);
    assertEquals(0.0, m.initial(49), 0.0);
    assertEquals(0.9, m.discount(), 0.0);
  }

  @Test
  void sameSeedSameModelBitForBit() {
    Garnet spec = Garnet.of(200, 4, 5).withTerminals(3).withDiscount(0.95);
    Csr a = spec.generate(new SplittableRandom(99)).csr();
    Csr b = spec.generate(new SplittableRandom(99)).csr();
    assertArrayEquals(a.next(), b.next());
    assertArrayEquals(a.prob(), b.prob(), 0.0);
    assertArrayEquals(a.reward(), b.reward(), 0.0);
    Csr c = spec.generate(new SplittableRandom(100)).csr();
    assertFalse(java.util.Arrays.equals(a.prob(), c.prob()), "another seed, another model");
  }

  @Test
  void successorsAndSharesHaveTheDefinedFrequencies() {
    // n = 20, b = 5: each state is among a row's successors with probability b/n = 1/4; each of
    // the b shares has mean 1/b = 1/5. 20 000 rows: standard errors about 0.003 and 0.001.
    int n = 20;
    int rows = 20_000;
    TabularMdp<Integer, Integer> m = Garnet.of(n, rows / n, 5).generate(new SplittableRandom(3));
    int[] hits = new int[n];
    double[] shareSum = new double[5];
    for (int r = 0; r < m.numRows(); r++) {
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        hits[m.next(k)]++;
        shareSum[k - m.entryStart(r)] += m.prob(k);
      }
    }
    for (int s = 0; s < n; s++) {
      assertEquals(0.25, hits[s] / (double) rows, 0.015, "state " + s);
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(0.2, shareSum[i] / rows, 0.006, "share " + i);
    }
  }

  @Test
  void branchingEqualToStatesReachesEveryState() {
    TabularMdp<Integer, Integer> m = Garnet.of(6, 2, 6).generate(new SplittableRandom(1));
    for (int r = 0; r < m.numRows(); r++) {
      for (int k = m.entryStart(r), j = 0; k < m.entryEnd(r); k++, j++) {
        assertEquals(j, m.next(k));
      }
    }
  }

  @Test
  void exactRowsSumToOneInTwelfths() {
    ExactGarnet spec = ExactGarnet.of(30, 3, 4).withRewards(-1, 2, 4).withTerminals(2);
    TabularMdp<Integer, Integer> m = spec.generate(new SplittableRandom(11));
    assertTrue(m.isExact());
    TabularMdp.Exact e = m.exact();
    for (int r = 0; r < m.numRows(); r++) {
      BigFraction sum = BigFraction.ZERO;
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        BigFraction twelfths = e.prob()[k].multiply(12);
        assertEquals(java.math.BigInteger.ONE, twelfths.getDenominator(), "multiple of 1/12");
        sum = sum.add(e.prob()[k]);
      }
      assertEquals(BigFraction.ONE, sum);
      BigFraction quarters = e.reward()[r].multiply(4);
      assertEquals(java.math.BigInteger.ONE, quarters.getDenominator());
      assertTrue(e.reward()[r].compareTo(new BigFraction(-1)) >= 0
          && e.reward()[r].compareTo(new BigFraction(2)) <= 0);
    }
    assertEquals(new BigFraction(9, 10), e.discount());
  }

  @Test
  void denominatorEqualToBranchingGivesUniformRows() {
    // the only composition of q = b into b positive parts is (1, ..., 1)
    TabularMdp<Integer, Integer> m = ExactGarnet.of(10, 2, 5).withDenominator(5)
        .generate(new SplittableRandom(5));
    for (int k = 0; k < m.numEntries(); k++) {
      assertEquals(new BigFraction(1, 5), m.exact().prob()[k]);
    }
  }

  @Test
  void badSpecsAreRejectedWithTheRule() {
    ModelException e = assertThrows(ModelException.class, () -> Garnet.of(3, 2, 4));
    assertTrue(e.getMessage().contains("branching = 4 must be in [1, states = 3]"),
        e.getMessage());
    e = assertThrows(ModelException.class, () -> ExactGarnet.of(10, 2, 5).withDenominator(4));
    assertTrue(e.getMessage().contains("denominator = 4 must be at least branching = 5"),
        e.getMessage());
    e = assertThrows(ModelException.class, () -> Garnet.of(3, 2, 2).withTerminals(3));
    assertTrue(e.getMessage().contains("terminals = 3"), e.getMessage());
    e = assertThrows(ModelException.class, () -> Garnet.of(3, 2, 2).withDiscount(1.5));
    assertTrue(e.getMessage().contains("discount 1.5"), e.getMessage());
    e = assertThrows(ModelException.class, () -> Garnet.of(100_000, 1000, 100));
    assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
  }
}
