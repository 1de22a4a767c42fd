package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import org.apiguardian.api.API;

/**
 * Tabular TD(0) prediction (Sutton 1988; Sutton &amp; Barto 2018, sec. 6.1, eq. 6.2): after each
 * step S_t, R_{t+1}, S_{t+1},
 *
 * <pre>V(S_t) &lt;- V(S_t) + alpha [R_{t+1} + gamma V(S_{t+1}) - V(S_t)]</pre>
 *
 * <p>with V(terminal) = 0. Updates are online: a later step of the same episode sees the earlier
 * updates. A cut episode simply ends; its last update bootstraps from V(S_T). With a constant step
 * size V tracks v_pi with noise of order alpha; with step sizes satisfying the Robbins-Monro
 * conditions (sum alpha = infinity, sum alpha^2 &lt; infinity per state) it converges to v_pi
 * with probability 1 (Dayan 1992; Jaakkola, Jordan &amp; Singh 1994). Cost O(1) per step.
 *
 * @param alpha the step size, in (0, 1]
 */
@API(status = API.Status.EXPERIMENTAL)
public record Td0(double alpha) implements Prediction {

  /** Checks alpha. */
  public Td0 {
    Kernels.checkAlpha(alpha);
  }

  /**
   * {@return TD(0) with step size alpha}
   *
   * @param alpha in (0, 1]
   */
  public static Td0 of(double alpha) {
    return new Td0(alpha);
  }

  /**
   * One TD(0) update from one transition.
   *
   * @param mdp the model
   * @param values V before the step (not modified)
   * @param t the transition S_t, A_t, R_{t+1}, S_{t+1}
   * @return V after the step (a new array)
   */
  public double[] step(TabularMdp<?, ?> mdp, double[] values, Transition t) {
    Kernels.checkStateValues(mdp, values);
    Kernels.checkTransition(mdp, t);
    double[] v = values.clone();
    update(v, t.state(), t.reward(), t.terminal() ? 0 : v[t.next()], mdp.discount());
    Kernels.requireFinite(v, label());
    return v;
  }

  @Override
  public double[] episode(TabularMdp<?, ?> mdp, double[] values, Trajectory episode) {
    Kernels.checkStateValues(mdp, values);
    Kernels.checkTrajectory(mdp, episode);
    double[] v = values.clone();
    double gamma = mdp.discount();
    int n = episode.length();
    for (int t = 0; t < n; t++) {
      int next = episode.state(t + 1);
      update(v, episode.state(t), episode.reward(t), mdp.isTerminal(next) ? 0 : v[next], gamma);
    }
    Kernels.requireFinite(v, label());
    return v;
  }

  private void update(double[] v, int s, double reward, double nextValue, double gamma) {
    v[s] += alpha * (reward + gamma * nextValue - v[s]);
  }

  @Override
  public String label() {
    return "TD(0), alpha " + alpha;
  }
}
