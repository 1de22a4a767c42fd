package dev.fixpoint.tabular.ope;

import org.apiguardian.api.API;

/**
 * A confidence interval (or a one-sided lower bound, then {@code upper} is +infinity) for J(pi).
 *
 * @param method how it was computed ("t", "hoeffding", "empirical-bernstein", "bootstrap" and the
 *     lower-bound variants), with its parameters
 * @param estimate the point estimate
 * @param lower the lower end
 * @param upper the upper end (+infinity for a lower bound)
 * @param level the nominal level 1 - alpha (or 1 - delta)
 * @param n the number of trajectories
 */
@API(status = API.Status.EXPERIMENTAL)
public record Interval(String method, double estimate, double lower, double upper, double level,
    int n) {

  /**
   * {@return whether x lies in [lower, upper]}
   *
   * @param x a value
   */
  public boolean contains(double x) {
    return lower <= x && x <= upper;
  }

  /** {@return upper - lower} */
  public double width() {
    return upper - lower;
  }

  @Override
  public String toString() {
    return String.format("%s: %.6g in [%.6g, %.6g] at level %.4g (n = %d)", method, estimate,
        lower, upper, level, n);
  }
}
