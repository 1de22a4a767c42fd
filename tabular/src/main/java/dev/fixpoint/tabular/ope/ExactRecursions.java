package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.ope.Estimator;
import dev.fixpoint.dsl.ope.Estimator.Clipped;
import dev.fixpoint.dsl.ope.Estimator.DiscountedRatio;
import dev.fixpoint.dsl.ope.Estimator.Dm;
import dev.fixpoint.dsl.ope.Estimator.Dr;
import dev.fixpoint.dsl.ope.Estimator.Is;
import dev.fixpoint.dsl.ope.Estimator.Mis;
import dev.fixpoint.dsl.ope.Estimator.MisCounts;
import dev.fixpoint.dsl.ope.Estimator.OnPolicy;
import dev.fixpoint.dsl.ope.Estimator.Pdis;
import dev.fixpoint.dsl.ope.Estimator.Wdr;
import dev.fixpoint.dsl.ope.Estimator.Wis;
import dev.fixpoint.dsl.ope.Estimator.Wpdis;
import dev.fixpoint.dsl.ope.StepRatios;
import dev.fixpoint.dsl.ope.TimeIndexedQ;
import java.util.Arrays;
import org.apache.commons.math3.fraction.BigFraction;
import org.jspecify.annotations.Nullable;

/**
 * Backward recursions for E[X] and E[X^2] of per-trajectory estimators (spec estimators.md
 * section 3, "for E and Var only"). For PDIS, DR, MIS and MC the tail from t is w_{0:t-1} Y_t
 * with Y_t = alpha_t(s, a, s') + beta(s, a) Y_{t+1}(s') and Y = 0 at t = H or a terminal state, so
 * E[Y_t | s] = sum_a mu sum_k p (alpha + beta E[Y_{t+1} | s']) and E[Y_t^2 | s] = sum_a mu sum_k p
 * (alpha^2 + 2 alpha beta E[Y'] + beta^2 E[Y'^2]); X = Y_0(s_0). IS needs the pair R_t = prod_{t'
 * &gt;= t} rho_t' and Z_t = R_t sum_{t' &gt;= t} gamma^t' r_t' with R_t = rho R', Z_t = rho (gamma^t
 * r R' + Z'), carried through E[R], E[Z], E[R^2], E[RZ], E[Z^2]. O(H * entries) rational
 * operations.
 */
final class ExactRecursions {
  private ExactRecursions() {}

  /** {@return {E[X], E[X^2]} for one trajectory} */
  static BigFraction[] moments(OpeExact<?, ?> ope, Estimator e) {
    return switch (e) {
      case Is is -> isMoments(ope);
      case Dm dm -> dmMoments(ope, dm.q());
      case OnPolicy o -> linear(ope, e);
      case Pdis o -> linear(ope, e);
      case Dr o -> linear(ope, e);
      case Mis o -> linear(ope, e);
      case Wis o -> throw unsupported(e);
      case Wpdis o -> throw unsupported(e);
      case Wdr o -> throw unsupported(e);
      case Clipped o -> throw unsupported(e);
      case MisCounts o -> throw unsupported(e);
      case DiscountedRatio o -> throw unsupported(e);
    };
  }

  private static IllegalArgumentException unsupported(Estimator e) {
    return new IllegalArgumentException(e.name() + " has no (t, s) recursion");
  }

  private static BigFraction[] zeros(int n) {
    BigFraction[] z = new BigFraction[n];
    Arrays.fill(z, BigFraction.ZERO);
    return z;
  }

  private static BigFraction[] dmMoments(OpeExact<?, ?> ope, TimeIndexedQ q) {
    TabularMdp<?, ?> m = ope.mdp();
    BigFraction[] d0 = m.exact().initial();
    BigFraction e1 = BigFraction.ZERO;
    BigFraction e2 = BigFraction.ZERO;
    for (int s = 0; s < m.numStates(); s++) {
      if (Rationals.signum(d0[s]) > 0) {
        BigFraction v = ope.vHatAt(q, 0, s);
        e1 = e1.add(d0[s].multiply(v));
        e2 = e2.add(d0[s].multiply(v).multiply(v));
      }
    }
    return new BigFraction[] {e1, e2};
  }

