package dev.fixpoint.tabular.internal;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.util.Arrays;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;

/**
 * Dense square linear systems A x = b in double (EJML LU with partial pivoting) and in exact
 * rational arithmetic (Gaussian elimination over {@link BigFraction}), and the Bellman system of a
 * policy, (I - gamma P_pi) v = r_pi (Puterman 1994, eq. 6.1.6; Sutton &amp; Barto 2018, eq. 4.4).
 *
 * <p>Cost: O(n^3) time and O(n^2) memory for n unknowns; meant for the reference solvers on models
 * up to a few thousand states. Singular systems raise {@link ArithmeticException} naming the
 * column where elimination found no usable pivot; they never return infinities or NaN.
 */
@API(status = API.Status.INTERNAL)
public final class LinearSystems {
  private LinearSystems() {}

  /**
   * Solves A x = b by LU decomposition with partial pivoting (EJML {@code LinearSolverLu_DDRM}).
   * A is declared singular to working precision when some pivot |u_kk| is at most n * 2^-52 *
   * max_i |u_ii|: a pivot of that relative size is at the level of the rounding error of the
   * elimination and carries no significant digit.
   *
   * @param a the n x n matrix (rows; not modified)
   * @param b the right-hand side, length n (not modified)
   * @return x
   * @throws ArithmeticException when A is singular to working precision or the solution overflows
   * @throws IllegalArgumentException when the shapes do not match or an entry is not finite
   */
  public static double[] solve(double[][] a, double[] b) {
    int n = checkShape(a.length, b.length);
    DMatrixRMaj am = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("row " + i + " has " + a[i].length + " entries, "
            + "expected " + n);
      }
      for (int j = 0; j < n; j++) {
        double x = a[i][j];
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") = " + x
              + " is not finite");
        }
        am.unsafe_set(i, j, x);
      }
      if (!Double.isFinite(b[i])) {
        throw new IllegalArgumentException("right-hand side entry " + i + " = " + b[i]
            + " is not finite");
      }
    }
    if (n == 0) {
      return new double[0];
    }
    LinearSolverLu_DDRM solver = new LinearSolverLu_DDRM(new LUDecompositionAlt_DDRM());
    solver.setA(am);
    DMatrixRMaj lu = solver.getDecomposition().getLU();
    double max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.abs(lu.unsafe_get(i, i)));
    }
    double floor = n * 0x1p-52 * max;
    for (int i = 0; i < n; i++) {
      double u = Math.abs(lu.unsafe_get(i, i));
      if (max == 0 || u <= floor) {
        throw new ArithmeticException("singular matrix: LU pivot " + i + " is " + u
            + ", at most n * 2^-52 * max |pivot| = " + floor + " (the " + n + " x " + n
            + " system has no unique solution to working precision)");
      }
    }
    DMatrixRMaj bm = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      bm.unsafe_set(i, 0, b[i]);
    }
    DMatrixRMaj xm = new DMatrixRMaj(n, 1);
    solver.solve(bm, xm);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = xm.unsafe_get(i, 0);
      if (!Double.isFinite(x[i])) {
        throw new ArithmeticException("linear solve overflowed: x[" + i + "] = " + x[i]
            + " (the matrix is too close to singular)");
      }
    }
    return x;
  }

  /**
   * Solves A x = b exactly by Gaussian elimination with partial pivoting on non-zero entries: the
   * pivot of column k is the first row at or below k whose entry is not zero. Zero entries are
   * skipped, so sparse systems (such as I - gamma P for a sparse P) cost less than n^3 / 3 field
   * operations.
   *
   * @param a the n x n matrix (rows; not modified)
   * @param b the right-hand side, length n (not modified)
   * @return the unique solution x
   * @throws ArithmeticException when A is singular (no non-zero pivot in some column)
   * @throws IllegalArgumentException when the shapes do not match
   */
  public static BigFraction[] solve(BigFraction[][] a, BigFraction[] b) {
    int n = checkShape(a.length, b.length);
    BigFraction[][] m = new BigFraction[n][];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("row " + i + " has " + a[i].length + " entries, "
            + "expected " + n);
      }
      m[i] = Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int k = 0; k < n; k++) {
      int p = -1;
      for (int i = k; i < n; i++) {
        if (Rationals.signum(m[i][k]) != 0) {
          p = i;
          break;
        }
      }
      if (p < 0) {
        throw new ArithmeticException("singular matrix: no non-zero pivot in column " + k
            + " after eliminating columns 0.." + (k - 1) + " (rank < " + n + ")");
      }
      BigFraction[] t = m[p];
      m[p] = m[k];
      m[k] = t;
      BigFraction[] pivotRow = m[k];
      BigFraction pivot = pivotRow[k];
      for (int i = k + 1; i < n; i++) {
        BigFraction[] row = m[i];
        if (Rationals.signum(row[k]) == 0) {
          continue;
        }
        BigFraction f = row[k].divide(pivot);
        row[k] = BigFraction.ZERO;
        for (int j = k + 1; j <= n; j++) {
          if (Rationals.signum(pivotRow[j]) != 0) {
            row[j] = row[j].subtract(f.multiply(pivotRow[j]));
          }
        }
      }
    }
    BigFraction[] x = new BigFraction[n];
    for (int i = n - 1; i >= 0; i--) {
      BigFraction acc = m[i][n];
      for (int j = i + 1; j < n; j++) {
        if (Rationals.signum(m[i][j]) != 0) {
          acc = acc.subtract(m[i][j].multiply(x[j]));
        }
      }
      x[i] = acc.divide(m[i][i]);
    }
    return x;
  }

  private static int checkShape(int rows, int rhs) {
    if (rows != rhs) {
      throw new IllegalArgumentException("matrix has " + rows + " rows but the right-hand side "
          + rhs + " entries");
    }
    return rows;
  }

  // ---------------------------------------------------------------- the Bellman system of a policy

  /**
   * The matrix I - gamma P_pi over states, where P_pi(s, s') = sum over rows r of s of pi(r)
   * p(s' | r). A terminal state's row is the identity row, so that its value is forced to 0 when
   * the right-hand side is {@link #policyReward}.
   *
   * @param m the model
   * @param policy pi over the rows of m
   * @return the dense n x n matrix
   */
  public static double[][] identityMinusGammaP(TabularMdp<?, ?> m, double[] policy) {
    checkPolicy(m, policy.length);
    int n = m.numStates();
    double gamma = m.discount();
    double[][] a = new double[n][n];
    for (int s = 0; s < n; s++) {
      a[s][s] = 1.0;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        double w = policy[r];
        if (w == 0) {
          continue;
        }
        for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
          a[s][m.next(k)] -= gamma * w * m.prob(k);
        }
      }
    }
    return a;
  }

  /**
   * The expected one-step reward of a policy, r_pi(s) = sum over rows r of s of pi(r) r(r); 0 at
   * terminal states.
   *
   * @param m the model
   * @param policy pi over the rows of m
   * @return r_pi over states
   */
  public static double[] policyReward(TabularMdp<?, ?> m, double[] policy) {
    checkPolicy(m, policy.length);
    double[] out = new double[m.numStates()];
    for (int s = 0; s < out.length; s++) {
      double acc = 0;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        acc += policy[r] * m.reward(r);
      }
      out[s] = acc;
    }
    return out;
  }

  /**
   * The exact matrix I - gamma P_pi (see {@link #identityMinusGammaP(TabularMdp, double[])}).
   *
   * @param m an exact model
   * @param policy exact pi over the rows of m
   * @return the dense n x n matrix
   * @throws dev.fixpoint.dsl.InexactModelException when the model is inexact
   */
  public static BigFraction[][] identityMinusGammaPExact(TabularMdp<?, ?> m,
      BigFraction[] policy) {
    checkPolicy(m, policy.length);
    TabularMdp.Exact ex = m.exact();
    int n = m.numStates();
    BigFraction gamma = ex.discount();
    BigFraction[][] a = new BigFraction[n][n];
    for (int s = 0; s < n; s++) {
      Arrays.fill(a[s], BigFraction.ZERO);
      a[s][s] = BigFraction.ONE;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        BigFraction w = policy[r];
        if (Rationals.signum(w) == 0) {
          continue;
        }
        BigFraction gw = gamma.multiply(w);
        for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
          int j = m.next(k);
          a[s][j] = a[s][j].subtract(gw.multiply(ex.prob()[k]));
        }
      }
    }
    return a;
  }

  /**
   * The exact expected one-step reward r_pi over states (0 at terminal states).
   *
   * @param m an exact model
   * @param policy exact pi over the rows of m
   * @return r_pi
   * @throws dev.fixpoint.dsl.InexactModelException when the model is inexact
   */
  public static BigFraction[] policyRewardExact(TabularMdp<?, ?> m, BigFraction[] policy) {
    checkPolicy(m, policy.length);
    BigFraction[] reward = m.exact().reward();
    BigFraction[] out = new BigFraction[m.numStates()];
    for (int s = 0; s < out.length; s++) {
      BigFraction acc = BigFraction.ZERO;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (Rationals.signum(policy[r]) != 0) {
          acc = acc.add(policy[r].multiply(reward[r]));
        }
      }
      out[s] = acc;
    }
    return out;
  }

  /**
   * v_pi = (I - gamma P_pi)^-1 r_pi in double. The caller checks that the system is regular
   * (gamma &lt; 1, or a proper policy when gamma = 1).
   *
   * @param m the model
   * @param policy pi over the rows
   * @return v_pi over states
   * @throws ArithmeticException when the system is singular to working precision
   */
  public static double[] evaluate(TabularMdp<?, ?> m, double[] policy) {
    return solve(identityMinusGammaP(m, policy), policyReward(m, policy));
  }

  /**
   * v_pi = (I - gamma P_pi)^-1 r_pi exactly.
   *
   * @param m an exact model
   * @param policy exact pi over the rows
   * @return v_pi over states
   * @throws ArithmeticException when the system is singular
   */
  public static BigFraction[] evaluateExact(TabularMdp<?, ?> m, BigFraction[] policy) {
    return solve(identityMinusGammaPExact(m, policy), policyRewardExact(m, policy));
  }

  private static void checkPolicy(TabularMdp<?, ?> m, int length) {
    if (length != m.numRows()) {
      throw new IllegalArgumentException("policy has " + length + " probabilities, the model "
          + m.name() + " has " + m.numRows() + " rows");
    }
  }
}
