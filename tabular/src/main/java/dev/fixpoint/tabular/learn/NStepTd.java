package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import org.apiguardian.api.API;

/**
 * Tabular n-step TD prediction (Sutton &amp; Barto 2018, sec. 7.1, eq. 7.1-7.2): for tau = 0 ..
 * T-1 in order, with h = min(tau + n, T),
 *
 * <pre>
 * G = sum_{i=tau+1}^{h} gamma^(i-tau-1) R_i + gamma^(h-tau) V(S_h)
 * V(S_tau) &lt;- V(S_tau) + alpha [G - V(S_tau)]
 * </pre>
 *
 * <p>where V(S_h) is 0 when S_h is terminal, and V is the current estimate, which already holds
 * the updates for earlier tau: the same order as the book's online algorithm, which makes the
 * update for tau at time tau + n. A cut episode bootstraps from V(S_T). n = 1 is TD(0); n &gt;= T
 * on a terminated episode is constant-alpha Monte Carlo. Cost O(n) per step.
 *
 * @param n the number of steps, &gt;= 1
 * @param alpha the step size, in (0, 1]
 */
@API(status = API.Status.EXPERIMENTAL)
public record NStepTd(int n, double alpha) implements Prediction {

  /** Checks n and alpha. */
  public NStepTd {
    if (n < 1) {
      throw new ModelException("n-step TD needs n >= 1, got " + n);
    }
    Kernels.checkAlpha(alpha);
  }

  /**
   * {@return n-step TD}
   *
   * @param n &gt;= 1
   * @param alpha in (0, 1]
   */
  public static NStepTd of(int n, double alpha) {
    return new NStepTd(n, alpha);
  }

  @Override
  public double[] episode(TabularMdp<?, ?> mdp, double[] values, Trajectory episode) {
    Kernels.checkStateValues(mdp, values);
    Kernels.checkTrajectory(mdp, episode);
    double[] v = values.clone();
    double gamma = mdp.discount();
    int len = episode.length();
    for (int tau = 0; tau < len; tau++) {
      int h = (int) Math.min((long) tau + n, len);
      double g = 0;
      double discount = 1;
      for (int i = tau; i < h; i++) {
        g += discount * episode.reward(i);
        discount *= gamma;
      }
      int last = episode.state(h);
      if (!mdp.isTerminal(last)) {
        g += discount * v[last];
      }
      int s = episode.state(tau);
      v[s] += alpha * (g - v[s]);
    }
    Kernels.requireFinite(v, label());
    return v;
  }

  @Override
  public String label() {
    return n + "-step TD, alpha " + alpha;
  }
}
