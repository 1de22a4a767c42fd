package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Tabular TD(lambda) with eligibility traces, the backward view (Sutton 1988; Sutton &amp; Barto
 * 2018, sec. 12.2, eq. 12.5-12.7, tabular case). At each step, with z = 0 at the start of the
 * episode:
 *
 * <pre>
 * z(s) &lt;- gamma lambda z(s) for every s;  then  z(S_t) &lt;- z(S_t) + 1   (accumulating)
 *                                                  z(S_t) &lt;- 1            (replacing)
 * delta = R_{t+1} + gamma V(S_{t+1}) - V(S_t)        (V(terminal) = 0)
 * V(s) &lt;- V(s) + alpha delta z(s) for every s
 * </pre>
 *
 * <p>Replacing traces are Singh &amp; Sutton's (1996) and S&amp;B 2018 sec. 12.5's for one-hot
 * features. <b>Online</b> (the default) applies each increment at once. <b>Offline</b> keeps V fixed
 * during the episode (every delta uses the V of its start) and adds the summed increments at its
 * end; with accumulating traces this equals, up to rounding, the offline lambda-return algorithm
 * {@link LambdaReturn} (Sutton &amp; Barto 1998, sec. 7.4, the forward and backward views). A cut
 * episode ends after its last update (which bootstrapped from V(S_T)). lambda = 0 is TD(0); lambda
 * = 1 with accumulating traces, offline, is every-visit constant-alpha Monte Carlo. Cost per step:
 * O(number of distinct states visited so far in the episode).
 *
 * @param alpha the step size, in (0, 1]
 * @param lambda the trace decay, in [0, 1]
 * @param trace accumulating or replacing
 * @param offline whether increments wait for the end of the episode
 */
@API(status = API.Status.EXPERIMENTAL)
public record TdLambda(double alpha, double lambda, Trace trace, boolean offline)
    implements Prediction {

  /** How the trace of the visited state grows. */
  public enum Trace {
    /** z(S_t) &lt;- gamma lambda z(S_t) + 1. */
    ACCUMULATING,
    /** z(S_t) &lt;- 1. */
    REPLACING
  }

  /** Checks the parameters. */
  public TdLambda {
    Kernels.checkAlpha(alpha);
    Kernels.checkLambda(lambda);
    Objects.requireNonNull(trace, "trace");
  }

  /**
   * {@return online TD(lambda) with accumulating traces}
   *
   * @param alpha in (0, 1]
   * @param lambda in [0, 1]
   */
  public static TdLambda of(double alpha, double lambda) {
    return new TdLambda(alpha, lambda, Trace.ACCUMULATING, false);
  }

  /**
   * {@return this learner with another trace}
   *
   * @param t accumulating or replacing
   */
  public TdLambda withTrace(Trace t) {
    return new TdLambda(alpha, lambda, t, offline);
  }

  /** {@return this learner with offline updating (at the end of each episode)} */
  public TdLambda asOffline() {
    return new TdLambda(alpha, lambda, trace, true);
  }

  /** {@return this learner with online updating (at every step)} */
  public TdLambda asOnline() {
    return new TdLambda(alpha, lambda, trace, false);
  }

  /**
   * The state of online TD(lambda) within an episode: values and eligibility traces over states.
   * Arrays are copied in and out.
   *
   * @param values V
   * @param traces z
   */
  public record Traces(double[] values, double[] traces) {
    /** Checks the lengths; copies. */
    public Traces {
      if (values.length != traces.length) {
        throw new IllegalArgumentException(values.length + " values but " + traces.length
            + " traces");
      }
      values = values.clone();
      traces = traces.clone();
    }

    /**
     * {@return the state at the start of an episode: these values, zero traces}
     *
     * @param values V (copied)
     */
    public static Traces start(double[] values) {
      return new Traces(values, new double[values.length]);
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
      return o instanceof Traces t && Arrays.equals(values, t.values)
          && Arrays.equals(traces, t.traces);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(values) + Arrays.hashCode(traces);
    }

    @Override
    public String toString() {
      return "Traces[values=" + Arrays.toString(values) + ", traces=" + Arrays.toString(traces)
          + "]";
    }
  }

  /**
   * One online TD(lambda) step (the update above applied at once). An offline learner has no
   * per-step change of V: use {@link #episode}.
   *
   * @param mdp the model
   * @param state V and z before the step (not modified)
   * @param t the transition
   * @return V and z after the step
   * @throws IllegalStateException when this learner is offline
   */
  public Traces step(TabularMdp<?, ?> mdp, Traces state, Transition t) {
    if (offline) {
      throw new IllegalStateException(label() + " changes V only at the end of an episode: use "
          + "episode(...)");
    }
    double[] v = state.values();
    double[] z = state.traces();
    Kernels.checkStateValues(mdp, v);
    Kernels.checkTransition(mdp, t);
    double decay = mdp.discount() * lambda;
    for (int i = 0; i < z.length; i++) {
      z[i] *= decay;
    }
    int s = t.state();
    z[s] = trace == Trace.REPLACING ? 1 : z[s] + 1;
    double delta = t.reward() + (t.terminal() ? 0 : mdp.discount() * v[t.next()]) - v[s];
    for (int i = 0; i < v.length; i++) {
      v[i] += alpha * delta * z[i];
    }
    Kernels.requireFinite(v, label());
    return new Traces(v, z);
  }

  @Override
  public double[] episode(TabularMdp<?, ?> mdp, double[] values, Trajectory episode) {
    Kernels.checkStateValues(mdp, values);
    Kernels.checkTrajectory(mdp, episode);
    int n = values.length;
    double[] v = values.clone();
    double[] target = offline ? new double[n] : v;
    double[] z = new double[n];
    int[] active = new int[n];
    boolean[] isActive = new boolean[n];
    int numActive = 0;
    double gamma = mdp.discount();
    double decay = gamma * lambda;
    boolean replacing = trace == Trace.REPLACING;
    int len = episode.length();
    for (int t = 0; t < len; t++) {
      int s = episode.state(t);
      int next = episode.state(t + 1);
      for (int i = 0; i < numActive; i++) {
        z[active[i]] *= decay;
      }
      if (!isActive[s]) {
        isActive[s] = true;
        active[numActive++] = s;
      }
      z[s] = replacing ? 1 : z[s] + 1;
      double delta = episode.reward(t) + (mdp.isTerminal(next) ? 0 : gamma * v[next]) - v[s];
      double step = alpha * delta;
      for (int i = 0; i < numActive; i++) {
        int x = active[i];
        target[x] += step * z[x];
      }
    }
    if (offline) {
      for (int i = 0; i < n; i++) {
        v[i] += target[i];
      }
    }
    Kernels.requireFinite(v, label());
    return v;
  }

  @Override
  public String label() {
    return (offline ? "offline " : "") + "TD(" + lambda + "), " + trace.name().toLowerCase(Locale.ROOT)
        + " traces, alpha " + alpha;
  }
}
