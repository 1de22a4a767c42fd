package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ope.Dataset;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Draws logged datasets: n i.i.d. episodes s_0 ~ d_0, a_t ~ mu(.|s_t), (s_{t+1}, r_t) ~ p(.|s_t,
 * a_t), each stopped at the horizon H or on reaching a terminal state, with the exact logging
 * probability mu(a_t | s_t) recorded per step (spec estimators.md section 1). The reward logged is
 * the model's E[r | s, a, s'] of the transition taken ({@link TabularMdp#entryReward(int)}).
 * Deterministic given the generator: the same seed gives the same dataset, bit for bit.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Logging {
  private Logging() {}

  /**
   * Draws a dataset.
   *
   * @param mdp the model
   * @param mu the behaviour policy, over the model's rows
   * @param horizon H &gt;= 1
   * @param n the number of episodes, &gt;= 1
   * @param rng the source of randomness (advanced)
   * @param <S> state type
   * @param <A> action type
   * @return the dataset; state and action indices are the model's
   * @throws ModelException when mu belongs to another model, H &lt; 1 or n &lt; 1, or an episode
   *     starts in a terminal state
   */
  public static <S, A> Dataset draw(TabularMdp<S, A> mdp, TabularPolicy<S, A> mu, int horizon,
      int n, RandomGenerator rng) {
    if (mu.mdp() != mdp) {
      throw new ModelException("behaviour policy belongs to " + mu.mdp().name() + ", not to "
          + mdp.name());
    }
    if (horizon < 1 || n < 1) {
      throw new ModelException("draw needs H >= 1 and n >= 1 (got H = " + horizon + ", n = " + n
          + ")");
    }
    double[] d0 = mdp.initialDistribution();
    int cap = Math.max(16, n * Math.min(horizon, 8));
    int[] start = new int[n + 1];
    int[] s = new int[cap];
    int[] a = new int[cap];
    double[] r = new double[cap];
    double[] p = new double[cap];
    int k = 0;
    for (int i = 0; i < n; i++) {
      int st = pick(d0, 0, d0.length, rng.nextDouble());
      if (mdp.isTerminal(st)) {
        throw new ModelException(mdp.name() + ": episode " + i + " starts in terminal state "
            + mdp.states().value(st) + "; a logged episode needs at least one step");
      }
      for (int t = 0; t < horizon && !mdp.isTerminal(st); t++) {
        if (k == s.length) {
          int c = 2 * s.length;
          s = Arrays.copyOf(s, c);
          a = Arrays.copyOf(a, c);
          r = Arrays.copyOf(r, c);
          p = Arrays.copyOf(p, c);
        }
        int row = pickRow(mu, mdp.rowStart(st), mdp.rowEnd(st), rng.nextDouble());
        double v = rng.nextDouble();
        int e = mdp.entryStart(row);
        int lastE = mdp.entryEnd(row) - 1;
        double accE = mdp.prob(e);
        while (e < lastE && v >= accE) {
          e++;
          accE += mdp.prob(e);
        }
        s[k] = st;
        a[k] = mdp.rowAction(row);
        r[k] = mdp.entryReward(e);
        p[k] = mu.probAt(row);
        k++;
        st = mdp.next(e);
      }
      start[i + 1] = k;
    }
    return Dataset.of(horizon, start, Arrays.copyOf(s, k), Arrays.copyOf(a, k),
        Arrays.copyOf(r, k), Arrays.copyOf(p, k));
  }

  private static int pickRow(TabularPolicy<?, ?> mu, int from, int to, double u) {
    double acc = 0;
    int lastPositive = -1;
    for (int row = from; row < to; row++) {
      double q = mu.probAt(row);
      if (q > 0) {
        acc += q;
        lastPositive = row;
        if (u < acc) {
          return row;
        }
      }
    }
    return lastPositive;
  }

  private static int pick(double[] w, int from, int to, double u) {
    double acc = 0;
    int lastPositive = from;
    for (int i = from; i < to; i++) {
      if (w[i] > 0) {
        acc += w[i];
        lastPositive = i;
        if (u < acc) {
          return i;
        }
      }
    }
    return lastPositive;
  }
}
