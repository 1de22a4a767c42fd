package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ope.Dataset;
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
import org.apiguardian.api.API;

/**
 * The fast interpreter: evaluates an {@link Estimator} on a logged {@link Dataset} in double
 * arithmetic over primitive arrays, O(n H |A|) time. The formulas are those of spec
 * estimators.md section 2 (restated on each {@link Estimator} variant); episodes shorter than H
 * are padded with r = 0, rho = 1, Q-hat = 0. Degenerate cases follow section 7.5: WIS with every
 * weight 0 gives 0, a WPDIS/WDR step whose weights sum to 0 contributes 0; no NaN is returned.
 *
 * <p>The weights rho_t = pi(a_t|s_t) / mu(a_t|s_t) use the logged mu. Products of weights are
 * formed directly (not in log space): with weights in a finite model and H in the hundreds this
 * stays in range; a non-finite result is refused.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class OpeDouble {
  private OpeDouble() {}

  /**
   * Evaluates the estimator on the data, after checking the support condition of pi against the
   * behaviour policy mu on the model (weighted estimators only; {@link Support#check}).
   *
   * @param e the estimator
   * @param pi the target policy
   * @param mu the behaviour policy that logged the data
   * @param data the dataset (indices of pi's model)
   * @param <S> state type
   * @param <A> action type
   * @return the estimate of J(pi)
   * @throws ModelException on a support violation (naming state and action) or data that do not
   *     fit the model
   */
  public static <S, A> double estimate(Estimator e, TabularPolicy<S, A> pi,
      TabularPolicy<S, A> mu, Dataset data) {
    if (e.isWeighted()) {
      Support.check(pi, mu, data.horizon());
    }
    return estimate(e, pi, data);
  }

  /**
   * Evaluates the estimator on the data. No support check is possible from the data alone (mu is
   * logged only for the actions taken); use {@link #estimate(Estimator, TabularPolicy,
   * TabularPolicy, Dataset)} when mu is known.
   *
   * @param e the estimator
   * @param pi the target policy
   * @param data the dataset
   * @param <S> state type
   * @param <A> action type
   * @return the estimate of J(pi)
   * @throws ModelException when a logged state or action does not fit the model, or a model's
   *     horizon is shorter than the data's
   */
  public static <S, A> double estimate(Estimator e, TabularPolicy<S, A> pi, Dataset data) {
    int[] rows = rows(pi.mdp(), data);
    return switch (e) {
      case Wis w -> wis(pi, data, rows);
      case Wpdis w -> wpdis(pi, data, rows);
      case Wdr w -> wdr(w.q(), pi, data, rows);
      case OnPolicy o -> mean(perTrajectory(e, pi, data, rows));
      case Is o -> mean(perTrajectory(e, pi, data, rows));
      case Pdis o -> mean(perTrajectory(e, pi, data, rows));
      case Dm o -> mean(perTrajectory(e, pi, data, rows));
      case Dr o -> mean(perTrajectory(e, pi, data, rows));
      case Mis o -> mean(perTrajectory(e, pi, data, rows));
      case Clipped o -> mean(perTrajectory(e, pi, data, rows));
      case MisCounts o -> mean(perTrajectory(new Mis(Occupancy.countRatios(pi, data)), pi, data,
          rows));
      case DiscountedRatio dr -> discountedRatio(dr.ratio(), pi, data, rows);
    };
  }

  /**
   * The per-trajectory values X(tau_i) of a per-trajectory estimator, whose mean is the estimate;
   * the input of the t, Hoeffding and Bernstein intervals.
   *
   * @param e a per-trajectory estimator ({@link Estimator#isPerTrajectory()})
   * @param pi the target policy
   * @param data the dataset
   * @param <S> state type
   * @param <A> action type
   * @return X(tau_i), i = 0..n-1
   * @throws ModelException for a self-normalised estimator (it is not a mean of per-trajectory
   *     values)
   */
  public static <S, A> double[] values(Estimator e, TabularPolicy<S, A> pi, Dataset data) {
    if (!e.isPerTrajectory()) {
      throw new ModelException(e.name() + " is self-normalised: it has no per-trajectory values "
          + "(use the bootstrap for its intervals)");
    }
    return perTrajectory(e, pi, data, rows(pi.mdp(), data));
  }

  /**
   * The rows (state, action) of each logged step, checked against the model.
   *
   * @param m the model
   * @param data the data
   * @return the row of each step
   */
  static int[] rows(TabularMdp<?, ?> m, Dataset data) {
    int[] rows = new int[data.numSteps()];
    for (int k = 0; k < rows.length; k++) {
      int s = data.state(k);
      int a = data.action(k);
      if (s >= m.numStates() || a >= m.numActions()) {
        throw new ModelException("dataset row " + k + ": state " + s + " or action " + a
            + " outside the model " + m.name() + " (" + m.numStates() + " states, "
            + m.numActions() + " actions)");
      }
      int r = m.row(s, a);
      if (r < 0) {
        throw new ModelException("dataset row " + k + ": action " + m.actions().value(a)
            + " is not available in state " + m.states().value(s));
      }
      rows[k] = r;
    }
    return rows;
  }

  private static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return finite(s / xs.length);
  }

  private static double finite(double x) {
    if (!Double.isFinite(x)) {
      throw new ModelException("the estimate overflowed to " + x + " (importance weights too "
          + "large for double arithmetic)");
    }
    return x;
  }

  private static void checkHorizon(String what, int modelHorizon, Dataset d) {
    if (modelHorizon < d.horizon()) {
      throw new ModelException(what + " has " + modelHorizon + " time steps; the data need "
          + d.horizon());
    }
  }

  private static double vHat(TimeIndexedQ q, TabularPolicy<?, ?> pi, int t, int s) {
    TabularMdp<?, ?> m = pi.mdp();
    double v = 0;
    for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
      v += pi.probAt(r) * q.value(t, r);
    }
    return v;
  }

  private static double[] perTrajectory(Estimator e, TabularPolicy<?, ?> pi, Dataset d,
      int[] rows) {
    double gamma = pi.mdp().discount();
    int n = d.numEpisodes();
    double[] out = new double[n];
    double c = e instanceof Clipped cl ? cl.c() : Double.POSITIVE_INFINITY;
    Estimator base = e instanceof Clipped cl ? cl.inner() : e;
    TimeIndexedQ q = switch (base) {
      case Dm dm -> dm.q();
      case Dr dr -> dr.q();
      default -> null;
    };
    if (q != null) {
      checkHorizon("Q-hat", q.horizon(), d);
    }
    StepRatios ratios = base instanceof Mis mis ? mis.ratios() : null;
    if (ratios != null) {
      checkHorizon("the MIS ratios", ratios.horizon(), d);
    }
    for (int i = 0; i < n; i++) {
      int from = d.start(i);
      int len = d.length(i);
      double x = 0;
      double g = 0;
      double w = 1;
      double disc = 1;
      if (base instanceof Dm && q != null) {
        out[i] = vHat(q, pi, 0, d.state(from));
        continue;
      }
      for (int t = 0; t < len; t++) {
        int k = from + t;
        double r = d.reward(k);
        double wPrev = w;
        w *= pi.probAt(rows[k]) / d.behaviourProb(k);
        g += disc * r;
        if (base instanceof Pdis) {
          x += disc * Math.min(w, c) * r;
        } else if (base instanceof Dr && q != null) {
          x += disc * (w * (r - q.value(t, rows[k])) + wPrev * vHat(q, pi, t, d.state(k)));
        } else if (ratios != null) {
          x += disc * ratios.value(t, rows[k]) * r;
        }
        disc *= gamma;
      }
      out[i] = switch (base) {
        case Is is -> Math.min(w, c) * g;
        case OnPolicy o -> g;
        default -> x;
      };
    }
    return out;
  }

  private static double discountedRatio(StepRatios w, TabularPolicy<?, ?> pi, Dataset d,
      int[] rows) {
    double gamma = pi.mdp().discount();
    int h = d.horizon();
    double factor = gamma == 1 ? h : (1 - Math.pow(gamma, h)) / (1 - gamma);
    double s = 0;
    for (int k = 0; k < rows.length; k++) {
      s += w.value(0, rows[k]) * d.reward(k);
    }
    return finite(factor * s / rows.length);
  }

  private static double wis(TabularPolicy<?, ?> pi, Dataset d, int[] rows) {
    double gamma = pi.mdp().discount();
    double num = 0;
    double den = 0;
    for (int i = 0; i < d.numEpisodes(); i++) {
      double w = 1;
      double g = 0;
      double disc = 1;
      for (int k = d.start(i); k < d.start(i + 1); k++) {
        w *= pi.probAt(rows[k]) / d.behaviourProb(k);
        g += disc * d.reward(k);
        disc *= gamma;
      }
      num += w * g;
      den += w;
    }
    return den == 0 ? 0 : finite(num / den);
  }

  /** Cumulative padded weights w_{0:t} for t = 0..H-1 of episode i, into out. */
  private static void weights(TabularPolicy<?, ?> pi, Dataset d, int[] rows, int i,
      double[] out) {
    double w = 1;
    int from = d.start(i);
    int len = d.length(i);
    for (int t = 0; t < out.length; t++) {
      if (t < len) {
        w *= pi.probAt(rows[from + t]) / d.behaviourProb(from + t);
      }
      out[t] = w;
    }
  }

  private static double wpdis(TabularPolicy<?, ?> pi, Dataset d, int[] rows) {
    int h = d.horizon();
    double gamma = pi.mdp().discount();
    double[] num = new double[h];
    double[] den = new double[h];
    double[] w = new double[h];
    for (int i = 0; i < d.numEpisodes(); i++) {
      weights(pi, d, rows, i, w);
      int from = d.start(i);
      for (int t = 0; t < h; t++) {
        den[t] += w[t];
        if (t < d.length(i)) {
          num[t] += w[t] * d.reward(from + t);
        }
      }
    }
    double v = 0;
    double disc = 1;
    for (int t = 0; t < h; t++) {
      if (den[t] != 0) {
        v += disc * num[t] / den[t];
      }
      disc *= gamma;
    }
    return finite(v);
  }

  private static double wdr(TimeIndexedQ q, TabularPolicy<?, ?> pi, Dataset d, int[] rows) {
    checkHorizon("Q-hat", q.horizon(), d);
    int h = d.horizon();
    int n = d.numEpisodes();
    double gamma = pi.mdp().discount();
    double[] norm = new double[h];
    double[] w = new double[h];
    for (int i = 0; i < n; i++) {
      weights(pi, d, rows, i, w);
      for (int t = 0; t < h; t++) {
        norm[t] += w[t];
      }
    }
    for (int t = 0; t < h; t++) {
      norm[t] /= n;
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      weights(pi, d, rows, i, w);
      int from = d.start(i);
      double disc = 1;
      double prev = 1;
      for (int t = 0; t < d.length(i); t++) {
        int k = from + t;
        double cur = norm[t] == 0 ? 0 : w[t] / norm[t];
        total += disc * (cur * (d.reward(k) - q.value(t, rows[k]))
            + prev * vHat(q, pi, t, d.state(k)));
        prev = cur;
        disc *= gamma;
      }
    }
    return finite(total / n);
  }
}
