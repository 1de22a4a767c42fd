package dev.fixpoint.dsl.ope;

import dev.fixpoint.dsl.ModelException;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An off-policy estimator of J(pi) = E_pi[sum_t gamma^t r_t] as a value: the dataset is the
 * argument of its interpreters ({@code dev.fixpoint.tabular.ope.OpeDouble} on data,
 * {@code dev.fixpoint.tabular.ope.OpeExact} for the exact distribution). Notation (spec
 * estimators.md section 1): rho_t = pi(a_t|s_t) / mu(a_t|s_t), w_{0:t} = prod_{t' &lt;= t} rho_t',
 * w_{0:-1} = 1, G = sum_t gamma^t r_t; episodes shorter than H are padded with r = 0, rho = 1 and
 * Q-hat = 0. Build the variants through {@link Estimators}.
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface Estimator {

  /** {@return a short name for tables ("IS", "WDR", "clipped-PDIS(10)" ...)} */
  String name();

  /**
   * {@return whether the estimate is the mean over episodes of a per-trajectory value X(tau)}
   * Such estimators have Var = Var[X]/n exactly and take the t, Hoeffding and Bernstein intervals;
   * the self-normalised ones (WIS, WPDIS, WDR) do not.
   */
  default boolean isPerTrajectory() {
    return !(this instanceof Wis || this instanceof Wpdis || this instanceof Wdr
        || this instanceof MisCounts || this instanceof DiscountedRatio);
  }

  /** {@return whether the estimator uses importance weights (and so needs support)} */
  default boolean isWeighted() {
    return !(this instanceof Dm || this instanceof OnPolicy);
  }

  /** On-policy Monte Carlo: X = G(tau). Estimates J(mu); equals J(pi) only when pi = mu. */
  record OnPolicy() implements Estimator {
    @Override
    public String name() {
      return "MC";
    }
  }

  /** Trajectory-wise importance sampling (Precup, Sutton, Singh 2000): X = w_{0:T-1} G. */
  record Is() implements Estimator {
    @Override
    public String name() {
      return "IS";
    }
  }

  /** Per-decision importance sampling (Precup, Sutton, Singh 2000): X = sum_t gamma^t w_{0:t} r_t. */
  record Pdis() implements Estimator {
    @Override
    public String name() {
      return "PDIS";
    }
  }

  /**
   * Weighted (self-normalised) IS: sum_i w^(i) G_i / sum_i w^(i), w = w_{0:T-1}; 0 when every
   * weight is 0 (spec section 7.5).
   */
  record Wis() implements Estimator {
    @Override
    public String name() {
      return "WIS";
    }
  }

  /**
   * Weighted per-decision IS (Thomas 2015, CWPDIS): sum_t gamma^t sum_i w^(i)_{0:t} r^(i)_t /
   * sum_i w^(i)_{0:t}, ended episodes padded (r = 0, rho = 1); a t whose denominator is 0
   * contributes 0.
   */
  record Wpdis() implements Estimator {
    @Override
    public String name() {
      return "WPDIS";
    }
  }

  /**
   * Direct method: X = V-hat_0(s_0) = sum_a pi(a|s_0) Q-hat_0(s_0, a).
   *
   * @param q the model Q-hat_t
   */
  record Dm(TimeIndexedQ q) implements Estimator {
    /** Checks the model. */
    public Dm {
      Objects.requireNonNull(q, "q");
    }

    @Override
    public String name() {
      return "DM";
    }
  }

  /**
   * Per-decision doubly robust (Jiang and Li 2016; Thomas and Brunskill 2016):
   * X = sum_t gamma^t [w_{0:t} (r_t - Q-hat_t(s_t, a_t)) + w_{0:t-1} V-hat_t(s_t)].
   *
   * @param q the model Q-hat_t, fixed before the data are used
   */
  record Dr(TimeIndexedQ q) implements Estimator {
    /** Checks the model. */
    public Dr {
      Objects.requireNonNull(q, "q");
    }

    @Override
    public String name() {
      return "DR";
    }
  }

  /**
   * Weighted doubly robust (Thomas and Brunskill 2016): DR with each w_{0:t} replaced by
   * w-bar_t = w_{0:t} / ((1/n) sum_j w^(j)_{0:t}) (its own time's normaliser), w-bar_{-1} = 1,
   * w-bar_t = 0 when the normaliser is 0.
   *
   * @param q the model Q-hat_t
   */
  record Wdr(TimeIndexedQ q) implements Estimator {
    /** Checks the model. */
    public Wdr {
      Objects.requireNonNull(q, "q");
    }

    @Override
    public String name() {
      return "WDR";
    }
  }

  /**
   * Marginalised IS with given time-indexed ratios (Xie, Ma, Wang 2019): X = sum_t gamma^t
   * w-hat_t(s_t, a_t) r_t.
   *
   * @param ratios w-hat_t = d^pi_t(s, a) / d^mu_t(s, a)
   */
  record Mis(StepRatios ratios) implements Estimator {
    /** Checks the ratios. */
    public Mis {
      Objects.requireNonNull(ratios, "ratios");
    }

    @Override
    public String name() {
      return "MIS";
    }
  }

  /**
   * Marginalised IS with the count-based ratios of Xie, Ma and Wang (2019) computed from the same
   * data: d-hat^mu_t(s) = n_t(s)/n, d-hat^pi_0 the empirical d_0, d-hat^pi_{t+1}(s') = sum_{s,a}
   * d-hat^pi_t(s) pi(a|s) P-hat_t(s'|s, a) with P-hat_t the time-t empirical transitions, and
   * w-hat_t(s, a) = [d-hat^pi_t(s) / d-hat^mu_t(s)] pi(a|s)/mu(a|s). Not a per-trajectory
   * average: its exact moments come from multiset enumeration.
   */
  record MisCounts() implements Estimator {
    @Override
    public String name() {
      return "MIS-counts";
    }
  }

  /**
   * The discounted state-action ratio estimator for horizon-H data (Nachum, Chow, Dai, Li 2019,
   * DualDICE's estimator with the horizon factor of spec section 2): ((1 - gamma^H)/(1 - gamma))
   * (H when gamma = 1) times the mean over all logged steps of w(s_t, a_t) r_t, with w =
   * d^pi_{gamma,H} / d^D a stationary ratio over rows (step 0 of {@code ratio}). A ratio
   * estimator (total steps in the denominator): unbiased only when all episodes have length H.
   *
   * @param ratio w per row, as a one-step {@link StepRatios}
   */
  record DiscountedRatio(StepRatios ratio) implements Estimator {
    /** Checks the ratio. */
    public DiscountedRatio {
      Objects.requireNonNull(ratio, "ratio");
    }

    @Override
    public String name() {
      return "discounted-ratio";
    }
  }

  /**
   * Weight clipping of the cumulative weight (Ionides 2008): IS becomes min(w_{0:T-1}, c) G,
   * PDIS becomes sum_t gamma^t min(w_{0:t}, c) r_t. c = +infinity gives the inner estimator back.
   *
   * @param c the clipping level, &gt; 0 or +infinity
   * @param inner {@link Is} or {@link Pdis}
   */
  record Clipped(double c, Estimator inner) implements Estimator {
    /** Checks the level and the inner estimator. */
    public Clipped {
      Objects.requireNonNull(inner, "inner");
      if (!(c > 0)) {
        throw new ModelException("clipping level " + c + " must be > 0 (or +infinity)");
      }
      if (!(inner instanceof Is || inner instanceof Pdis)) {
        throw new ModelException("clipping applies to IS or PDIS, not " + inner.name());
      }
    }

    @Override
    public String name() {
      return "clipped-" + inner.name() + "(" + (Double.isInfinite(c) ? "inf" : c) + ")";
    }
  }
}