  private static BigFraction[] linear(OpeExact<?, ?> ope, Estimator e) {
    TabularMdp<?, ?> m = ope.mdp();
    int n = m.numStates();
    int h = ope.horizon();
    BigFraction gamma = ope.gamma();
    BigFraction[] p = m.exact().prob();
    TimeIndexedQ q = e instanceof Dr dr ? dr.q() : null;
    StepRatios ratios = e instanceof Mis mis ? mis.ratios() : null;
    BigFraction[] y1 = zeros(n);
    BigFraction[] y2 = zeros(n);
    for (int t = h - 1; t >= 0; t--) {
      BigFraction[] n1 = zeros(n);
      BigFraction[] n2 = zeros(n);
      BigFraction discT = gamma.pow(t);
      BigFraction[] vh = q == null ? null : vHats(ope, q, t);
      for (int r = 0; r < m.numRows(); r++) {
        BigFraction mu = ope.muAt(r);
        if (Rationals.signum(mu) == 0) {
          continue;
        }
        int s = m.rowState(r);
        BigFraction rho = ope.piAt(r).divide(mu);
        BigFraction beta = e instanceof Pdis || e instanceof Dr ? rho : BigFraction.ONE;
        for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
          BigFraction rew = ope.entryRewardAt(k);
          BigFraction alpha = switch (e) {
            case Pdis o -> rho.multiply(rew);
            case Dr o -> vh[s].add(rho.multiply(rew.subtract(q.exactValue(t, r))));
            case Mis o -> ratios.exactValue(t, r).multiply(rew);
            default -> rew;
          };
          alpha = alpha.multiply(discT);
          int sp = m.next(k);
          BigFraction pk = mu.multiply(p[k]);
          n1[s] = n1[s].add(pk.multiply(alpha.add(beta.multiply(y1[sp]))));
          n2[s] = n2[s].add(pk.multiply(alpha.multiply(alpha)
              .add(BigFraction.TWO.multiply(alpha).multiply(beta).multiply(y1[sp]))
              .add(beta.multiply(beta).multiply(y2[sp]))));
        }
      }
      y1 = n1;
      y2 = n2;
    }
    return initial(m, y1, y2);
  }

  private static BigFraction @Nullable [] vHats(OpeExact<?, ?> ope, TimeIndexedQ q, int t) {
    int n = ope.mdp().numStates();
    BigFraction[] v = zeros(n);
    for (int s = 0; s < n; s++) {
      if (!ope.mdp().isTerminal(s)) {
        v[s] = ope.vHatAt(q, t, s);
      }
    }
    return v;
  }

  private static BigFraction[] initial(TabularMdp<?, ?> m, BigFraction[] y1, BigFraction[] y2) {
    BigFraction[] d0 = m.exact().initial();
    BigFraction e1 = BigFraction.ZERO;
    BigFraction e2 = BigFraction.ZERO;
    for (int s = 0; s < m.numStates(); s++) {
      e1 = e1.add(d0[s].multiply(y1[s]));
      e2 = e2.add(d0[s].multiply(y2[s]));
    }
    return new BigFraction[] {e1, e2};
  }

  private static BigFraction[] isMoments(OpeExact<?, ?> ope) {
    TabularMdp<?, ?> m = ope.mdp();
    int n = m.numStates();
    int h = ope.horizon();
    BigFraction gamma = ope.gamma();
    BigFraction[] p = m.exact().prob();
    // R = 1, Z = 0 at t = H and at terminal states
    BigFraction[] r1 = ones(n);
    BigFraction[] z1 = zeros(n);
    BigFraction[] r2 = ones(n);
    BigFraction[] rz = zeros(n);
    BigFraction[] z2 = zeros(n);
    for (int t = h - 1; t >= 0; t--) {
      BigFraction disc = gamma.pow(t);
      BigFraction[] nr1 = zeros(n);
      BigFraction[] nz1 = zeros(n);
      BigFraction[] nr2 = zeros(n);
      BigFraction[] nrz = zeros(n);
      BigFraction[] nz2 = zeros(n);
      for (int row = 0; row < m.numRows(); row++) {
        BigFraction mu = ope.muAt(row);
        if (Rationals.signum(mu) == 0) {
          continue;
        }
        int s = m.rowState(row);
        BigFraction rho = ope.piAt(row).divide(mu);
        BigFraction rho2 = rho.multiply(rho);
        for (int k = m.entryStart(row); k < m.entryEnd(row); k++) {
          int sp = m.next(k);
          BigFraction pk = mu.multiply(p[k]);
          BigFraction a = disc.multiply(ope.entryRewardAt(k));
          nr1[s] = nr1[s].add(pk.multiply(rho).multiply(r1[sp]));
          nz1[s] = nz1[s].add(pk.multiply(rho).multiply(a.multiply(r1[sp]).add(z1[sp])));
          nr2[s] = nr2[s].add(pk.multiply(rho2).multiply(r2[sp]));
          nrz[s] = nrz[s].add(pk.multiply(rho2).multiply(a.multiply(r2[sp]).add(rz[sp])));
          nz2[s] = nz2[s].add(pk.multiply(rho2).multiply(a.multiply(a).multiply(r2[sp])
              .add(BigFraction.TWO.multiply(a).multiply(rz[sp])).add(z2[sp])));
        }
      }
      for (int s = 0; s < n; s++) {
        if (m.isTerminal(s)) {
          nr1[s] = BigFraction.ONE;
          nr2[s] = BigFraction.ONE;
        }
      }
      r1 = nr1;
      z1 = nz1;
      r2 = nr2;
      rz = nrz;
      z2 = nz2;
    }
    return initial(m, z1, z2);
  }

  private static BigFraction[] ones(int n) {
    BigFraction[] z = new BigFraction[n];
    Arrays.fill(z, BigFraction.ONE);
    return z;
  }
}
