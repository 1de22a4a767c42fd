package dev.fixpoint.theory.realizability;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.jspecify.annotations.Nullable;

/** Double-only spectral quantities through EJML: spectral radius, singular values, solves. */
final class Spectra {
  private Spectra() {}

  static double spectralRadius(double[][] m) {
    int n = m.length;
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false);
    if (!eig.decompose(new DMatrixRMaj(m))) {
      throw new ArithmeticException("eigenvalue decomposition of a " + n + " x " + n
          + " matrix did not converge");
    }
    double r = 0;
    for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
      Complex_F64 z = eig.getEigenvalue(i);
      r = Math.max(r, Math.hypot(z.real, z.imaginary));
    }
    return r;
  }

  /** Singular values, largest first. */
  static double[] singularValues(double[][] m) {
    double[] s = SingularOps_DDRM.singularValues(new DMatrixRMaj(m));
    java.util.Arrays.sort(s);
    for (int i = 0, j = s.length - 1; i < j; i++, j--) {
      double t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
    return s;
  }

  static double norm2(double[][] m) {
    return singularValues(m)[0];
  }

  /** a^{-1} b, or null when a is singular to working precision. */
  static double @Nullable [][] solve(double[][] a, double[][] b) {
    DMatrixRMaj x = new DMatrixRMaj(a.length, b[0].length);
    DMatrixRMaj am = new DMatrixRMaj(a);
    double[] sv = SingularOps_DDRM.singularValues(am.copy());
    double max = 0;
    double min = Double.POSITIVE_INFINITY;
    for (double s : sv) {
      max = Math.max(max, s);
      min = Math.min(min, s);
    }
    if (!(min > 1e-12 * max) || !CommonOps_DDRM.solve(am, new DMatrixRMaj(b), x)) {
      return null;
    }
    double[][] out = new double[a.length][b[0].length];
    for (int i = 0; i < out.length; i++) {
      for (int j = 0; j < out[0].length; j++) {
        out[i][j] = x.get(i, j);
      }
    }
    return out;
  }

  static double[][] mul(double[][] a, double[][] b) {
    DMatrixRMaj c = new DMatrixRMaj(a.length, b[0].length);
    CommonOps_DDRM.mult(new DMatrixRMaj(a), new DMatrixRMaj(b), c);
    double[][] out = new double[a.length][b[0].length];
    for (int i = 0; i < out.length; i++) {
      for (int j = 0; j < out[0].length; j++) {
        out[i][j] = c.get(i, j);
      }
    }
    return out;
  }
}
