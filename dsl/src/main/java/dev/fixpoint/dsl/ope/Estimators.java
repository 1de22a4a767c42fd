package dev.fixpoint.dsl.ope;

import org.apiguardian.api.API;

/**
 * Factories for the {@link Estimator} family (spec estimators.md section 2): each returns a value
 * that the interpreters in {@code dev.fixpoint.tabular.ope} evaluate on a dataset (double) or
 * analyse exactly (distribution, bias, variance, MSE).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Estimators {
  private Estimators() {}

  /** {@return on-policy Monte Carlo, the mean of G: estimates J(mu)} */
  public static Estimator onPolicy() {
    return new Estimator.OnPolicy();
  }

  /** {@return trajectory-wise importance sampling, w_{0:T-1} G} */
  public static Estimator is() {
    return new Estimator.Is();
  }

  /** {@return per-decision importance sampling, sum_t gamma^t w_{0:t} r_t} */
  public static Estimator pdis() {
    return new Estimator.Pdis();
  }

  /** {@return weighted (self-normalised) importance sampling} */
  public static Estimator wis() {
    return new Estimator.Wis();
  }

  /** {@return weighted per-decision importance sampling (CWPDIS)} */
  public static Estimator wpdis() {
    return new Estimator.Wpdis();
  }

  /**
   * {@return the direct method V-hat_0(s_0)}
   *
   * @param q the time-indexed model
   */
  public static Estimator dm(TimeIndexedQ q) {
    return new Estimator.Dm(q);
  }

  /**
   * {@return per-decision doubly robust}
   *
   * @param q the time-indexed model, fixed before the data are used
   */
  public static Estimator dr(TimeIndexedQ q) {
    return new Estimator.Dr(q);
  }

  /**
   * {@return weighted doubly robust}
   *
   * @param q the time-indexed model
   */
  public static Estimator wdr(TimeIndexedQ q) {
    return new Estimator.Wdr(q);
  }

  /**
   * {@return marginalised importance sampling with the given time-indexed ratios}
   *
   * @param ratios w-hat_t(s, a)
   */
  public static Estimator mis(StepRatios ratios) {
    return new Estimator.Mis(ratios);
  }

  /** {@return marginalised IS with count-based ratios from the same data (Xie, Ma, Wang 2019)} */
  public static Estimator misCounts() {
    return new Estimator.MisCounts();
  }

  /**
   * {@return the discounted state-action ratio estimator with a stationary ratio w over rows}
   *
   * @param ratio w = d^pi_{gamma,H} / d^D per row, as a one-step table
   */
  public static Estimator discountedRatio(StepRatios ratio) {
    return new Estimator.DiscountedRatio(ratio);
  }

  /**
   * {@return IS or PDIS with the cumulative weight clipped at c}
   *
   * @param c the level, &gt; 0 or +infinity
   * @param inner {@link #is()} or {@link #pdis()}
   */
  public static Estimator clipped(double c, Estimator inner) {
    return new Estimator.Clipped(c, inner);
  }
}
