package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.Rationals;
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
import dev.fixpoint.tabular.ope.OpeExact.Path;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.jspecify.annotations.Nullable;

/**
 * The exact value of every estimator on a given list of trajectories (spec estimators.md section
 * 2, in rational arithmetic): the rational twin of {@link OpeDouble}, used by the enumerations of
 * {@link OpeExact} (single trajectories and multisets) and by its public {@code value} and
 * {@code countRatios}. Model quantities (rho, w_{0:t}, V-hat_t, G) come from the analysis.
 */
final class ExactValues {
  private ExactValues() {}

  /**
   * The exact value of an estimator on a dataset made of the given trajectories (repeats
   * allowed): the same formulas as {@link OpeDouble}, in rational arithmetic.
   *
   * @param e the estimator (its Q-hat or ratios exact)
   * @param data the trajectories
   * @return the estimate
   */
  static BigFraction value(OpeExact<?, ?> x, Estimator e, List<Path> data) {
    if (data.isEmpty()) {
      throw new IllegalArgumentException("an estimate needs at least one trajectory");
    }
    return switch (e) {
      case Wis w -> wis(x, data);
      case Wpdis w -> wdr(x, null, data);
      case Wdr w -> wdr(x, w.q(), data);
      case OnPolicy o -> meanOf(x, e, data);
      case Is o -> meanOf(x, e, data);
      case Pdis o -> meanOf(x, e, data);
      case Dm o -> meanOf(x, e, data);
      case Dr o -> meanOf(x, e, data);
      case Mis o -> meanOf(x, e, data);
      case Clipped o -> meanOf(x, e, data);
      case MisCounts o -> meanOf(x, new Mis(countRatios(x, data)), data);
      case DiscountedRatio dr -> discountedRatioValue(x, dr.ratio(), data);
    };
  }

  /**
   * {@return the count-based ratios of Xie, Ma and Wang (2019) on a dataset of trajectories,
   * exactly: the rational twin of {@link Occupancy#countRatios}}
   *
   * @param data the trajectories
   */
  static StepRatios countRatios(OpeExact<?, ?> x, List<Path> data) {
    int n = x.mdp().numStates();
    int nr = x.mdp().numRows();
    BigFraction size = new BigFraction(data.size());
    int[][] stateCount = new int[x.horizon()][n];
    int[][] rowCount = new int[x.horizon()][nr];
    int[][] trans = new int[x.horizon()][nr * n];
    for (Path p : data) {
      for (int t = 0; t < p.length(); t++) {
        stateCount[t][p.states()[t]]++;
        rowCount[t][p.rows()[t]]++;
        if (t + 1 < p.length()) {
          trans[t][p.rows()[t] * n + p.states()[t + 1]]++;
        }
      }
    }
    BigFraction[][] w = new BigFraction[x.horizon()][];
    BigFraction[] dPi = new BigFraction[n];
    for (int s = 0; s < n; s++) {
      dPi[s] = new BigFraction(stateCount[0][s]).divide(size);
    }
    for (int t = 0; t < x.horizon(); t++) {
      w[t] = OpeExact.zeros(nr);
      BigFraction[] next = OpeExact.zeros(n);
      for (int r = 0; r < nr; r++) {
        if (rowCount[t][r] == 0) {
          continue;
        }
        int s = x.mdp().rowState(r);
        BigFraction dMu = new BigFraction(stateCount[t][s]).divide(size);
        w[t][r] = dPi[s].divide(dMu).multiply(x.rho(r));
        BigFraction mass = dPi[s].multiply(x.piAt(r)).divide(rowCount[t][r]);
        for (int sp = 0; sp < n; sp++) {
          int c = trans[t][r * n + sp];
          if (c > 0) {
            next[sp] = next[sp].add(mass.multiply(c));
          }
        }
      }
      dPi = next;
    }
    return StepRatios.ofExact(w);
  }

  private static BigFraction discountedRatioValue(OpeExact<?, ?> x, StepRatios w,
      List<Path> data) {
    BigFraction factor = x.gamma().equals(BigFraction.ONE) ? new BigFraction(x.horizon())
        : BigFraction.ONE.subtract(x.gamma().pow(x.horizon())).divide(BigFraction.ONE.subtract(x.gamma()));
    BigFraction s = BigFraction.ZERO;
    int steps = 0;
    for (Path p : data) {
      for (int t = 0; t < p.length(); t++) {
        s = s.add(w.exactValue(0, p.rows()[t]).multiply(p.rewards()[t]));
      }
      steps += p.length();
    }
    return factor.multiply(s).divide(steps);
  }

