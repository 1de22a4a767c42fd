package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ope.Dataset;
import dev.fixpoint.tabular.learn.Trials;
import java.util.function.Function;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apiguardian.api.API;

/**
 * A coverage experiment (spec estimators.md section 4): draw R seeded datasets of n trajectories
 * from mu (trial i uses {@code Trials.generator(seed, i)}), compute an interval on each, and count
 * how often it contains the true J(pi); the fraction comes with its Clopper-Pearson (1934) exact
 * 95% interval.
 *
 * @param method the interval's method name (from the first trial)
 * @param trials R
 * @param covered how many intervals contained J(pi)
 * @param truth J(pi)
 * @param lower the Clopper-Pearson lower end for the coverage
 * @param upper the Clopper-Pearson upper end
 */
@API(status = API.Status.EXPERIMENTAL)
public record Coverage(String method, int trials, int covered, double truth, double lower,
    double upper) {

  /** {@return covered / trials} */
  public double fraction() {
    return (double) covered / trials;
  }

  /**
   * Runs the experiment.
   *
   * @param pi the target policy
   * @param mu the behaviour policy
   * @param horizon H
   * @param n trajectories per dataset
   * @param trials R &gt;= 1
   * @param seed the experiment seed
   * @param truth J(pi), e.g. {@link OpeExact#truth()}
   * @param interval the interval computed on each dataset
   * @param <S> state type
   * @param <A> action type
   * @return the coverage
   */
  public static <S, A> Coverage measure(TabularPolicy<S, A> pi, TabularPolicy<S, A> mu,
      int horizon, int n, int trials, long seed, double truth,
      Function<Dataset, Interval> interval) {
    if (trials < 1) {
      throw new ModelException("a coverage experiment needs at least one trial");
    }
    int covered = 0;
    String method = "";
    for (int i = 0; i < trials; i++) {
      Dataset d = Logging.draw(pi.mdp(), mu, horizon, n, Trials.generator(seed, i));
      Interval iv = interval.apply(d);
      method = iv.method();
      if (iv.contains(truth)) {
        covered++;
      }
    }
    double lo = covered == 0 ? 0
        : new BetaDistribution(null, covered, trials - covered + 1, 1e-12)
            .inverseCumulativeProbability(0.025);
    double hi = covered == trials ? 1
        : new BetaDistribution(null, covered + 1, trials - covered, 1e-12)
            .inverseCumulativeProbability(0.975);
    return new Coverage(method, trials, covered, truth, lo, hi);
  }

  @Override
  public String toString() {
    return String.format("%s: %d/%d = %.4f covered (95%% CP [%.4f, %.4f])", method, covered,
        trials, fraction(), lower, upper);
  }
}
