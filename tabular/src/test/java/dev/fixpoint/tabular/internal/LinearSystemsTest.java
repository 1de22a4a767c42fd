package dev.fixpoint.tabular.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class LinearSystemsTest {

  private static BigFraction f(String s) {
    return Rationals.parse(s);
  }

  // By hand: 2x + y = 3, x + 3y = 5 gives x = 4/5, y = 7/5.
  @Test
  void solvesATwoByTwoSystemInDouble() {
    double[] x = LinearSystems.solve(new double[][] {{2, 1}, {1, 3}}, new double[] {3, 5});
    assertArrayEquals(new double[] {0.8, 1.4}, x, 1e-15);
  }

  @Test
  void solvesATwoByTwoSystemExactly() {
    BigFraction[] x = LinearSystems.solve(
        new BigFraction[][] {{f("2"), f("1")}, {f("1"), f("3")}}, new BigFraction[] {f("3"),
            f("5")});
    assertArrayEquals(new BigFraction[] {f("4/5"), f("7/5")}, x);
  }

  // A zero in the first pivot position forces a row swap: y = 2, x = 3.
  @Test
  void exactEliminationSwapsPastAZeroPivot() {
    BigFraction[] x = LinearSystems.solve(
        new BigFraction[][] {{f("0"), f("1")}, {f("1"), f("0")}},
        new BigFraction[] {f("2"), f("3")});
    assertArrayEquals(new BigFraction[] {f("3"), f("2")}, x);
  }

  // 3x3 by hand (Cramer): x + 2y = 5, 2x + 4y + z = 11, y + z = 3 has det -1 and x = 1, y = 2,
  // z = 1; the first elimination step zeroes the (2,2) pivot, so a swap is needed in column 1.
  @Test
  void exactEliminationSwapsInALaterColumn() {
    BigFraction[][] a = {{f("1"), f("2"), f("0")}, {f("2"), f("4"), f("1")},
        {f("0"), f("1"), f("1")}};
    BigFraction[] x = LinearSystems.solve(a, new BigFraction[] {f("5"), f("11"), f("3")});
    assertArrayEquals(new BigFraction[] {f("1"), f("2"), f("1")}, x);
    double[][] d = {{1, 2, 0}, {2, 4, 1}, {0, 1, 1}};
    assertArrayEquals(new double[] {1, 2, 1}, LinearSystems.solve(d, new double[] {5, 11, 3}),
        1e-14);
  }

  @Test
  void singularDoubleMatrixThrowsArithmeticException() {
    ArithmeticException e = assertThrows(ArithmeticException.class,
        () -> LinearSystems.solve(new double[][] {{1, 2}, {2, 4}}, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("singular"), e.getMessage());
  }

  @Test
  void singularExactMatrixThrowsArithmeticExceptionNamingTheColumn() {
    ArithmeticException e = assertThrows(ArithmeticException.class,
        () -> LinearSystems.solve(new BigFraction[][] {{f("1"), f("2")}, {f("2"), f("4")}},
            new BigFraction[] {f("1"), f("2")}));
    assertTrue(e.getMessage().contains("singular") && e.getMessage().contains("column 1"),
        e.getMessage());
  }

  @Test
  void nonFiniteEntriesAndShapeMismatchAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> LinearSystems.solve(new double[][] {{Double.NaN}}, new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> LinearSystems.solve(new double[][] {{1, 0}, {0, 1}}, new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> LinearSystems.solve(new double[][] {{1, 0}, {0}}, new double[] {1, 2}));
  }

  // Two-state cycle A -> B (reward 1), B -> A (reward 2), gamma = 1/2:
  // I - gamma P = [[1, -1/2], [-1/2, 1]], r = (1, 2), v = (8/3, 10/3) by hand.
  @Test
  void buildsAndSolvesThePolicySystemOfACycle() {
    TabularMdp<String, String> m = Mdp.<String, String>of(List.of("A", "B"), s -> List.of("go"),
        (s, a) -> Dist.dirac(Outcome.of(s.equals("A") ? "B" : "A", s.equals("A") ? 1 : 2)),
        "1/2").tabulate();
    BigFraction[] pi = {BigFraction.ONE, BigFraction.ONE};
    BigFraction[][] a = LinearSystems.identityMinusGammaPExact(m, pi);
    assertArrayEquals(new BigFraction[] {f("1"), f("-1/2")}, a[0]);
    assertArrayEquals(new BigFraction[] {f("-1/2"), f("1")}, a[1]);
    assertArrayEquals(new BigFraction[] {f("1"), f("2")}, LinearSystems.policyRewardExact(m, pi));
    assertArrayEquals(new BigFraction[] {f("8/3"), f("10/3")}, LinearSystems.evaluateExact(m, pi));
    assertArrayEquals(new double[] {8.0 / 3, 10.0 / 3},
        LinearSystems.evaluate(m, new double[] {1, 1}), 1e-14);
    double[][] ad = LinearSystems.identityMinusGammaP(m, new double[] {1, 1});
    assertArrayEquals(new double[] {1, -0.5}, ad[0], 0);
  }

  // Terminal state T: its row is the identity and its value 0. s -> T with reward 5, gamma 1.
  @Test
  void terminalRowsAreIdentityWithValueZero() {
    TabularMdp<String, String> m = Mdp.<String, String>of(List.of("s", "T"), s -> List.of("go"),
        (s, a) -> Dist.dirac(Outcome.of("T", 5)), "1").withTerminal(Set.of("T")).tabulate();
    BigFraction[] pi = {BigFraction.ONE};
    BigFraction[][] a = LinearSystems.identityMinusGammaPExact(m, pi);
    assertArrayEquals(new BigFraction[] {f("1"), f("-1")}, a[0]);
    assertArrayEquals(new BigFraction[] {f("0"), f("1")}, a[1]);
    assertArrayEquals(new BigFraction[] {f("5"), f("0")}, LinearSystems.evaluateExact(m, pi));
    assertEquals(0.0, LinearSystems.evaluate(m, new double[] {1})[1]);
  }

  @Test
  void policyOfTheWrongLengthIsRejected() {
    TabularMdp<String, String> m = Mdp.<String, String>of(List.of("s"), s -> List.of("go"),
        (s, a) -> Dist.dirac(Outcome.of("s", 1)), "1/2").tabulate();
    assertThrows(IllegalArgumentException.class,
        () -> LinearSystems.identityMinusGammaP(m, new double[] {1, 0}));
  }
}