  private static BigFraction meanOf(OpeExact<?, ?> x, Estimator e, List<Path> data) {
    BigFraction s = BigFraction.ZERO;
    for (Path p : data) {
      s = s.add(single(x, e, p));
    }
    return s.divide(data.size());
  }

  /** X(tau) of a per-trajectory estimator. */
  static BigFraction single(OpeExact<?, ?> x, Estimator e, Path path) {
    BigFraction c = null;
    Estimator base = e;
    if (e instanceof Clipped cl) {
      base = cl.inner();
      if (!Double.isInfinite(cl.c())) {
        c = Rationals.fromDouble(cl.c());
      }
    }
    if (base instanceof Dm dm) {
      x.checkHorizon("Q-hat", dm.q().horizon());
      return x.vHat(dm.q(), 0, path.states()[0]);
    }
    TimeIndexedQ q = base instanceof Dr dr ? dr.q() : null;
    if (q != null) {
      x.checkHorizon("Q-hat", q.horizon());
    }
    StepRatios ratios = base instanceof Mis mis ? mis.ratios() : null;
    if (ratios != null) {
      x.checkHorizon("the MIS ratios", ratios.horizon());
    }
    BigFraction acc = BigFraction.ZERO;
    BigFraction g = BigFraction.ZERO;
    BigFraction w = BigFraction.ONE;
    BigFraction disc = BigFraction.ONE;
    for (int t = 0; t < path.length(); t++) {
      int row = path.rows()[t];
      BigFraction r = path.rewards()[t];
      BigFraction wPrev = w;
      w = w.multiply(x.rho(row));
      g = g.add(disc.multiply(r));
      if (base instanceof Pdis) {
        acc = acc.add(disc.multiply(clip(w, c)).multiply(r));
      } else if (q != null) {
        acc = acc.add(disc.multiply(w.multiply(r.subtract(q.exactValue(t, row)))
            .add(wPrev.multiply(x.vHat(q, t, path.states()[t])))));
      } else if (ratios != null) {
        acc = acc.add(disc.multiply(ratios.exactValue(t, row)).multiply(r));
      }
      disc = disc.multiply(x.gamma());
    }
    if (base instanceof Is) {
      return clip(w, c).multiply(g);
    }
    return base instanceof OnPolicy ? g : acc;
  }

  static BigFraction clip(BigFraction w, @Nullable BigFraction c) {
    return c != null && w.compareTo(c) > 0 ? c : w;
  }

  private static BigFraction wis(OpeExact<?, ?> x, List<Path> data) {
    BigFraction num = BigFraction.ZERO;
    BigFraction den = BigFraction.ZERO;
    for (Path p : data) {
      BigFraction w = x.weights(p)[x.horizon() - 1];
      num = num.add(w.multiply(x.discountedReturn(p)));
      den = den.add(w);
    }
    return Rationals.signum(den) == 0 ? BigFraction.ZERO : num.divide(den);
  }

  /** WDR with model q; with q == null the Q-hat terms vanish and this is WPDIS. */
  private static BigFraction wdr(OpeExact<?, ?> x, @Nullable TimeIndexedQ q,
      List<Path> data) {
    if (q != null) {
      x.checkHorizon("Q-hat", q.horizon());
    }
    int n = data.size();
    BigFraction[][] w = new BigFraction[n][];
    BigFraction[] norm = OpeExact.zeros(x.horizon());
    for (int i = 0; i < n; i++) {
      w[i] = x.weights(data.get(i));
      for (int t = 0; t < x.horizon(); t++) {
        norm[t] = norm[t].add(w[i][t]);
      }
    }
    BigFraction total = BigFraction.ZERO;
    for (int i = 0; i < n; i++) {
      Path p = data.get(i);
      BigFraction disc = BigFraction.ONE;
      BigFraction prev = BigFraction.ONE;
      for (int t = 0; t < p.length(); t++) {
        // w-bar_t = w_{0:t} / ((1/n) sum_j w_{0:t}^(j)) = n w_{0:t} / sum_j w_{0:t}^(j)
        BigFraction cur = Rationals.signum(norm[t]) == 0 ? BigFraction.ZERO
            : w[i][t].multiply(n).divide(norm[t]);
        BigFraction r = p.rewards()[t];
        BigFraction term = q == null ? cur.multiply(r)
            : cur.multiply(r.subtract(q.exactValue(t, p.rows()[t])))
                .add(prev.multiply(x.vHat(q, t, p.states()[t])));
        total = total.add(disc.multiply(term));
        prev = cur;
        disc = disc.multiply(x.gamma());
      }
    }
    return total.divide(n);
  }
}
