package dev.fixpoint.theory.realizability;

import org.apache.commons.math3.fraction.BigFraction;
import org.jspecify.annotations.Nullable;

/**
 * Dense linear algebra over a {@link Field}: products, Gaussian elimination with the largest
 * pivot (exact in the rational tier; in doubles a pivot below {@code 1e-10} times the largest
 * entry counts as zero), rank by row reduction.
 *
 * <p>The O(n^3) kernels (matrix product, weighted Gram matrix, elimination, rank) have a primitive
 * {@code double[][]} path for {@link Field#DOUBLE} that performs the same IEEE operations in the
 * same order as the generic path, so results are bit-identical; only the boxing is gone.
 */
final class Dense {
  private Dense() {}

  static <T> T[][] mul(Field<T> f, T[][] a, T[][] b) {
    if (f == Field.DOUBLE) {
      return rebox(f, mulD(unbox(a), unbox(b)));
    }
    int n = a.length;
    int k = b.length;
    int m = b[0].length;
    T[][] c = f.matrix(n, m);
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < k; l++) {
        T x = a[i][l];
        if (f.isExact() && f.isZero(x)) {
          continue;
        }
        for (int j = 0; j < m; j++) {
          c[i][j] = f.add(c[i][j], f.mul(x, b[l][j]));
        }
      }
    }
    return c;
  }

  static <T> T[] mul(Field<T> f, T[][] a, T[] x) {
    T[] y = f.vector(a.length);
    for (int i = 0; i < a.length; i++) {
      T acc = f.zero();
      for (int j = 0; j < x.length; j++) {
        acc = f.add(acc, f.mul(a[i][j], x[j]));
      }
      y[i] = acc;
    }
    return y;
  }

  static <T> T[][] transpose(Field<T> f, T[][] a) {
    T[][] t = f.matrix(a[0].length, a.length);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  /** Phi^T diag(w) B. */
  static <T> T[][] weightedGram(Field<T> f, T[][] phi, T[] w, T[][] b) {
    if (f == Field.DOUBLE) {
      return rebox(f, weightedGramD(unbox(phi), unbox(w), unbox(b)));
    }
    int d = phi[0].length;
    int m = b[0].length;
    T[][] c = f.matrix(d, m);
    for (int r = 0; r < phi.length; r++) {
      if (f.isExact() && f.isZero(w[r])) {
        continue;
      }
      for (int i = 0; i < d; i++) {
        T x = f.mul(w[r], phi[r][i]);
        for (int j = 0; j < m; j++) {
          c[i][j] = f.add(c[i][j], f.mul(x, b[r][j]));
        }
      }
    }
    return c;
  }

  /** Phi^T diag(w) v. */
  static <T> T[] weightedGram(Field<T> f, T[][] phi, T[] w, T[] v) {
    int d = phi[0].length;
    T[] c = f.vector(d);
    for (int r = 0; r < phi.length; r++) {
      T x = f.mul(w[r], v[r]);
      for (int i = 0; i < d; i++) {
        c[i] = f.add(c[i], f.mul(x, phi[r][i]));
      }
    }
    return c;
  }

  static <T> T[][] identity(Field<T> f, int n) {
    T[][] id = f.matrix(n, n);
    for (int i = 0; i < n; i++) {
      id[i][i] = f.one();
    }
    return id;
  }

  static <T> T[][] sub(Field<T> f, T[][] a, T[][] b) {
    T[][] c = f.matrix(a.length, a[0].length);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        c[i][j] = f.sub(a[i][j], b[i][j]);
      }
    }
    return c;
  }

  static <T> T[] sub(Field<T> f, T[] a, T[] b) {
    T[] c = f.vector(a.length);
    for (int i = 0; i < a.length; i++) {
      c[i] = f.sub(a[i], b[i]);
    }
    return c;
  }

  static <T> T[][] scale(Field<T> f, T s, T[][] a) {
    T[][] c = f.matrix(a.length, a[0].length);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        c[i][j] = f.mul(s, a[i][j]);
      }
    }
    return c;
  }

  /** sum_i w_i x_i^2. */
  static <T> T weightedSquare(Field<T> f, T[] w, T[] x) {
    T acc = f.zero();
    for (int i = 0; i < x.length; i++) {
      acc = f.add(acc, f.mul(w[i], f.mul(x[i], x[i])));
    }
    return acc;
  }

  static <T> double maxAbs(Field<T> f, T[][] a) {
    double m = 0;
    for (T[] row : a) {
      for (T x : row) {
        m = Math.max(m, Math.abs(f.toDouble(x)));
      }
    }
    return m;
  }

  /** Solves a X = b column by column; null when a is singular (to working precision in doubles). */
  static <T> T @Nullable [][] solve(Field<T> f, T[][] a, T[][] b) {
    if (f == Field.DOUBLE) {
      double[][] x = solveD(unbox(a), unbox(b));
      return x == null ? null : rebox(f, x);
    }
    int n = a.length;
    int m = b[0].length;
    T[][] w = f.matrix(n, n + m);
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, w[i], 0, n);
      System.arraycopy(b[i], 0, w[i], n, m);
    }
    double scale = maxAbs(f, a);
    for (int c = 0; c < n; c++) {
      int p = -1;
      double best = -1;
      for (int i = c; i < n; i++) {
        double v = Math.abs(f.toDouble(w[i][c]));
        if (!f.isZero(w[i][c]) && v > best) {
          best = v;
          p = i;
        }
      }
      if (p < 0 || f.negligible(w[p][c], scale)) {
        return null;
      }
      T[] tmp = w[p];
      w[p] = w[c];
      w[c] = tmp;
      T piv = w[c][c];
      for (int i = 0; i < n; i++) {
        if (i == c || f.isZero(w[i][c])) {
          continue;
        }
        T factor = f.div(w[i][c], piv);
        for (int j = c; j < n + m; j++) {
          w[i][j] = f.sub(w[i][j], f.mul(factor, w[c][j]));
        }
      }
    }
    T[][] x = f.matrix(n, m);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        x[i][j] = f.div(w[i][n + j], w[i][i]);
      }
    }
    return x;
  }

  static <T> T @Nullable [] solve(Field<T> f, T[][] a, T[] b) {
    T[][] bb = f.matrix(b.length, 1);
    for (int i = 0; i < b.length; i++) {
      bb[i][0] = b[i];
    }
    T[][] x = solve(f, a, bb);
    if (x == null) {
      return null;
    }
    T[] out = f.vector(b.length);
    for (int i = 0; i < b.length; i++) {
      out[i] = x[i][0];
    }
    return out;
  }

  /** Rank by row reduction (exact, or with a relative threshold of 1e-10 in doubles). */
  static <T> int rank(Field<T> f, T[][] a) {
    if (f == Field.DOUBLE) {
      return rankD(unbox(a));
    }
    int rows = a.length;
    int cols = a[0].length;
    T[][] w = f.matrix(rows, cols);
    for (int i = 0; i < rows; i++) {
      System.arraycopy(a[i], 0, w[i], 0, cols);
    }
    double scale = maxAbs(f, a) * Math.max(rows, cols);
    int rank = 0;
    for (int c = 0; c < cols && rank < rows; c++) {
      int p = -1;
      double best = -1;
      for (int i = rank; i < rows; i++) {
        double v = Math.abs(f.toDouble(w[i][c]));
        if (!f.isZero(w[i][c]) && v > best) {
          best = v;
          p = i;
        }
      }
      if (p < 0 || f.negligible(w[p][c], scale)) {
        continue;
      }
      T[] tmp = w[p];
      w[p] = w[rank];
      w[rank] = tmp;
      for (int i = rank + 1; i < rows; i++) {
        if (f.isZero(w[i][c])) {
          continue;
        }
        T factor = f.div(w[i][c], w[rank][c]);
        for (int j = c; j < cols; j++) {
          w[i][j] = f.sub(w[i][j], f.mul(factor, w[rank][j]));
        }
      }
      rank++;
    }
    return rank;
  }

  /** [a | b | c ...] side by side. */
  @SafeVarargs
  static <T> T[][] hstack(Field<T> f, T[][]... blocks) {
    int rows = blocks[0].length;
    int cols = 0;
    for (T[][] b : blocks) {
      cols += b[0].length;
    }
    T[][] out = f.matrix(rows, cols);
    int off = 0;
    for (T[][] b : blocks) {
      for (int i = 0; i < rows; i++) {
        System.arraycopy(b[i], 0, out[i], off, b[0].length);
      }
      off += b[0].length;
    }
    return out;
  }

  static <T> T[][] column(Field<T> f, T[] v) {
    T[][] c = f.matrix(v.length, 1);
    for (int i = 0; i < v.length; i++) {
      c[i][0] = v[i];
    }
    return c;
  }

  static <T> double[][] toDoubles(Field<T> f, T[][] a) {
    double[][] d = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        d[i][j] = f.toDouble(a[i][j]);
      }
    }
    return d;
  }

  static <T> double[] toDoubles(Field<T> f, T[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = f.toDouble(a[i]);
    }
    return d;
  }

  // ---- primitive double kernels: the generic code above, op for op, without boxing ----

  private static double[][] mulD(double[][] a, double[][] b) {
    int n = a.length;
    int k = b.length;
    int m = b[0].length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      double[] ci = c[i];
      for (int l = 0; l < k; l++) {
        double x = a[i][l];
        double[] bl = b[l];
        for (int j = 0; j < m; j++) {
          ci[j] = ci[j] + x * bl[j];
        }
      }
    }
    return c;
  }

  private static double[][] weightedGramD(double[][] phi, double[] w, double[][] b) {
    int d = phi[0].length;
    int m = b[0].length;
    double[][] c = new double[d][m];
    for (int r = 0; r < phi.length; r++) {
      double[] br = b[r];
      for (int i = 0; i < d; i++) {
        double x = w[r] * phi[r][i];
        double[] ci = c[i];
        for (int j = 0; j < m; j++) {
          ci[j] = ci[j] + x * br[j];
        }
      }
    }
    return c;
  }

  private static double @Nullable [][] solveD(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    double[][] w = new double[n][n + m];
    double scale = 0;
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, w[i], 0, n);
      System.arraycopy(b[i], 0, w[i], n, m);
      for (int j = 0; j < n; j++) {
        scale = Math.max(scale, Math.abs(a[i][j]));
      }
    }
    for (int c = 0; c < n; c++) {
      int p = -1;
      double best = -1;
      for (int i = c; i < n; i++) {
        double v = Math.abs(w[i][c]);
        if (w[i][c] != 0.0 && v > best) {
          best = v;
          p = i;
        }
      }
      if (p < 0 || Math.abs(w[p][c]) <= Field.Dbl.EPS * Math.max(scale, Double.MIN_NORMAL)) {
        return null;
      }
      double[] tmp = w[p];
      w[p] = w[c];
      w[c] = tmp;
      double[] wc = w[c];
      double piv = wc[c];
      for (int i = 0; i < n; i++) {
        if (i == c || w[i][c] == 0.0) {
          continue;
        }
        double[] wi = w[i];
        double factor = wi[c] / piv;
        for (int j = c; j < n + m; j++) {
          wi[j] = wi[j] - factor * wc[j];
        }
      }
    }
    double[][] x = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        x[i][j] = w[i][n + j] / w[i][i];
      }
    }
    return x;
  }

  private static int rankD(double[][] a) {
    int rows = a.length;
    int cols = a[0].length;
    double[][] w = new double[rows][];
    double scale = 0;
    for (int i = 0; i < rows; i++) {
      w[i] = a[i].clone();
      for (int j = 0; j < cols; j++) {
        scale = Math.max(scale, Math.abs(a[i][j]));
      }
    }
    scale = scale * Math.max(rows, cols);
    int rank = 0;
    for (int c = 0; c < cols && rank < rows; c++) {
      int p = -1;
      double best = -1;
      for (int i = rank; i < rows; i++) {
        double v = Math.abs(w[i][c]);
        if (w[i][c] != 0.0 && v > best) {
          best = v;
          p = i;
        }
      }
      if (p < 0 || Math.abs(w[p][c]) <= Field.Dbl.EPS * Math.max(scale, Double.MIN_NORMAL)) {
        continue;
      }
      double[] tmp = w[p];
      w[p] = w[rank];
      w[rank] = tmp;
      double[] wr = w[rank];
      for (int i = rank + 1; i < rows; i++) {
        if (w[i][c] == 0.0) {
          continue;
        }
        double[] wi = w[i];
        double factor = wi[c] / wr[c];
        for (int j = c; j < cols; j++) {
          wi[j] = wi[j] - factor * wr[j];
        }
      }
      rank++;
    }
    return rank;
  }

  private static <T> double[][] unbox(T[][] a) {
    double[][] d = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      d[i] = unbox(a[i]);
    }
    return d;
  }

  private static <T> double[] unbox(T[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = (Double) a[i];
    }
    return d;
  }

  private static <T> T[][] rebox(Field<T> f, double[][] d) {
    T[][] out = f.matrix(d.length, d.length == 0 ? 0 : d[0].length);
    for (int i = 0; i < d.length; i++) {
      for (int j = 0; j < d[i].length; j++) {
        out[i][j] = f.lift(d[i][j], BigFraction.ZERO); // the double field ignores the fraction
      }
    }
    return out;
  }
}
