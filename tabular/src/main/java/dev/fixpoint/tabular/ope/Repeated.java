package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ope.Dataset;
import dev.fixpoint.dsl.ope.Estimator;
import dev.fixpoint.tabular.learn.Trials;
import org.apiguardian.api.API;

/**
 * Per-policy error of an estimator across repeated datasets, by simulation (spec estimators.md
 * section 7.4): R datasets of n trajectories (dataset i drawn with {@code Trials.generator(seed,
 * i)}), the estimates' mean, sample variance (R - 1 denominator), bias = mean - J and MSE = mean of
 * (Jhat - J)^2 with its standard error sd((Jhat - J)^2)/sqrt(R). Compare with the exact values of
 * {@link OpeExact#moments(Estimator, int)} where available.
 *
 * @param estimator the estimator's name
 * @param n trajectories per dataset
 * @param trials R
 * @param truth J(pi)
 * @param mean the mean estimate
 * @param variance the sample variance of the estimates
 * @param mse the mean squared error
 * @param mseStandardError the standard error of the MSE
 */
@API(status = API.Status.EXPERIMENTAL)
public record Repeated(String estimator, int n, int trials, double truth, double mean,
    double variance, double mse, double mseStandardError) {

  /** {@return mean - J} */
  public double bias() {
    return mean - truth;
  }

  /**
   * Runs the simulation.
   *
   * @param e the estimator
   * @param pi the target policy
   * @param mu the behaviour policy
   * @param horizon H
   * @param n trajectories per dataset
   * @param trials R &gt;= 2
   * @param seed the experiment seed
   * @param truth J(pi)
   * @param <S> state type
   * @param <A> action type
   * @return the summary
   */
  public static <S, A> Repeated simulate(Estimator e, TabularPolicy<S, A> pi,
      TabularPolicy<S, A> mu, int horizon, int n, int trials, long seed, double truth) {
    if (trials < 2) {
      throw new ModelException("repeated datasets need R >= 2, got " + trials);
    }
    if (e.isWeighted()) {
      Support.check(pi, mu, horizon);
    }
    double[] x = new double[trials];
    double[] sq = new double[trials];
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < trials; i++) {
      Dataset d = Logging.draw(pi.mdp(), mu, horizon, n, Trials.generator(seed, i));
      x[i] = OpeDouble.estimate(e, pi, d);
      sq[i] = (x[i] - truth) * (x[i] - truth);
      sum += x[i];
      sumSq += sq[i];
    }
    double mean = sum / trials;
    double mse = sumSq / trials;
    double v = 0;
    double vs = 0;
    for (int i = 0; i < trials; i++) {
      v += (x[i] - mean) * (x[i] - mean);
      vs += (sq[i] - mse) * (sq[i] - mse);
    }
    return new Repeated(e.name(), n, trials, truth, mean, v / (trials - 1), mse,
        Math.sqrt(vs / (trials - 1) / trials));
  }

  @Override
  public String toString() {
    return String.format("%s (n = %d, R = %d): mean %.6g, bias %.6g, Var %.6g, MSE %.6g +- %.2g",
        estimator, n, trials, mean, bias(), variance, mse, mseStandardError);
  }
}
