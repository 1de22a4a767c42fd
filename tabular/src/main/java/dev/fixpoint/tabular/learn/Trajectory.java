package dev.fixpoint.tabular.learn;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * An episode S_0, A_0, R_1, S_1, A_1, R_2, ..., S_T over the indices of a tabular model: {@code
 * states} holds S_0 .. S_T (T + 1 entries), {@code rows} the rows of (S_t, A_t) and {@code rewards}
 * R_1 .. R_T (T entries each; {@code rewards[t]} is R_{t+1}, the reward of step t). {@code
 * terminated} says whether S_T is terminal; otherwise the episode was cut by a step cap and a
 * learner bootstraps from, or ignores, the value of S_T as its Javadoc says.
 *
 * <p>Arrays are copied in and out; use the indexed accessors in loops.
 *
 * @param states S_0 .. S_T
 * @param rows the row of (S_t, A_t), t = 0 .. T-1
 * @param rewards R_{t+1}, t = 0 .. T-1
 * @param terminated whether S_T is terminal
 */
@API(status = API.Status.EXPERIMENTAL)
public record Trajectory(int[] states, int[] rows, double[] rewards, boolean terminated) {

  /** Checks the lengths (T + 1 states, T rows and rewards), indices and rewards; copies. */
  public Trajectory {
    if (states.length != rows.length + 1 || rewards.length != rows.length) {
      throw new IllegalArgumentException("a trajectory of T steps needs T + 1 states, T rows and "
          + "T rewards; got " + states.length + ", " + rows.length + ", " + rewards.length);
    }
    states = states.clone();
    rows = rows.clone();
    rewards = rewards.clone();
    for (int t = 0; t < rows.length; t++) {
      if (states[t] < 0 || rows[t] < 0) {
        throw new IllegalArgumentException("negative index at step " + t);
      }
      if (!Double.isFinite(rewards[t])) {
        throw new IllegalArgumentException("reward " + rewards[t] + " at step " + t
            + " is not finite");
      }
    }
    if (states[rows.length] < 0) {
      throw new IllegalArgumentException("negative final state " + states[rows.length]);
    }
  }

  /** {@return S_0 .. S_T (a copy)} */
  @Override
  public int[] states() {
    return states.clone();
  }

  /** {@return the rows of (S_t, A_t) (a copy)} */
  @Override
  public int[] rows() {
    return rows.clone();
  }

  /** {@return R_1 .. R_T (a copy)} */
  @Override
  public double[] rewards() {
    return rewards.clone();
  }

  /** {@return T, the number of steps} */
  public int length() {
    return rows.length;
  }

  /**
   * {@return S_t}
   *
   * @param t 0 .. T
   */
  public int state(int t) {
    return states[t];
  }

  /**
   * {@return the row of (S_t, A_t)}
   *
   * @param t 0 .. T-1
   */
  public int row(int t) {
    return rows[t];
  }

  /**
   * {@return R_{t+1}, the reward of step t}
   *
   * @param t 0 .. T-1
   */
  public double reward(int t) {
    return rewards[t];
  }

  /** {@return S_T, the last state} */
  public int lastState() {
    return states[rows.length];
  }

  /**
   * {@return step t as a transition}
   *
   * @param t 0 .. T-1
   */
  public Transition transition(int t) {
    return new Transition(states[t], rows[t], rewards[t], states[t + 1],
        terminated && t == rows.length - 1);
  }

  /**
   * The discounted return from the start, G_0 = sum_{t=0}^{T-1} gamma^t R_{t+1} (Sutton &amp;
   * Barto 2018, eq. 3.8), summed backwards (G_t = R_{t+1} + gamma G_{t+1}); with gamma = 1 the sum
   * of the rewards. A cut episode's return stops at the cap.
   *
   * @param gamma the discount, in [0, 1]
   * @return G_0
   */
  public double discountedReturn(double gamma) {
    double g = 0;
    for (int t = rows.length - 1; t >= 0; t--) {
      g = rewards[t] + gamma * g;
    }
    return g;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Trajectory t && terminated == t.terminated
        && Arrays.equals(states, t.states) && Arrays.equals(rows, t.rows)
        && Arrays.equals(rewards, t.rewards);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(states) + Arrays.hashCode(rows))
        + Arrays.hashCode(rewards) + (terminated ? 1 : 0);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Trajectory[");
    for (int t = 0; t < rows.length; t++) {
      b.append(states[t]).append(" -(row ").append(rows[t]).append(", r ").append(rewards[t])
          .append(")-> ");
    }
    return b.append(states[rows.length]).append(terminated ? " (terminal)]" : " (cut)]")
        .toString();
  }
}
