package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ope.Dataset;
import dev.fixpoint.dsl.ope.Estimator;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.distribution.TDistribution;
import org.apiguardian.api.API;

/**
 * Confidence intervals and one-sided lower bounds for J(pi) (spec estimators.md sections 4 and
 * 7.3). For per-trajectory estimators the input is X_1..X_n ({@link OpeDouble#values}), X-bar
 * their mean, s^2 = sum (X_i - X-bar)^2 / (n - 1); levels are 1 - alpha two-sided, 1 - delta
 * one-sided:
 * <ul>
 *   <li>Student t: X-bar +- t_{n-1, 1-alpha/2} s / sqrt(n) (n &gt;= 2; asymptotically exact).
 *   <li>Hoeffding (1963): X-bar +- (b - a) sqrt(ln(2/alpha) / (2n)), valid for every n when a &lt;=
 *       X &lt;= b.
 *   <li>Empirical Bernstein (Maurer and Pontil 2009, Thm 4, rescaled to [a, b], both sides with
 *       delta = alpha/2): X-bar +- [sqrt(2 s^2 ln(4/alpha) / n) + 7 (b - a) ln(4/alpha) / (3(n -
 *       1))], n &gt;= 2.
 *   <li>Percentile bootstrap (Efron 1979), any estimator: B resamples of the n episodes with
 *       replacement from a seeded generator; the interval is [x_(l), x_(u)] of the sorted
 *       recomputed estimates with l = max(1, ceil(B alpha/2)), u = ceil(B (1 - alpha/2))
 *       (1-based order statistics).
 * </ul>
 * Hoeffding and Bernstein need the range [a, b] of X: from the model ({@link OpeExact#range})
 * or given; without one ({@link Range#unknown()}) they refuse. SCOPE-RL's interval functions
 * differ (sample maximum as range, a precedence slip in Hoeffding, the 1 - alpha t quantile):
 * fixpoint does not reproduce them.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Intervals {
  private Intervals() {}

  /**
   * The range [a, b] of a per-trajectory value, or unknown.
   *
   * @param lo a
   * @param hi b
   * @param known whether the range is known
   */
  public record Range(double lo, double hi, boolean known) {
    /** Checks lo &lt;= hi when known. */
    public Range {
      if (known && !(lo <= hi)) {
        throw new ModelException("range [" + lo + ", " + hi + "] is empty or not a number");
      }
    }

    /**
     * {@return a known range}
     *
     * @param lo a
     * @param hi b
     */
    public static Range of(double lo, double hi) {
      return new Range(lo, hi, true);
    }

    /** {@return an unknown range: Hoeffding and Bernstein refuse it} */
    public static Range unknown() {
      return new Range(0, 0, false);
    }
  }

  private static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new ModelException("alpha " + alpha + " must lie in (0, 1)");
    }
  }

  private static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s / xs.length;
  }

  private static double variance(double[] xs, String method) {
    if (xs.length < 2) {
      throw new ModelException(method + " needs n >= 2 values, got " + xs.length);
    }
    double m = mean(xs);
    double s = 0;
    for (double x : xs) {
      s += (x - m) * (x - m);
    }
    return s / (xs.length - 1);
  }

  private static double checkRange(double[] xs, Range range, String method) {
    if (!range.known()) {
      throw new ModelException(method + " needs the range [a, b] of X: give it, or take it from "
          + "the model with OpeExact.range(estimator); refused without one");
    }
    for (int i = 0; i < xs.length; i++) {
      if (xs[i] < range.lo() - 1e-12 * Math.abs(range.lo())
          || xs[i] > range.hi() + 1e-12 * Math.abs(range.hi())) {
        throw new ModelException(method + ": value " + xs[i] + " of trajectory " + i
            + " lies outside the range [" + range.lo() + ", " + range.hi() + "]");
      }
    }
    return range.hi() - range.lo();
  }

  private static double tQuantile(int df, double p) {
    return new TDistribution(null, df, 1e-12).inverseCumulativeProbability(p);
  }

  /**
   * {@return the two-sided Student t interval}
   *
   * @param xs the per-trajectory values
   * @param alpha 1 - level
   */
  public static Interval t(double[] xs, double alpha) {
    checkAlpha(alpha);
    double s = Math.sqrt(variance(xs, "the t interval"));
    double m = mean(xs);
    double half = tQuantile(xs.length - 1, 1 - alpha / 2) * s / Math.sqrt(xs.length);
    return new Interval("t", m, m - half, m + half, 1 - alpha, xs.length);
  }

  /**
   * {@return the two-sided Hoeffding interval}
   *
   * @param xs the per-trajectory values
   * @param alpha 1 - level
   * @param range [a, b] containing every X
   */
  public static Interval hoeffding(double[] xs, double alpha, Range range) {
    checkAlpha(alpha);
    double width = checkRange(xs, range, "Hoeffding");
    double m = mean(xs);
    double half = width * Math.sqrt(Math.log(2 / alpha) / (2.0 * xs.length));
    return new Interval("hoeffding", m, m - half, m + half, 1 - alpha, xs.length);
  }

  /**
   * {@return the two-sided empirical Bernstein interval}
   *
   * @param xs the per-trajectory values, n &gt;= 2
   * @param alpha 1 - level
   * @param range [a, b] containing every X
   */
  public static Interval empiricalBernstein(double[] xs, double alpha, Range range) {
    checkAlpha(alpha);
    double width = checkRange(xs, range, "empirical Bernstein");
    double var = variance(xs, "empirical Bernstein");
    int n = xs.length;
    double l = Math.log(4 / alpha);
    double half = Math.sqrt(2 * var * l / n) + 7 * width * l / (3.0 * (n - 1));
    double m = mean(xs);
    return new Interval("empirical-bernstein", m, m - half, m + half, 1 - alpha, n);
  }

  /**
   * The seeded percentile bootstrap of any estimator (class comment for the quantile rule).
   *
   * @param e the estimator
   * @param pi the target policy
   * @param data the data
   * @param alpha 1 - level
   * @param resamples B &gt;= 1
   * @param rng the generator (advanced)
   * @param <S> state type
   * @param <A> action type
   * @return the interval
   */
  public static <S, A> Interval bootstrap(Estimator e, TabularPolicy<S, A> pi, Dataset data,
      double alpha, int resamples, RandomGenerator rng) {
    checkAlpha(alpha);
    double[] xs = resampled(e, pi, data, resamples, rng);
    int lo = Math.max(1, (int) Math.ceil(resamples * alpha / 2));
    int hi = Math.max(1, (int) Math.ceil(resamples * (1 - alpha / 2)));
    return new Interval("bootstrap(B = " + resamples + ")", OpeDouble.estimate(e, pi, data),
        xs[lo - 1], xs[hi - 1], 1 - alpha, data.numEpisodes());
  }

  private static double[] resampled(Estimator e, TabularPolicy<?, ?> pi, Dataset data,
      int resamples, RandomGenerator rng) {
    if (resamples < 1) {
      throw new ModelException("the bootstrap needs B >= 1 resamples, got " + resamples);
    }
    int n = data.numEpisodes();
    double[] xs = new double[resamples];
    int[] pick = new int[n];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < n; i++) {
        pick[i] = rng.nextInt(n);
      }
      xs[b] = OpeDouble.estimate(e, pi, data.select(pick));
    }
    Arrays.sort(xs);
    return xs;
  }

  // ---------------------------------------------------------------- one-sided lower bounds

  /**
   * {@return the Hoeffding lower bound X-bar - (b - a) sqrt(ln(1/delta) / (2n)), valid for every n}
   *
   * @param xs the per-trajectory values
   * @param delta 1 - level
   * @param range [a, b]
   */
  public static Interval lowerHoeffding(double[] xs, double delta, Range range) {
    checkAlpha(delta);
    double width = checkRange(xs, range, "Hoeffding");
    double m = mean(xs);
    return new Interval("lower-hoeffding", m,
        m - width * Math.sqrt(Math.log(1 / delta) / (2.0 * xs.length)), Double.POSITIVE_INFINITY,
        1 - delta, xs.length);
  }

  /**
   * {@return the empirical Bernstein lower bound X-bar - sqrt(2 s^2 ln(2/delta) / n) - 7 (b - a)
   * ln(2/delta) / (3(n - 1)) (Maurer and Pontil 2009, Thm 4, one side)}
   *
   * @param xs the per-trajectory values, n &gt;= 2
   * @param delta 1 - level
   * @param range [a, b]
   */
  public static Interval lowerBernstein(double[] xs, double delta, Range range) {
    checkAlpha(delta);
    double width = checkRange(xs, range, "empirical Bernstein");
    double var = variance(xs, "empirical Bernstein");
    int n = xs.length;
    double l = Math.log(2 / delta);
    double m = mean(xs);
    return new Interval("lower-empirical-bernstein", m,
        m - Math.sqrt(2 * var * l / n) - 7 * width * l / (3.0 * (n - 1)),
        Double.POSITIVE_INFINITY, 1 - delta, n);
  }

  /**
   * {@return the t lower bound X-bar - t_{n-1, 1-delta} s / sqrt(n) (asymptotic only)}
   *
   * @param xs the per-trajectory values, n &gt;= 2
   * @param delta 1 - level
   */
  public static Interval lowerT(double[] xs, double delta) {
    checkAlpha(delta);
    double s = Math.sqrt(variance(xs, "the t bound"));
    double m = mean(xs);
    return new Interval("lower-t", m,
        m - tQuantile(xs.length - 1, 1 - delta) * s / Math.sqrt(xs.length),
        Double.POSITIVE_INFINITY, 1 - delta, xs.length);
  }

  /**
   * The percentile-bootstrap lower bound: the order statistic max(1, ceil(B delta)) of the
   * recomputed estimates (asymptotic only; any estimator).
   *
   * @param e the estimator
   * @param pi the target policy
   * @param data the data
   * @param delta 1 - level
   * @param resamples B
   * @param rng the generator
   * @param <S> state type
   * @param <A> action type
   * @return the bound
   */
  public static <S, A> Interval lowerBootstrap(Estimator e, TabularPolicy<S, A> pi, Dataset data,
      double delta, int resamples, RandomGenerator rng) {
    checkAlpha(delta);
    double[] xs = resampled(e, pi, data, resamples, rng);
    int lo = Math.max(1, (int) Math.ceil(resamples * delta));
    return new Interval("lower-bootstrap(B = " + resamples + ")", OpeDouble.estimate(e, pi, data),
        xs[lo - 1], Double.POSITIVE_INFINITY, 1 - delta, data.numEpisodes());
  }
}
