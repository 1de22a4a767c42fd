package dev.fixpoint.theory.realizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The primitive double kernels of {@link Dense} (taken for {@link Field#DOUBLE}) give bit-identical
 * results to the generic boxed code (taken for any other {@code Field<Double>} instance): same
 * IEEE operations in the same order. Compared with {@code Double.compare == 0}, no tolerance.
 */
class DensePrimitivePathTest {
  static final Field<Double> GENERIC = new Field.Dbl();

  static Double[][] random(SplittableRandom rng, int r, int c, boolean zeros) {
    Double[][] m = new Double[r][c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        m[i][j] = zeros && rng.nextInt(4) == 0 ? 0.0 : rng.nextDouble(-3, 3);
      }
    }
    return m;
  }

  static void same(Double[][] x, Double[][] y) {
    assertEquals(x.length, y.length);
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        assertEquals(0, Double.compare(x[i][j], y[i][j]), "entry " + i + "," + j + ": " + x[i][j]
            + " vs " + y[i][j]);
      }
    }
  }

  @Test
  void productsGramMatricesSolvesAndRanksAreBitIdentical() {
    SplittableRandom rng = new SplittableRandom(20261123);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rng.nextInt(9);
      int d = 1 + rng.nextInt(5);
      boolean zeros = trial % 2 == 0;
      Double[][] a = random(rng, n, n, zeros);
      Double[][] b = random(rng, n, d, zeros);
      Double[][] phi = random(rng, n, d, zeros);
      Double[] w = random(rng, 1, n, zeros)[0];
      same(Dense.mul(GENERIC, a, b), Dense.mul(Field.DOUBLE, a, b));
      same(Dense.weightedGram(GENERIC, phi, w, b), Dense.weightedGram(Field.DOUBLE, phi, w, b));
      assertEquals(Dense.rank(GENERIC, Dense.hstack(GENERIC, phi, b, phi)),
          Dense.rank(Field.DOUBLE, Dense.hstack(GENERIC, phi, b, phi)));
      Double[][] lowRank = Dense.mul(GENERIC, phi, random(rng, d, n, zeros));
      assertEquals(Dense.rank(GENERIC, lowRank), Dense.rank(Field.DOUBLE, lowRank));
      Double[][] x = Dense.solve(GENERIC, a, b);
      Double[][] y = Dense.solve(Field.DOUBLE, a, b);
      if (x == null) {
        assertNull(y);
      } else {
        same(x, y);
      }
    }
    // a singular system is refused on both paths
    Double[][] sing = {{1.0, 2.0}, {2.0, 4.0}};
    Double[][] rhs = {{1.0}, {1.0}};
    assertNull(Dense.solve(GENERIC, sing, rhs));
    assertNull(Dense.solve(Field.DOUBLE, sing, rhs));
  }
}
