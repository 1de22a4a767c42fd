package dev.fixpoint.theory.realizability;

import dev.fixpoint.tabular.internal.ExactSimplex;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * min_theta ||Phi theta - q||_inf exactly, through the dual linear programme (Chebyshev
 * approximation; e.g. Cheney 1966, ch. 2): max q^T y subject to Phi^T y = 0, ||y||_1 &lt;= 1.
 * With y = y+ - y- and a slack z: max q^T (y+ - y-) s.t. Phi^T (y+ - y-) = 0,
 * 1^T (y+ + y-) + z = 1, all &gt;= 0. Feasible start: z = 1 and y+ on d rows where Phi (reduced to
 * independent columns) is nonsingular, all at 0. Bland's rule (no cycling on this degenerate
 * start). Strong duality makes the optimum the primal minimum.
 */
final class SupNorm {
  private SupNorm() {}

  static BigFraction error(BigFraction[][] phi, BigFraction[] q) {
    Field<BigFraction> f = Field.EXACT;
    int n = phi.length;
    // independent columns of Phi (same span)
    List<Integer> cols = new ArrayList<>();
    for (int j = 0; j < phi[0].length; j++) {
      cols.add(j);
      if (Dense.rank(f, select(phi, n, cols)) < cols.size()) {
        cols.remove(cols.size() - 1);
      }
    }
    BigFraction[][] red = select(phi, n, cols);
    int d = cols.size();
    // d independent rows of the reduced matrix
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < n && rows.size() < d; i++) {
      rows.add(i);
      BigFraction[][] sub = new BigFraction[rows.size()][];
      for (int k = 0; k < rows.size(); k++) {
        sub[k] = red[rows.get(k)];
      }
      if (d == 0 || Dense.rank(f, sub) < rows.size()) {
        rows.remove(rows.size() - 1);
      }
    }
    int vars = 2 * n + 1;
    BigFraction[][] a = new BigFraction[d + 1][vars];
    BigFraction[] b = new BigFraction[d + 1];
    BigFraction[] c = new BigFraction[vars];
    for (int k = 0; k <= d; k++) {
      java.util.Arrays.fill(a[k], BigFraction.ZERO);
      b[k] = BigFraction.ZERO;
    }
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        a[k][i] = red[i][k];
        a[k][n + i] = red[i][k].negate();
      }
      a[d][i] = BigFraction.ONE;
      a[d][n + i] = BigFraction.ONE;
      c[i] = q[i];
      c[n + i] = q[i].negate();
    }
    a[d][2 * n] = BigFraction.ONE;
    c[2 * n] = BigFraction.ZERO;
    b[d] = BigFraction.ONE;
    int[] basis = new int[d + 1];
    for (int k = 0; k < d; k++) {
      basis[k] = rows.get(k);
    }
    basis[d] = 2 * n;
    ExactSimplex.Result r = ExactSimplex.maximize(a, b, c, basis);
    if (!r.optimal()) {
      throw new ArithmeticException("sup-norm LP unbounded: impossible for a bounded feasible set");
    }
    BigFraction value = BigFraction.ZERO;
    for (int k = 0; k < r.basis().length; k++) {
      value = value.add(c[r.basis()[k]].multiply(r.basic()[k]));
    }
    return value;
  }

  private static BigFraction[][] select(BigFraction[][] phi, int n, List<Integer> cols) {
    BigFraction[][] out = new BigFraction[n][Math.max(cols.size(), 1)];
    for (int i = 0; i < n; i++) {
      if (cols.isEmpty()) {
        out[i][0] = BigFraction.ZERO;
      }
      for (int k = 0; k < cols.size(); k++) {
        out[i][k] = phi[i][cols.get(k)];
      }
    }
    return out;
  }
}
