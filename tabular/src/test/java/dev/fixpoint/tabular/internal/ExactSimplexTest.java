package dev.fixpoint.tabular.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Rationals;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class ExactSimplexTest {

  private static BigFraction f(String s) {
    return Rationals.parse(s);
  }

  // maximise 3x + 2y s.t. x + y <= 4, x + 3y <= 6 (slacks s1, s2). By hand the vertices are
  // (0,0): 0, (4,0): 12, (3,1): 11, (0,2): 4, so the optimum is x = 4, y = 0, and the dual
  // min 4u + 6w s.t. u + w >= 3, u + 3w >= 2 has optimum u = 3, w = 0.
  @Test
  void textbookTwoVariableProgram() {
    BigFraction[][] a = {{f("1"), f("1"), f("1"), f("0")}, {f("1"), f("3"), f("0"), f("1")}};
    BigFraction[] b = {f("4"), f("6")};
    BigFraction[] c = {f("3"), f("2"), f("0"), f("0")};
    ExactSimplex.Result r = ExactSimplex.maximize(a, b, c, new int[] {2, 3});
    assertTrue(r.optimal());
    assertEquals(0, r.basis()[0]);
    assertEquals(f("4"), r.basic()[0]);
    assertEquals(f("2"), r.basic()[1]); // slack of x + 3y <= 6
    assertArrayEquals(new BigFraction[] {f("3"), f("0")}, r.prices());
  }

  // maximise x s.t. x - y <= 1: after x enters, y has reduced cost 1 and no blocking row.
  @Test
  void unboundedProgramNamesTheColumn() {
    BigFraction[][] a = {{f("1"), f("-1"), f("1")}};
    ExactSimplex.Result r = ExactSimplex.maximize(a, new BigFraction[] {f("1")},
        new BigFraction[] {f("1"), f("0"), f("0")}, new int[] {2});
    assertFalse(r.optimal());
    assertEquals(1, r.unboundedColumn());
    assertEquals(1, r.pivots());
  }

  @Test
  void infeasibleOrSingularStartIsRejected() {
    BigFraction[][] a = {{f("1"), f("1")}};
    assertThrows(IllegalArgumentException.class, () -> ExactSimplex.maximize(a,
        new BigFraction[] {f("-1")}, new BigFraction[] {f("1"), f("1")}, new int[] {0}));
    BigFraction[][] z = {{f("0"), f("1")}};
    assertThrows(IllegalArgumentException.class, () -> ExactSimplex.maximize(z,
        new BigFraction[] {f("1")}, new BigFraction[] {f("1"), f("1")}, new int[] {0}));
  }
}
