package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * A model seen row by row in one numeric tier (spec section 0): the n x S kernel P, the n x n
 * state-action kernel P^pi = P Pi_pi, rewards r, gamma, rho. Terminal states have no rows, so a
 * transition into one simply leaves the row space (value 0).
 */
final class RowModel<T> {
  final Field<T> f;
  final TabularMdp<?, ?> m;
  final int n;
  final int numStates;
  final T gamma;
  final T[] r;
  final T[] rho;

  RowModel(Field<T> f, TabularMdp<?, ?> m) {
    this.f = f;
    this.m = m;
    this.n = m.numRows();
    this.numStates = m.numStates();
    TabularMdp.Exact ex = f.isExact() ? m.exact() : null;
    this.gamma = f.lift(m.discount(), ex == null ? BigFraction.ZERO : ex.discount());
    this.r = f.vector(n);
    for (int i = 0; i < n; i++) {
      r[i] = f.lift(m.reward(i), ex == null ? BigFraction.ZERO : ex.reward()[i]);
    }
    this.rho = f.vector(numStates);
    for (int s = 0; s < numStates; s++) {
      rho[s] = f.lift(m.initial(s), ex == null ? BigFraction.ZERO : ex.initial()[s]);
    }
  }

  T prob(int k) {
    return f.lift(m.prob(k), f.isExact() ? m.exact().prob()[k] : BigFraction.ZERO);
  }

  /** The policy over rows in this tier. */
  T[] policy(TabularPolicy<?, ?> pi) {
    if (pi.mdp().numRows() != n) {
      throw new ModelException("policy is over " + pi.mdp().numRows() + " rows, the model "
          + m.name() + " has " + n);
    }
    T[] out = f.vector(n);
    double[] d = pi.toArray();
    BigFraction[] e = f.isExact() ? pi.toExactArray() : null;
    for (int i = 0; i < n; i++) {
      out[i] = f.lift(d[i], e == null ? BigFraction.ZERO : e[i]);
    }
    return out;
  }

  /** P in R^{n x S}. */
  T[][] kernel() {
    T[][] p = f.matrix(n, numStates);
    for (int i = 0; i < n; i++) {
      for (int k = m.entryStart(i); k < m.entryEnd(i); k++) {
        p[i][m.next(k)] = f.add(p[i][m.next(k)], prob(k));
      }
    }
    return p;
  }

  /** P^pi[(s,a), (s',a')] = p(s'|s,a) pi(a'|s'). */
  T[][] kernel(T[] pi) {
    T[][] p = f.matrix(n, n);
    for (int i = 0; i < n; i++) {
      for (int k = m.entryStart(i); k < m.entryEnd(i); k++) {
        T pk = prob(k);
        int s = m.next(k);
        for (int j = m.rowStart(s); j < m.rowEnd(s); j++) {
          if (!f.isZero(pi[j])) {
            p[i][j] = f.add(p[i][j], f.mul(pk, pi[j]));
          }
        }
      }
    }
    return p;
  }

  /** I - gamma P^pi. */
  T[][] resolventMatrix(T[][] ppi) {
    T[][] a = Dense.scale(f, f.neg(gamma), ppi);
    for (int i = 0; i < n; i++) {
      a[i][i] = f.add(a[i][i], f.one());
    }
    return a;
  }

  /** Q^pi = (I - gamma P^pi)^{-1} r for a reward vector. */
  T[] evaluate(T[][] ppi, T[] reward) {
    T[] q = Dense.solve(f, resolventMatrix(ppi), reward);
    if (q == null) {
      throw new ModelException(m.name() + ": I - gamma P^pi is singular (gamma = 1 with an "
          + "improper policy?); Q^pi is undefined");
    }
    return q;
  }

  /** rho_pi(s, a) = rho(s) pi(a|s). */
  T[] startRows(T[] pi) {
    T[] out = f.vector(n);
    for (int s = 0; s < numStates; s++) {
      for (int j = m.rowStart(s); j < m.rowEnd(s); j++) {
        out[j] = f.mul(rho[s], pi[j]);
      }
    }
    return out;
  }

  /** d_rho^pi = (1 - gamma) (I - gamma P^pi)^{-T} rho_pi. */
  T[] occupancy(T[] pi) {
    T[][] ppi = kernel(pi);
    T[][] at = Dense.transpose(f, resolventMatrix(ppi));
    T[] rhs = startRows(pi);
    T c = f.sub(f.one(), gamma);
    for (int i = 0; i < n; i++) {
      rhs[i] = f.mul(c, rhs[i]);
    }
    T[] d = Dense.solve(f, at, rhs);
    if (d == null) {
      throw new ModelException(m.name() + ": I - gamma P^pi is singular; the discounted "
          + "occupancy is undefined (gamma = 1?)");
    }
    return d;
  }

  /** mu(s, a) = nu(s) pi(a|s) with nu stationary for P_S^pi. */
  T[] stationary(T[] pi) {
    for (int s = 0; s < numStates; s++) {
      if (m.isTerminal(s)) {
        throw new ModelException(m.name() + ": state " + m.states().value(s) + " is terminal; "
            + "a chain that stops has no stationary distribution over rows");
      }
    }
    int sn = numStates;
    T[][] ps = f.matrix(sn, sn);
    for (int s = 0; s < sn; s++) {
      for (int j = m.rowStart(s); j < m.rowEnd(s); j++) {
        for (int k = m.entryStart(j); k < m.entryEnd(j); k++) {
          ps[s][m.next(k)] = f.add(ps[s][m.next(k)], f.mul(pi[j], prob(k)));
        }
      }
    }
    // (P_S^T - I) nu = 0 with the last equation replaced by sum nu = 1
    T[][] a = f.matrix(sn, sn);
    T[] b = f.vector(sn);
    for (int i = 0; i < sn; i++) {
      for (int j = 0; j < sn; j++) {
        a[i][j] = i == j ? f.sub(ps[j][i], f.one()) : ps[j][i];
      }
    }
    for (int j = 0; j < sn; j++) {
      a[sn - 1][j] = f.one();
    }
    b[sn - 1] = f.one();
    T[] nu = Dense.solve(f, a, b);
    if (nu == null) {
      throw new ModelException(m.name() + ": the behaviour policy's state chain has several "
          + "stationary distributions (more than one closed class); give mu explicitly");
    }
    T[] out = f.vector(n);
    for (int s = 0; s < sn; s++) {
      for (int j = m.rowStart(s); j < m.rowEnd(s); j++) {
        out[j] = f.mul(nu[s], pi[j]);
      }
    }
    return out;
  }
}
