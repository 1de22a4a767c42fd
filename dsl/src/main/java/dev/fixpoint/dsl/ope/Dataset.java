package dev.fixpoint.dsl.ope;

import dev.fixpoint.dsl.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Logged data for off-policy evaluation: n trajectories tau_i = (s_0, a_0, r_0, ..., s_{T-1},
 * a_{T-1}, r_{T-1}), T &lt;= H, each step with the exact logging probability mu(a_t | s_t) of the
 * action taken (spec estimators.md section 1). States and actions are the indices of the model
 * the data belong to; the interpreters check them against it.
 *
 * <p>Storage is flat primitive arrays: step k of episode i is {@code episodeStart(i) + t}. An
 * episode shorter than H ended in a terminal state (or was cut by the logger); the estimators pad
 * it to H with r = 0 and rho = 1. Instances are immutable; build them with {@link #of} (which
 * checks every row) or draw them with {@code dev.fixpoint.tabular.ope.Logging}.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Dataset {
  private final int horizon;
  private final int[] episodeStart;
  private final int[] state;
  private final int[] action;
  private final double[] reward;
  private final double[] behaviourProb;

  private Dataset(int horizon, int[] episodeStart, int[] state, int[] action, double[] reward,
      double[] behaviourProb) {
    this.horizon = horizon;
    this.episodeStart = episodeStart;
    this.state = state;
    this.action = action;
    this.reward = reward;
    this.behaviourProb = behaviourProb;
  }

  /**
   * Builds a dataset from flat arrays (copied) and checks every row: at least one episode, every
   * episode 1..H steps long, states and actions non-negative, rewards finite, and each logged
   * behaviour probability present (not NaN) and in (0, 1] (a logged action cannot have
   * probability 0 under the policy that chose it).
   *
   * @param horizon H &gt;= 1, the longest episode allowed
   * @param episodeStart n + 1 non-decreasing offsets into the step arrays, starting at 0
   * @param state the state index s_t of each step
   * @param action the action index a_t of each step
   * @param reward the reward r_t of each step
   * @param behaviourProb mu(a_t | s_t) of each step
   * @return the dataset
   * @throws ModelException listing every problem, each naming its row (0-based step index), its
   *     episode and its time t
   */
  public static Dataset of(int horizon, int[] episodeStart, int[] state, int[] action,
      double[] reward, double[] behaviourProb) {
    if (horizon < 1) {
      throw new ModelException("dataset: horizon " + horizon + " must be at least 1");
    }
    int steps = state.length;
    if (action.length != steps || reward.length != steps || behaviourProb.length != steps) {
      throw new ModelException("dataset: " + steps + " states but " + action.length
          + " actions, " + reward.length + " rewards and " + behaviourProb.length
          + " behaviour probabilities");
    }
    int n = episodeStart.length - 1;
    if (n < 1 || episodeStart[0] != 0 || episodeStart[n] != steps) {
      throw new ModelException("dataset: episode offsets must start at 0 and end at " + steps
          + " with at least one episode (got " + Arrays.toString(
              Arrays.copyOf(episodeStart, Math.min(episodeStart.length, 8))) + ")");
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < n && problems.size() < 20; i++) {
      int len = episodeStart[i + 1] - episodeStart[i];
      if (len < 1 || len > horizon) {
        problems.add("episode " + i + " (rows " + episodeStart[i] + ".." + (episodeStart[i + 1] - 1)
            + "): length " + len + " outside 1.." + horizon + " (ragged episode)");
        if (len < 0) {
          break;
        }
        continue;
      }
      for (int k = episodeStart[i]; k < episodeStart[i + 1]; k++) {
        String where = "row " + k + " (episode " + i + ", t = " + (k - episodeStart[i]) + ")";
        if (state[k] < 0 || action[k] < 0) {
          problems.add(where + ": negative state " + state[k] + " or action " + action[k]);
        }
        if (!Double.isFinite(reward[k])) {
          problems.add(where + ": reward " + reward[k] + " is not finite");
        }
        double p = behaviourProb[k];
        if (Double.isNaN(p)) {
          problems.add(where + ": missing behaviour probability mu(a_t | s_t)");
        } else if (p == 0) {
          problems.add(where + ": behaviour probability 0 for the logged action " + action[k]
              + " in state " + state[k] + " (a logged action must have mu > 0)");
        } else if (!(p > 0 && p <= 1)) {
          problems.add(where + ": behaviour probability " + p + " outside (0, 1]");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems.stream().map(p -> "dataset: " + p).toList());
    }
    return new Dataset(horizon, episodeStart.clone(), state.clone(), action.clone(),
        reward.clone(), behaviourProb.clone());
  }

  /**
   * {@return the dataset made of the given episodes, in that order, repeats allowed} This is how
   * a bootstrap resample or a cross-fitting fold is formed.
   *
   * @param episodes episode indices in 0..n-1
   */
  public Dataset select(int[] episodes) {
    if (episodes.length == 0) {
      throw new IllegalArgumentException("select needs at least one episode");
    }
    int total = 0;
    for (int e : episodes) {
      total += length(e);
    }
    int[] start = new int[episodes.length + 1];
    int[] s = new int[total];
    int[] a = new int[total];
    double[] r = new double[total];
    double[] p = new double[total];
    int k = 0;
    for (int j = 0; j < episodes.length; j++) {
      int from = episodeStart[episodes[j]];
      int len = length(episodes[j]);
      System.arraycopy(state, from, s, k, len);
      System.arraycopy(action, from, a, k, len);
      System.arraycopy(reward, from, r, k, len);
      System.arraycopy(behaviourProb, from, p, k, len);
      k += len;
      start[j + 1] = k;
    }
    return new Dataset(horizon, start, s, a, r, p);
  }

  /**
   * {@return the same episodes with other behaviour probabilities, e.g. those of an estimated
   * mu-hat (regression importance sampling); checked like {@link #of}}
   *
   * @param probs one probability in (0, 1] per step
   */
  public Dataset withBehaviourProbs(double[] probs) {
    if (probs.length != state.length) {
      throw new ModelException("dataset: " + probs.length + " behaviour probabilities for "
          + state.length + " steps");
    }
    return of(horizon, episodeStart, state, action, reward, probs);
  }

  /** {@return H, the horizon every episode is padded to} */
  public int horizon() {
    return horizon;
  }

  /** {@return n, the number of episodes} */
  public int numEpisodes() {
    return episodeStart.length - 1;
  }

  /** {@return the total number of logged steps} */
  public int numSteps() {
    return state.length;
  }

  /**
   * {@return the row (flat step index) of step 0 of episode i}
   *
   * @param i an episode
   */
  public int start(int i) {
    return episodeStart[i];
  }

  /**
   * {@return T_i, the number of logged steps of episode i}
   *
   * @param i an episode
   */
  public int length(int i) {
    return episodeStart[i + 1] - episodeStart[i];
  }

  /**
   * {@return the state index of row k}
   *
   * @param k a row
   */
  public int state(int k) {
    return state[k];
  }

  /**
   * {@return the action index of row k}
   *
   * @param k a row
   */
  public int action(int k) {
    return action[k];
  }

  /**
   * {@return the reward of row k}
   *
   * @param k a row
   */
  public double reward(int k) {
    return reward[k];
  }

  /**
   * {@return the logged behaviour probability mu(a | s) of row k}
   *
   * @param k a row
   */
  public double behaviourProb(int k) {
    return behaviourProb[k];
  }

  /**
   * {@return the on-policy Monte Carlo value of the behaviour policy: the mean over episodes of
   * G = sum_t gamma^t r_t}
   *
   * @param gamma the discount
   */
  public double meanReturn(double gamma) {
    double sum = 0;
    for (int i = 0; i < numEpisodes(); i++) {
      double g = 0;
      double d = 1;
      for (int k = start(i); k < start(i + 1); k++) {
        g += d * reward[k];
        d *= gamma;
      }
      sum += g;
    }
    return sum / numEpisodes();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dataset d && horizon == d.horizon
        && Arrays.equals(episodeStart, d.episodeStart) && Arrays.equals(state, d.state)
        && Arrays.equals(action, d.action) && Arrays.equals(reward, d.reward)
        && Arrays.equals(behaviourProb, d.behaviourProb);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(state) + Arrays.hashCode(reward) + horizon;
  }

  @Override
  public String toString() {
    return "Dataset[" + numEpisodes() + " episodes, " + numSteps() + " steps, horizon "
        + horizon + "]";
  }
}
