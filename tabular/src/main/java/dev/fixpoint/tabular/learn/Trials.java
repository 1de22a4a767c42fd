package dev.fixpoint.tabular.learn;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator.SplittableGenerator;
import java.util.stream.IntStream;
import org.apiguardian.api.API;

/**
 * Independent, reproducible trials: trial i of an experiment with seed {@code seed} draws from the
 * i-th generator split off {@code new SplittableRandom(seed)} (Steele, Lea &amp; Flood 2014,
 * "Fast splittable pseudorandom number generators", OOPSLA). All generators are split before any
 * trial runs, so a trial's result depends only on (seed, i), never on the number of threads or the
 * order in which trials finish.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Trials {
  private Trials() {}

  /**
   * {@return the generators of trials 0 .. n-1: successive {@code split()}s of {@code new
   * SplittableRandom(seed)}}
   *
   * @param seed the experiment's seed
   * @param n the number of trials, &gt;= 0
   */
  public static SplittableGenerator[] generators(long seed, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("number of trials must be >= 0, got " + n);
    }
    SplittableRandom root = new SplittableRandom(seed);
    SplittableGenerator[] out = new SplittableGenerator[n];
    for (int i = 0; i < n; i++) {
      out[i] = root.split();
    }
    return out;
  }

  /**
   * {@return the generator of trial {@code index} alone, the same as {@code generators(seed,
   * index + 1)[index]}} Costs index + 1 splits.
   *
   * @param seed the experiment's seed
   * @param index the trial, &gt;= 0
   */
  public static SplittableGenerator generator(long seed, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("trial index must be >= 0, got " + index);
    }
    SplittableRandom root = new SplittableRandom(seed);
    SplittableGenerator g = root.split();
    for (int i = 0; i < index; i++) {
      g = root.split();
    }
    return g;
  }

  /**
   * Runs n trials, in parallel on the common fork-join pool, trial i with {@code
   * generators(seed, n)[i]}; the results come back in trial order and are the same, bit for bit,
   * as a sequential run. The trial function must not share mutable state between trials.
   *
   * @param seed the experiment's seed
   * @param n the number of trials
   * @param trial the experiment, a function of its generator
   * @param <T> the result type
   * @return the results, result i from trial i
   */
  public static <T> List<T> run(long seed, int n, Function<SplittableGenerator, T> trial) {
    SplittableGenerator[] gens = generators(seed, n);
    return IntStream.range(0, n).parallel().mapToObj(i -> trial.apply(gens[i])).toList();
  }

  /**
   * {@return the element-wise mean of equally long arrays} (For learning curves averaged over
   * trials.)
   *
   * @param curves one array per trial, all of the same length, at least one
   */
  public static double[] mean(List<double[]> curves) {
    if (curves.isEmpty()) {
      throw new IllegalArgumentException("no curves to average");
    }
    int len = curves.get(0).length;
    double[] sum = new double[len];
    for (double[] c : curves) {
      if (c.length != len) {
        throw new IllegalArgumentException("curves of different lengths: " + len + " and "
            + c.length);
      }
      for (int i = 0; i < len; i++) {
        sum[i] += c[i];
      }
    }
    for (int i = 0; i < len; i++) {
      sum[i] /= curves.size();
    }
    return sum;
  }
}
