package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.internal.Csr;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Draws experience from a tabular model with an explicit generator: start states from the initial
 * distribution, next states from p(. | s, a), actions from a policy over rows. The same generator
 * state gives the same draws, bit for bit.
 *
 * <p>Every categorical draw uses one {@code rng.nextDouble()} u in [0, 1) and returns the first
 * outcome whose cumulative probability exceeds u (the last outcome of positive probability when
 * rounding leaves u above the total). A draw with a single outcome of positive probability (a
 * deterministic transition, a deterministic policy or a state with one action, a one-point start
 * distribution) takes no random number.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Experience {
  /** The step cap meaning "none": an episode runs until it reaches a terminal state. */
  public static final int NO_CAP = Integer.MAX_VALUE;

  private Experience() {}

  /**
   * {@return a start state drawn from the model's initial distribution}
   *
   * @param mdp the model
   * @param rng the generator
   */
  public static int initialState(TabularMdp<?, ?> mdp, RandomGenerator rng) {
    int n = mdp.numStates();
    int last = -1;
    int support = 0;
    for (int s = 0; s < n; s++) {
      if (mdp.initial(s) > 0) {
        last = s;
        support++;
      }
    }
    if (support == 1) {
      return last;
    }
    double u = rng.nextDouble();
    for (int s = 0; s < n; s++) {
      double p = mdp.initial(s);
      if (p > 0) {
        u -= p;
        if (u < 0) {
          return s;
        }
      }
    }
    return last;
  }

  /**
   * {@return the entry k of row {@code row} drawn with probability p_k; its next state is {@code
   * mdp.next(k)} and its reward {@code mdp.entryReward(k)}}
   *
   * @param mdp the model
   * @param row a row
   * @param rng the generator
   */
  public static int sampleEntry(TabularMdp<?, ?> mdp, int row, RandomGenerator rng) {
    if (row < 0 || row >= mdp.numRows()) {
      throw new IllegalArgumentException("row " + row + " is out of range [0, " + mdp.numRows()
          + ")");
    }
    return entry(mdp.csr(), row, rng);
  }

  /**
   * {@return a row of state {@code state} drawn with probability {@code probs[r]}} Only the
   * state's rows of {@code probs} are read; they should sum to 1.
   *
   * @param mdp the model
   * @param probs a probability per row (pi(a | s) at row (s, a)); the state's rows are read
   * @param state a non-terminal state
   * @param rng the generator
   */
  public static int sampleRow(TabularMdp<?, ?> mdp, double[] probs, int state,
      RandomGenerator rng) {
    if (state < 0 || state >= mdp.numStates() || mdp.isTerminal(state)) {
      throw new IllegalArgumentException("state index " + state
          + " is out of range or terminal: no action to draw");
    }
    if (probs.length != mdp.numRows()) {
      throw new IllegalArgumentException(probs.length + " probabilities for " + mdp.numRows()
          + " rows");
    }
    return row(mdp.csr(), probs, state, rng);
  }

  /**
   * Takes the action of row {@code row}: draws the next state and returns the transition with the
   * reward E[r | s, a, s'] of the entry drawn.
   *
   * @param mdp the model
   * @param row the row of (s, a)
   * @param rng the generator
   * @return (s, row, r, s', whether s' is terminal)
   */
  public static Transition step(TabularMdp<?, ?> mdp, int row, RandomGenerator rng) {
    int k = sampleEntry(mdp, row, rng);
    int next = mdp.next(k);
    return new Transition(mdp.rowState(row), row, mdp.entryReward(k), next,
        mdp.isTerminal(next));
  }

  /**
   * An episode following a fixed policy until a terminal state. See {@link #episode(TabularMdp,
   * TabularPolicy, RandomGenerator, int)}.
   *
   * @param mdp the model
   * @param pi the policy
   * @param rng the generator
   * @return the episode
   * @throws ModelException when the model has no terminal state (give a step cap)
   */
  public static Trajectory episode(TabularMdp<?, ?> mdp, TabularPolicy<?, ?> pi,
      RandomGenerator rng) {
    return episode(mdp, pi, rng, NO_CAP);
  }

  /**
   * An episode following a fixed policy: S_0 from the initial distribution, then A_t ~ pi(. |
   * S_t), S_{t+1} ~ p(. | S_t, A_t), R_{t+1} = E[r | S_t, A_t, S_{t+1}], until a terminal state or
   * {@code maxSteps} steps. Without a cap, an improper policy (one that never terminates) runs
   * forever; with a cap the episode is cut and {@link Trajectory#terminated()} is false.
   *
   * @param mdp the model
   * @param pi the policy, over the model's rows
   * @param rng the generator
   * @param maxSteps the most steps, or {@link #NO_CAP}
   * @return the episode
   * @throws ModelException when there is no cap and the model has no terminal state
   */
  public static Trajectory episode(TabularMdp<?, ?> mdp, TabularPolicy<?, ?> pi,
      RandomGenerator rng, int maxSteps) {
    double[] probs = pi.toArray();
    if (probs.length != mdp.numRows()) {
      throw new IllegalArgumentException("the policy has " + probs.length + " rows, "
          + mdp.name() + " has " + mdp.numRows());
    }
    Kernels.checkMaxSteps(maxSteps);
    requireEnd(mdp, maxSteps);
    return episode(mdp, probs, rng, maxSteps);
  }

  /** Requires a cap or a terminal state. */
  static void requireEnd(TabularMdp<?, ?> mdp, int maxSteps) {
    if (maxSteps != NO_CAP) {
      return;
    }
    for (int s = 0; s < mdp.numStates(); s++) {
      if (mdp.isTerminal(s)) {
        return;
      }
    }
    throw new ModelException(mdp.name() + " has no terminal state, so an episode never ends: "
        + "give a step cap");
  }

  /** The episode kernel on checked inputs. */
  static Trajectory episode(TabularMdp<?, ?> mdp, double[] probs, RandomGenerator rng,
      int maxSteps) {
    Csr c = mdp.csr();
    boolean[] terminal = c.terminal();
    int s = initialState(mdp, rng);
    Kernels.Builder b = new Kernels.Builder(s);
    for (int t = 0; t < maxSteps && !terminal[s]; t++) {
      int r = row(c, probs, s, rng);
      int k = entry(c, r, rng);
      s = c.next()[k];
      b.add(r, mdp.entryReward(k), s);
    }
    return b.build(terminal[s]);
  }

  /** Entry draw on the raw arrays. */
  static int entry(Csr c, int row, RandomGenerator rng) {
    int[] es = c.entryStart();
    int k = es[row];
    int end = es[row + 1];
    if (end - k == 1) {
      return k;
    }
    double[] p = c.prob();
    double u = rng.nextDouble();
    for (; k < end - 1; k++) {
      u -= p[k];
      if (u < 0) {
        return k;
      }
    }
    return end - 1;
  }

  /** Row draw on the raw arrays; no random number when one row has all the probability. */
  static int row(Csr c, double[] probs, int state, RandomGenerator rng) {
    int start = c.rowStart()[state];
    int end = c.rowStart()[state + 1];
    int last = start;
    int positive = 0;
    for (int r = start; r < end; r++) {
      if (probs[r] > 0) {
        last = r;
        positive++;
      }
    }
    if (positive <= 1) {
      return last;
    }
    double u = rng.nextDouble();
    for (int r = start; r < last; r++) {
      double p = probs[r];
      if (p > 0) {
        u -= p;
        if (u < 0) {
          return r;
        }
      }
    }
    return last;
  }
}
