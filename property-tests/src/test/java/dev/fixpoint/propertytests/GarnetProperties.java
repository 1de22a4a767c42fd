package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.internal.Csr;
import dev.fixpoint.tabular.random.ExactGarnet;
import dev.fixpoint.tabular.random.Garnet;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Garnet models (Archibald, McKinnon &amp; Thomas 1995; Bhatnagar et al. 2009) are a function of
 * the seed, and the exact tier's rows are probability vectors with denominator q and b distinct
 * successors, exactly.
 */
class GarnetProperties {
  record Drawn<T>(T spec, long seed) {}

  static final Generator<Drawn<Garnet>> GARNETS = Generator.of(rng -> {
    int n = rng.nextInt(1, 41);
    int b = rng.nextInt(1, Math.min(n, 6) + 1);
    Garnet g = Garnet.of(n, rng.nextInt(1, 5), b).withTerminals(rng.nextInt(0, n))
        .withRewards(rng.nextInt(-3, 1), rng.nextInt(1, 4)).withDiscount(rng.nextInt(0, 11) / 10.0);
    return new Drawn<>(g, rng.nextLong());
  });

  static final Generator<Drawn<ExactGarnet>> EXACT_GARNETS = Generator.of(rng -> {
    int n = rng.nextInt(1, 31);
    int b = rng.nextInt(1, Math.min(n, 6) + 1);
    ExactGarnet g = ExactGarnet.of(n, rng.nextInt(1, 5), b).withDenominator(rng.nextInt(b, 25))
        .withTerminals(rng.nextInt(0, n)).withRewards(rng.nextInt(-3, 1), rng.nextInt(1, 4),
            rng.nextInt(1, 5));
    return new Drawn<>(g, rng.nextLong());
  });

  @Test
  void sameSeedSameGarnetBitForBit() {
    qt().withFixedSeed(201).withExamples(200).forAll(QuickTheoriesGen.of(GARNETS))
        .checkAssert(d -> sameArrays(d.spec().generate(new SplittableRandom(d.seed())),
            d.spec().generate(new SplittableRandom(d.seed()))));
  }

  @Test
  void sameSeedSameExactGarnet() {
    qt().withFixedSeed(202).withExamples(200).forAll(QuickTheoriesGen.of(EXACT_GARNETS))
        .checkAssert(d -> {
          TabularMdp<Integer, Integer> a = d.spec().generate(new SplittableRandom(d.seed()));
          TabularMdp<Integer, Integer> b = d.spec().generate(new SplittableRandom(d.seed()));
          sameArrays(a, b);
          assertArrayEquals(a.exact().prob(), b.exact().prob());
          assertArrayEquals(a.exact().reward(), b.exact().reward());
        });
  }

  @Test
  void exactGarnetRowsSumToOneExactly() {
    qt().withFixedSeed(203).withExamples(200).forAll(QuickTheoriesGen.of(EXACT_GARNETS))
        .checkAssert(d -> {
          ExactGarnet spec = d.spec();
          TabularMdp<Integer, Integer> m = spec.generate(new SplittableRandom(d.seed()));
          BigInteger q = BigInteger.valueOf(spec.denominator());
          assertEquals((spec.states() - spec.terminals()) * spec.actions(), m.numRows());
          for (int r = 0; r < m.numRows(); r++) {
            assertEquals(spec.branching(), m.entryEnd(r) - m.entryStart(r), "b successors");
            BigFraction sum = BigFraction.ZERO;
            for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
              BigFraction p = m.exact().prob()[k];
              assertTrue(p.compareTo(BigFraction.ZERO) > 0, "positive");
              assertEquals(BigInteger.ZERO, q.mod(p.getDenominator()), "a multiple of 1/q");
              if (k > m.entryStart(r)) {
                assertTrue(m.next(k) > m.next(k - 1), "distinct successors");
              }
              sum = sum.add(p);
            }
            assertEquals(BigFraction.ONE, sum, "row " + r);
          }
        });
  }

  static void sameArrays(TabularMdp<Integer, Integer> a, TabularMdp<Integer, Integer> b) {
    Csr x = a.csr();
    Csr y = b.csr();
    assertArrayEquals(x.rowStart(), y.rowStart());
    assertArrayEquals(x.rowAction(), y.rowAction());
    assertArrayEquals(x.entryStart(), y.entryStart());
    assertArrayEquals(x.next(), y.next());
    assertArrayEquals(x.prob(), y.prob(), 0.0);
    assertArrayEquals(x.reward(), y.reward(), 0.0);
    assertArrayEquals(x.terminal(), y.terminal());
    assertEquals(x.discount(), y.discount(), 0.0);
  }
}
