package dev.fixpoint.tabular.ope;

import java.math.BigInteger;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * The law of a statistic of n i.i.d. draws from a finite law of N atoms, by enumerating the
 * C(N+n-1, n) multisets with their multinomial probabilities n!/prod_j c_j! prod_j p_j^{c_j}
 * (spec estimators.md section 3). Shared by {@link OpeExact#momentsByEnumeration} (atoms =
 * trajectories) and {@link WisLaw#moments} (atoms = (w, G) pairs).
 */
final class MultisetEnumeration {
  private MultisetEnumeration() {}

  /** The statistic of one multiset, given as non-decreasing atom indices. */
  interface Statistic {
    /**
     * {@return the value on the multiset}
     *
     * @param idx n non-decreasing atom indices (not to be kept: reused)
     */
    BigFraction of(int[] idx);
  }

  /** {@return C(atoms + n - 1, n), the number of multisets} */
  static BigInteger count(int atoms, int n) {
    BigInteger r = BigInteger.ONE;
    for (int i = 1; i <= n; i++) {
      r = r.multiply(BigInteger.valueOf(atoms - 1 + i)).divide(BigInteger.valueOf(i));
    }
    return r;
  }

  /** {@return {E[X], E[X^2]} of the statistic over the multisets of n draws} */
  static BigFraction[] moments(BigFraction[] p, int n, Statistic x) {
    int big = p.length;
    BigInteger nFact = BigInteger.ONE;
    for (int i = 2; i <= n; i++) {
      nFact = nFact.multiply(BigInteger.valueOf(i));
    }
    int[] idx = new int[n];
    BigFraction m1 = BigFraction.ZERO;
    BigFraction m2 = BigFraction.ZERO;
    while (true) {
      BigFraction pr = new BigFraction(nFact);
      int run = 1;
      for (int j = 0; j < n; j++) {
        pr = pr.multiply(p[idx[j]]);
        if (j > 0 && idx[j] == idx[j - 1]) {
          run++;
          pr = pr.divide(run);
        } else {
          run = 1;
        }
      }
      BigFraction v = x.of(idx);
      m1 = m1.add(pr.multiply(v));
      m2 = m2.add(pr.multiply(v).multiply(v));
      int j = n - 1;
      while (j >= 0 && idx[j] == big - 1) {
        j--;
      }
      if (j < 0) {
        break;
      }
      idx[j]++;
      for (int l = j + 1; l < n; l++) {
        idx[l] = idx[j];
      }
    }
    return new BigFraction[] {m1, m2};
  }
}
