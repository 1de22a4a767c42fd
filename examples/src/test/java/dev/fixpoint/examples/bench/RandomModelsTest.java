package dev.fixpoint.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fixpoint.dsl.TabularMdp;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomModelsTest {
  @Test
  void sameSeedSameModelBitForBit() {
    TabularMdp<Integer, Integer> a = RandomModels.uniformSparse(500, 3, 4, new SplittableRandom(7));
    TabularMdp<Integer, Integer> b = RandomModels.uniformSparse(500, 3, 4, new SplittableRandom(7));
    TabularMdp<Integer, Integer> c = RandomModels.uniformSparse(500, 3, 4, new SplittableRandom(8));
    assertArrayEquals(a.csr().next(), b.csr().next());
    assertArrayEquals(a.csr().prob(), b.csr().prob());
    assertArrayEquals(a.csr().reward(), b.csr().reward());
    assertFalse(Arrays.equals(a.csr().next(), c.csr().next()));
  }

  @Test
  void everyRowHasTheRequestedNumberOfDistinctSuccessors() {
    // TabularMdp.of has already checked sums, ranges and strictly increasing next states
    TabularMdp<Integer, Integer> m = RandomModels.uniformSparse(6, 2, 6, new SplittableRandom(1));
    assertEquals(12, m.numRows());
    assertEquals(72, m.numEntries());
    for (int r = 0; r < m.numRows(); r++) {
      for (int k = m.entryStart(r), j = 0; k < m.entryEnd(r); k++, j++) {
        assertEquals(j, m.next(k)); // 6 of 6 states: all of them, in order
      }
    }
    assertThrows(IllegalArgumentException.class,
        () -> RandomModels.uniformSparse(3, 1, 4, new SplittableRandom(1)));
  }

  @Test
  void bytesPerSweepFollowTheCountedArrays() {
    // by hand: 16e6 entries x (4 + 8 + 8) + 4e6 rows x (4 + 8) + 1e6 states x (4 + 8 + 8)
    assertEquals(320_000_000L + 48_000_000L + 20_000_000L,
        ValueIterationBench.sweepBytes(1_000_000, 4_000_000, 16_000_000));
    assertEquals(320_000_000L, ValueIterationBench.referenceBytes(16_000_000));
  }
}
