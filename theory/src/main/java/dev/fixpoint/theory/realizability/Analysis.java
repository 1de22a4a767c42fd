package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularPolicy;
import org.jspecify.annotations.Nullable;

/**
 * The population objects of spec B0-B3 for one (model, Phi, mu, pi) in one numeric tier:
 * Sigma = Phi^T D Phi, Pi_mu = Phi Sigma^{-1} Phi^T D, Q^pi, the projected Bellman equation
 * A theta = b, and the matrices used by the error identity, FQE and kappa_TD.
 */
final class Analysis<T> {
  final Field<T> f;
  final RowModel<T> rm;
  final T[][] phi;
  final T[] mu;
  final T[] pi;
  final int n;
  final int d;
  final T[][] ppi;
  final T[] q;
  /** Sigma^{-1} Phi^T D (d x n): theta = this x is the mu-projection coefficient of x. */
  final T[][] coef;
  final T[][] proj;
  final T[][] pphi;
  final T[][] a;
  final T[] b;
  final T @Nullable [] theta;
  final LinearFeatures features;

  Analysis(Field<T> f, RowModel<T> rm, LinearFeatures features, DataWeights weights,
      TabularPolicy<?, ?> policy, T @Nullable [] target) {
    this.f = f;
    this.rm = rm;
    this.n = rm.n;
    if (features.rows() != n) {
      throw new ModelException("Phi has " + features.rows() + " rows, the model "
          + rm.m.name() + " has " + n);
    }
    if (weights.toArray().length != n) {
      throw new ModelException("mu has " + weights.toArray().length + " weights, the model "
          + rm.m.name() + " has " + n + " rows");
    }
    this.features = features;
    this.phi = features.in(f);
    this.d = features.dimension();
    this.mu = weights.in(f);
    this.pi = rm.policy(policy);
    this.ppi = rm.kernel(pi);
    this.q = target != null ? target : rm.evaluate(ppi, rm.r);
    T[][] phiTd = Dense.transpose(f, phi);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < d; i++) {
        phiTd[i][j] = f.mul(phiTd[i][j], mu[j]);
      }
    }
    T[][] sigma = Dense.mul(f, phiTd, phi);
    T[][] c = Dense.solve(f, sigma, phiTd);
    if (c == null) {
      throw new ModelException("Sigma = Phi^T D_mu Phi is singular: the " + d + " features "
          + "restricted to the support of mu are linearly dependent (rank "
          + Dense.rank(f, sigma) + " < " + d + "); Pi_mu is undefined");
    }
    this.coef = c;
    this.proj = Dense.mul(f, phi, coef);
    this.pphi = Dense.mul(f, ppi, phi);
    this.a = Dense.mul(f, phiTd, Dense.sub(f, phi, Dense.scale(f, rm.gamma, pphi)));
    this.b = Dense.mul(f, phiTd, rm.r);
    this.theta = Dense.solve(f, a, b);
  }

  T[][] sigma() {
    return Dense.weightedGram(f, phi, mu, phi);
  }

  /** (I - Pi_mu) x. */
  T[] residual(T[] x) {
    return Dense.sub(f, x, Dense.mul(f, proj, x));
  }

  /** I - gamma Pi_mu P^pi. */
  T[][] projectedResolvent() {
    T[][] m = Dense.scale(f, f.neg(rm.gamma), Dense.mul(f, proj, ppi));
    for (int i = 0; i < n; i++) {
      m[i][i] = f.add(m[i][i], f.one());
    }
    return m;
  }

  /** c = max_{r: mu_r &gt; 0} (mu^T P^pi)_r / mu_r; null when mass reaches a row with mu = 0. */
  @Nullable T shift() {
    T best = f.zero();
    for (int j = 0; j < n; j++) {
      T acc = f.zero();
      for (int i = 0; i < n; i++) {
        acc = f.add(acc, f.mul(mu[i], ppi[i][j]));
      }
      if (f.isZero(mu[j])) {
        if (f.compare(acc, f.zero()) > 0 && !f.negligible(acc, 1.0)) {
          return null;
        }
        continue;
      }
      T ratio = f.div(acc, mu[j]);
      if (f.compare(ratio, best) > 0) {
        best = ratio;
      }
    }
    return best;
  }

  boolean fullSupport() {
    for (T w : mu) {
      if (f.compare(w, f.zero()) <= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * kappa_TD = ||(I - gamma Pi P)^{-1}(I - Pi)||_mu, +inf when undefined. Computed in double from
   * the (possibly exact) Pi and P^pi: it needs a singular value anyway.
   */
  double kappa() {
    if (theta == null || !fullSupport()) {
      return Double.POSITIVE_INFINITY;
    }
    double g = f.toDouble(rm.gamma);
    double[][] pr = Dense.toDoubles(f, proj);
    double[][] pp = Spectra.mul(pr, Dense.toDoubles(f, ppi));
    double[][] res = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        pp[i][j] = (i == j ? 1 : 0) - g * pp[i][j];
        res[i][j] = (i == j ? 1 : 0) - pr[i][j];
      }
    }
    double[][] w = Spectra.solve(pp, res);
    if (w == null) {
      return Double.POSITIVE_INFINITY;
    }
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.sqrt(f.toDouble(mu[i]));
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        w[i][j] *= s[i] / s[j];
      }
    }
    return Spectra.norm2(w);
  }

  /** The FQE iteration matrix gamma Sigma^{-1} Phi^T D P^pi Phi (d x d). */
  double[][] fqeMatrix() {
    return Dense.toDoubles(f, Dense.scale(f, rm.gamma, Dense.mul(f, coef, pphi)));
  }

  /** zeta = sigma_min(Sigma^{-1/2} A Sigma^{-1/2}) (double). */
  double zeta() {
    double[][] sg = Dense.toDoubles(f, sigma());
    org.ejml.data.DMatrixRMaj sm = new org.ejml.data.DMatrixRMaj(sg);
    var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(sm)) {
      return Double.NaN;
    }
    double[][] inv = new double[d][d];
    for (int k = 0; k < d; k++) {
      double w = eig.getEigenvalue(k).real;
      org.ejml.data.DMatrixRMaj v = eig.getEigenVector(k);
      double norm2 = 0;
      for (int i = 0; i < d; i++) {
        norm2 += v.get(i) * v.get(i);
      }
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          inv[i][j] += v.get(i) * v.get(j) / norm2 / Math.sqrt(Math.max(w, 0));
        }
      }
    }
    double[][] m = Spectra.mul(Spectra.mul(inv, Dense.toDoubles(f, a)), inv);
    double[] sv = Spectra.singularValues(m);
    return sv[sv.length - 1];
  }
}
