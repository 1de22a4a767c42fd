package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * True online TD(lambda), tabular (van Seijen &amp; Sutton 2014; van Seijen, Mahmood, Pilarski,
 * Machado &amp; Sutton 2016, "True online temporal-difference learning", JMLR 17, Algorithm 1;
 * Sutton &amp; Barto 2018, sec. 12.5, eq. 12.11 and its box). With one-hot features x = e_{S_t},
 * z = 0 and V_old = 0 at the start of an episode, each step does
 *
 * <pre>
 * V = V(S_t),  V' = V(S_{t+1}) (0 when terminal),  delta = R_{t+1} + gamma V' - V
 * z &lt;- gamma lambda z + (1 - alpha gamma lambda z(S_t)) e_{S_t}        (dutch trace)
 * V(s) &lt;- V(s) + alpha (delta + V - V_old) z(s) for every s;  V(S_t) &lt;- V(S_t) - alpha (V - V_old)
 * V_old &lt;- V'
 * </pre>
 *
 * <p>It reproduces exactly the online lambda-return algorithm (S&amp;B 2018, sec. 12.4; van
 * Seijen et al. 2016, Theorem 1), in which the weights at every horizon h are recomputed from the
 * start of the episode with the truncated lambda-returns G^lambda_{t:h}. A cut episode ends after
 * its last step. Cost per step: O(number of distinct states visited so far in the episode).
 *
 * @param alpha the step size, in (0, 1]
 * @param lambda the trace decay, in [0, 1]
 */
@API(status = API.Status.EXPERIMENTAL)
public record TrueOnlineTd(double alpha, double lambda) implements Prediction {

  /** Checks the parameters. */
  public TrueOnlineTd {
    Kernels.checkAlpha(alpha);
    Kernels.checkLambda(lambda);
  }

  /**
   * {@return true online TD(lambda)}
   *
   * @param alpha in (0, 1]
   * @param lambda in [0, 1]
   */
  public static TrueOnlineTd of(double alpha, double lambda) {
    return new TrueOnlineTd(alpha, lambda);
  }

  /**
   * The state of true online TD(lambda) within an episode. Arrays are copied in and out.
   *
   * @param values V over states
   * @param traces the dutch traces z over states
   * @param oldValue V_old, the value of the current state computed at the previous step
   */
  public record Carry(double[] values, double[] traces, double oldValue) {
    /** Checks the lengths; copies. */
    public Carry {
      if (values.length != traces.length) {
        throw new IllegalArgumentException(values.length + " values but " + traces.length
            + " traces");
      }
      values = values.clone();
      traces = traces.clone();
    }

    /**
     * {@return the state at the start of an episode: these values, z = 0, V_old = 0}
     *
     * @param values V (copied)
     */
    public static Carry start(double[] values) {
      return new Carry(values, new double[values.length], 0);
    }

    /** {@return V (a copy)} */
    @Override
    public double[] values() {
      return values.clone();
    }

    /** {@return z (a copy)} */
    @Override
    public double[] traces() {
      return traces.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Carry c && Arrays.equals(values, c.values)
          && Arrays.equals(traces, c.traces) && Double.compare(oldValue, c.oldValue) == 0;
    }

    @Override
    public int hashCode() {
      return 31 * (31 * Arrays.hashCode(values) + Arrays.hashCode(traces))
          + Double.hashCode(oldValue);
    }

    @Override
    public String toString() {
      return "Carry[values=" + Arrays.toString(values) + ", traces=" + Arrays.toString(traces)
          + ", oldValue=" + oldValue + "]";
    }
  }

  /**
   * One step of true online TD(lambda).
   *
   * @param mdp the model
   * @param state V, z and V_old before the step (not modified)
   * @param t the transition
   * @return V, z and V_old after the step
   */
  public Carry step(TabularMdp<?, ?> mdp, Carry state, Transition t) {
    double[] v = state.values();
    double[] z = state.traces();
    Kernels.checkStateValues(mdp, v);
    Kernels.checkTransition(mdp, t);
    int n = v.length;
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    double old = update(v, z, all, n, t.state(), t.reward(), t.terminal() ? -1 : t.next(),
        state.oldValue(), mdp.discount());
    Kernels.requireFinite(v, label());
    return new Carry(v, z, old);
  }

  @Override
  public double[] episode(TabularMdp<?, ?> mdp, double[] values, Trajectory episode) {
    Kernels.checkStateValues(mdp, values);
    Kernels.checkTrajectory(mdp, episode);
    int n = values.length;
    double[] v = values.clone();
    double[] z = new double[n];
    int[] active = new int[n];
    boolean[] isActive = new boolean[n];
    int numActive = 0;
    double old = 0;
    double gamma = mdp.discount();
    int len = episode.length();
    for (int t = 0; t < len; t++) {
      int s = episode.state(t);
      int next = episode.state(t + 1);
      if (!isActive[s]) {
        isActive[s] = true;
        active[numActive++] = s;
      }
      old = update(v, z, active, numActive, s, episode.reward(t),
          mdp.isTerminal(next) ? -1 : next, old, gamma);
    }
    Kernels.requireFinite(v, label());
    return v;
  }

  /**
   * One step on the states listed in active[0 .. numActive) (which include s and every state with
   * a nonzero trace); next = -1 for a terminal next state. Returns the new V_old.
   */
  private double update(double[] v, double[] z, int[] active, int numActive, int s,
      double reward, int next, double old, double gamma) {
    double here = v[s];
    double there = next < 0 ? 0 : v[next];
    double delta = reward + gamma * there - here;
    double decay = gamma * lambda;
    double zs = z[s];
    for (int i = 0; i < numActive; i++) {
      z[active[i]] *= decay;
    }
    z[s] += 1 - alpha * decay * zs;
    double a = alpha * (delta + here - old);
    for (int i = 0; i < numActive; i++) {
      int x = active[i];
      v[x] += a * z[x];
    }
    v[s] -= alpha * (here - old);
    return there;
  }

  @Override
  public String label() {
    return "true online TD(" + lambda + "), alpha " + alpha;
  }
}
