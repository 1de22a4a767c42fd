package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import org.apiguardian.api.API;

/**
 * The offline lambda-return algorithm, the forward view of TD(lambda) (Sutton &amp; Barto 2018,
 * sec. 12.1, eq. 12.2-12.4). V is held fixed during the episode; at its end the updates
 *
 * <pre>
 * V(S_t) &lt;- V(S_t) + alpha [G^lambda_t - V(S_t)],   t = 0, 1, ..., T-1 in order,
 * G^lambda_t = (1 - lambda) sum_{n=1}^{T-t-1} lambda^(n-1) G_{t:t+n} + lambda^(T-t-1) G_{t:T}
 * </pre>
 *
 * <p>are made one after the other (eq. 12.4: each against the V left by the previous one), where
 * every n-step return G_{t:t+n} bootstraps from the episode-start V (V(terminal) = 0). On a
 * terminated episode G_{t:T} is the Monte Carlo return; on a cut one it bootstraps from V(S_T),
 * making G^lambda_t the truncated lambda-return G^lambda_{t:T} of sec. 12.3. The returns are
 * computed backwards in O(T) by G^lambda_t = R_{t+1} + gamma [(1 - lambda) V(S_{t+1}) + lambda
 * G^lambda_{t+1}] with G^lambda_T = V(S_T).
 *
 * <p>Each update is a convex combination of V(S_t) and G^lambda_t (alpha &lt;= 1), so the values
 * stay bounded for every alpha in (0, 1], as in the book's Figure 12.3. The 1998 book's offline
 * updating instead adds all increments alpha [G^lambda_t - V_0(S_t)], computed from the
 * episode-start V_0, together: that is offline {@link TdLambda} with accumulating traces (the
 * forward and backward views, Sutton &amp; Barto 1998, sec. 7.4), and it differs from this
 * algorithm when a state recurs within an episode.
 *
 * @param alpha the step size, in (0, 1]
 * @param lambda the weighting, in [0, 1] (0: TD(0) targets, 1: Monte Carlo returns)
 */
@API(status = API.Status.EXPERIMENTAL)
public record LambdaReturn(double alpha, double lambda) implements Prediction {

  /** Checks the parameters. */
  public LambdaReturn {
    Kernels.checkAlpha(alpha);
    Kernels.checkLambda(lambda);
  }

  /**
   * {@return the offline lambda-return algorithm}
   *
   * @param alpha in (0, 1]
   * @param lambda in [0, 1]
   */
  public static LambdaReturn of(double alpha, double lambda) {
    return new LambdaReturn(alpha, lambda);
  }

  /**
   * {@return the lambda-returns G^lambda_0 .. G^lambda_{T-1} of an episode under fixed values}
   *
   * @param mdp the model
   * @param values V, over states
   * @param episode the trajectory
   * @param lambda the weighting, in [0, 1]
   */
  public static double[] lambdaReturns(TabularMdp<?, ?> mdp, double[] values, Trajectory episode,
      double lambda) {
    Kernels.checkLambda(lambda);
    Kernels.checkStateValues(mdp, values);
    Kernels.checkTrajectory(mdp, episode);
    return returns(mdp, values, episode, lambda);
  }

  private static double[] returns(TabularMdp<?, ?> mdp, double[] v, Trajectory episode,
      double lambda) {
    double gamma = mdp.discount();
    int len = episode.length();
    double[] g = new double[len];
    int last = episode.state(len);
    double acc = mdp.isTerminal(last) ? 0 : v[last];
    for (int t = len - 1; t >= 0; t--) {
      int next = episode.state(t + 1);
      double boot = mdp.isTerminal(next) ? 0 : v[next];
      acc = episode.reward(t) + gamma * ((1 - lambda) * boot + lambda * acc);
      g[t] = acc;
    }
    return g;
  }

  @Override
  public double[] episode(TabularMdp<?, ?> mdp, double[] values, Trajectory episode) {
    Kernels.checkStateValues(mdp, values);
    Kernels.checkTrajectory(mdp, episode);
    double[] g = returns(mdp, values, episode, lambda);
    double[] v = values.clone();
    for (int t = 0; t < g.length; t++) {
      int s = episode.state(t);
      v[s] += alpha * (g[t] - v[s]);
    }
    Kernels.requireFinite(v, label());
    return v;
  }

  @Override
  public String label() {
    return "offline lambda-return (" + lambda + "), alpha " + alpha;
  }
}
