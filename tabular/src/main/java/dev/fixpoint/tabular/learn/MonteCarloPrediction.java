package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Constant-alpha Monte Carlo prediction (Sutton &amp; Barto 2018, sec. 6.1, eq. 6.1): at the end
 * of an episode, with the returns G_t = R_{t+1} + gamma G_{t+1} (G_T = 0),
 *
 * <pre>V(S_t) &lt;- V(S_t) + alpha [G_t - V(S_t)],   t = 0, 1, ..., T-1 in order</pre>
 *
 * <p>at every visit, or only at the first visit of each state in the episode (sec. 5.1). The
 * order t = 0, 1, ... matters only when a state recurs; it is the order of the offline
 * lambda-return algorithm (eq. 12.4), so that {@link LambdaReturn} with lambda = 1 is this
 * learner. A cut episode's returns stop at the cap (no bootstrapping: they are biased towards 0
 * for long episodes). Cost O(T) per episode.
 *
 * @param alpha the step size, in (0, 1]
 * @param firstVisit whether only the first visit of a state in an episode is used
 */
@API(status = API.Status.EXPERIMENTAL)
public record MonteCarloPrediction(double alpha, boolean firstVisit) implements Prediction {

  /** Checks alpha. */
  public MonteCarloPrediction {
    Kernels.checkAlpha(alpha);
  }

  /**
   * {@return every-visit constant-alpha Monte Carlo}
   *
   * @param alpha in (0, 1]
   */
  public static MonteCarloPrediction of(double alpha) {
    return new MonteCarloPrediction(alpha, false);
  }

  /** {@return this learner using first visits only} */
  public MonteCarloPrediction withFirstVisit() {
    return new MonteCarloPrediction(alpha, true);
  }

  @Override
  public double[] episode(TabularMdp<?, ?> mdp, double[] values, Trajectory episode) {
    Kernels.checkStateValues(mdp, values);
    Kernels.checkTrajectory(mdp, episode);
    double[] v = values.clone();
    double gamma = mdp.discount();
    int len = episode.length();
    int[] first = firstVisit ? firstVisits(v.length, episode) : new int[0];
    double[] g = new double[len];
    double acc = 0;
    for (int t = len - 1; t >= 0; t--) {
      acc = episode.reward(t) + gamma * acc;
      g[t] = acc;
    }
    for (int t = 0; t < len; t++) {
      int s = episode.state(t);
      if (!firstVisit || first[s] == t) {
        v[s] += alpha * (g[t] - v[s]);
      }
    }
    Kernels.requireFinite(v, label());
    return v;
  }

  /** {@return for each state the first time it is visited, or -1} */
  private static int[] firstVisits(int n, Trajectory episode) {
    int[] first = new int[n];
    Arrays.fill(first, -1);
    for (int t = 0; t < episode.length(); t++) {
      int s = episode.state(t);
      if (first[s] < 0) {
        first[s] = t;
      }
    }
    return first;
  }

  @Override
  public String label() {
    return (firstVisit ? "first-visit" : "every-visit") + " constant-alpha MC, alpha " + alpha;
  }
}
