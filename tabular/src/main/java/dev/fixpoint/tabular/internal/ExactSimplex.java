package dev.fixpoint.tabular.internal;

import dev.fixpoint.dsl.Rationals;
import java.util.Arrays;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The revised simplex method in exact rational arithmetic, for
 *
 * <pre>
 *   maximise c^T x  subject to  A x = b,  x &gt;= 0
 * </pre>
 *
 * started from a given feasible basis (so no phase 1 is needed). Pricing: {@link Pricing#BLAND}
 * (Bland 1977: the entering column is the lowest-index one with positive reduced cost; never
 * cycles) or {@link Pricing#DANTZIG} (the largest reduced cost, lowest index on ties; may cycle
 * on degenerate programs, so use it only where every basic solution is non-degenerate). Either
 * way the leaving row is the minimum ratio, ties to the lowest-index basic variable. Each pivot solves two m x m
 * systems exactly ({@link LinearSystems#solve(BigFraction[][], BigFraction[])}): B^T y = c_B for
 * the prices and B d = A_j for the direction; the basic solution is updated along d. Cost O(m^3)
 * per pivot. Optimality: every reduced cost c_j - y^T A_j &lt;= 0, so y is dual feasible and, with
 * x, satisfies complementary slackness (Chvatal 1983, ch. 7).
 */
@API(status = API.Status.INTERNAL)
public final class ExactSimplex {
  private ExactSimplex() {}

  /** How the entering column is chosen. */
  public enum Pricing {
    /** The lowest-index column with positive reduced cost (Bland 1977): never cycles. */
    BLAND,
    /** The column with the largest reduced cost (Dantzig 1947): fewer pivots, may cycle. */
    DANTZIG
  }

  /**
   * Runs the simplex method with Bland's rule.
   *
   * @param a the m x n constraint matrix (rows)
   * @param b the right-hand side (length m)
   * @param c the objective (length n)
   * @param initialBasis m distinct columns whose basic solution B^-1 b is non-negative
   * @return the result
   * @throws IllegalArgumentException when the shapes disagree or the initial basis is singular or
   *     infeasible
   */
  public static Result maximize(BigFraction[][] a, BigFraction[] b, BigFraction[] c,
      int[] initialBasis) {
    return maximize(a, b, c, initialBasis, Pricing.BLAND);
  }

  /**
   * The outcome of a simplex run.
   *
   * @param optimal true when optimal, false when the objective is unbounded above
   * @param basis the final basis (column per constraint row)
   * @param basic the values of the basic variables (x_B)
   * @param prices the simplex multipliers y (B^T y = c_B): at an optimum, an optimal dual solution
   * @param pivots the number of pivots performed
   * @param unboundedColumn the entering column along which the objective is unbounded, or -1
   */
  public record Result(boolean optimal, int[] basis, BigFraction[] basic, BigFraction[] prices,
      int pivots, int unboundedColumn) {}

  /**
   * Runs the simplex method.
   *
   * @param a the m x n constraint matrix (rows)
   * @param b the right-hand side (length m)
   * @param c the objective (length n)
   * @param initialBasis m distinct columns whose basic solution B^-1 b is non-negative
   * @param pricing how the entering column is chosen
   * @return the result
   * @throws IllegalArgumentException when the shapes disagree or the initial basis is singular or
   *     infeasible
   */
  public static Result maximize(BigFraction[][] a, BigFraction[] b, BigFraction[] c,
      int[] initialBasis, Pricing pricing) {
    int m = b.length;
    int n = c.length;
    if (a.length != m || initialBasis.length != m) {
      throw new IllegalArgumentException("A has " + a.length + " rows, b " + m + ", basis "
          + initialBasis.length);
    }
    int[] basis = initialBasis.clone();
    boolean[] inBasis = new boolean[n];
    for (int j : basis) {
      if (j < 0 || j >= n || inBasis[j]) {
        throw new IllegalArgumentException("basis column " + j + " is out of range or repeated");
      }
      inBasis[j] = true;
    }
    BigFraction[] x;
    try {
      x = LinearSystems.solve(basisMatrix(a, basis, false), b);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("the initial basis is singular", e);
    }
    for (int i = 0; i < m; i++) {
      if (Rationals.signum(x[i]) < 0) {
        throw new IllegalArgumentException("the initial basis is infeasible: x_B[" + i + "] = "
            + Rationals.format(x[i]));
      }
    }
    int pivots = 0;
    while (true) {
      BigFraction[] cb = new BigFraction[m];
      for (int i = 0; i < m; i++) {
        cb[i] = c[basis[i]];
      }
      BigFraction[] y = LinearSystems.solve(basisMatrix(a, basis, true), cb);
      int entering = -1;
      BigFraction bestCost = BigFraction.ZERO;
      for (int j = 0; j < n; j++) {
        if (inBasis[j]) {
          continue;
        }
        BigFraction rc = reducedCost(a, c, y, j);
        if (Rationals.signum(rc) > 0 && (entering < 0 || rc.compareTo(bestCost) > 0)) {
          entering = j;
          bestCost = rc;
          if (pricing == Pricing.BLAND) {
            break;
          }
        }
      }
      if (entering < 0) {
        return new Result(true, basis, x, y, pivots, -1);
      }
      BigFraction[] col = new BigFraction[m];
      for (int i = 0; i < m; i++) {
        col[i] = a[i][entering];
      }
      BigFraction[] d = LinearSystems.solve(basisMatrix(a, basis, false), col);
      int leave = -1;
      BigFraction best = BigFraction.ZERO;
      for (int i = 0; i < m; i++) {
        if (Rationals.signum(d[i]) > 0) {
          BigFraction ratio = x[i].divide(d[i]);
          int cmp = leave < 0 ? -1 : ratio.compareTo(best);
          if (cmp < 0 || (cmp == 0 && basis[i] < basis[leave])) {
            leave = i;
            best = ratio;
          }
        }
      }
      if (leave < 0) {
        return new Result(false, basis, x, y, pivots, entering);
      }
      for (int i = 0; i < m; i++) {
        x[i] = i == leave ? best : x[i].subtract(best.multiply(d[i]));
      }
      inBasis[basis[leave]] = false;
      inBasis[entering] = true;
      basis[leave] = entering;
      pivots++;
    }
  }

  private static BigFraction reducedCost(BigFraction[][] a, BigFraction[] c, BigFraction[] y,
      int j) {
    BigFraction acc = c[j];
    for (int i = 0; i < y.length; i++) {
      if (Rationals.signum(a[i][j]) != 0 && Rationals.signum(y[i]) != 0) {
        acc = acc.subtract(y[i].multiply(a[i][j]));
      }
    }
    return acc;
  }

  private static BigFraction[][] basisMatrix(BigFraction[][] a, int[] basis, boolean transpose) {
    int m = basis.length;
    BigFraction[][] out = new BigFraction[m][m];
    for (int i = 0; i < m; i++) {
      Arrays.fill(out[i], BigFraction.ZERO);
    }
    for (int k = 0; k < m; k++) {
      for (int i = 0; i < m; i++) {
        if (transpose) {
          out[k][i] = a[i][basis[k]];
        } else {
          out[i][k] = a[i][basis[k]];
        }
      }
    }
    return out;
  }
}
