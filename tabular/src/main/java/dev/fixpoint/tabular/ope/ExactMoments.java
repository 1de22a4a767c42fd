package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.Rationals;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The exact first two moments of an estimate computed from n logged trajectories (spec
 * estimators.md section 3): E[J-hat], Var[J-hat], the truth J(pi), and from them bias = E - J and
 * MSE = bias^2 + Var, all rational.
 *
 * @param estimator the estimator's name
 * @param n the number of trajectories in the dataset
 * @param mean E[J-hat]
 * @param variance Var[J-hat] (for a per-trajectory estimator Var[X]/n)
 * @param truth J(pi)
 * @param method how the moments were obtained (closed form, backward recursion, multiset
 *     enumeration with its size)
 */
@API(status = API.Status.EXPERIMENTAL)
public record ExactMoments(String estimator, int n, BigFraction mean, BigFraction variance,
    BigFraction truth, String method) {

  /** Checks the components. */
  public ExactMoments {
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(variance, "variance");
    Objects.requireNonNull(truth, "truth");
    if (n < 1) {
      throw new IllegalArgumentException("n = " + n + " must be >= 1");
    }
  }

  /** {@return bias = E[J-hat] - J(pi)} */
  public BigFraction bias() {
    return mean.subtract(truth);
  }

  /** {@return MSE = bias^2 + Var} */
  public BigFraction mse() {
    BigFraction b = bias();
    return b.multiply(b).add(variance);
  }

  @Override
  public String toString() {
    return String.format("%s (n = %d): E = %.6g, bias = %.6g, Var = %.6g, MSE = %.6g, J = %.6g [%s]",
        estimator, n, Rationals.toDouble(mean), Rationals.toDouble(bias()),
        Rationals.toDouble(variance), Rationals.toDouble(mse()), Rationals.toDouble(truth),
        method);
  }
}
