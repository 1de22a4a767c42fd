package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.util.Arrays;

/** Checks and small array helpers shared by the learners; package-private. */
final class Kernels {
  private Kernels() {}

  /** Requires alpha in (0, 1]. */
  static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new ModelException("step size alpha " + alpha + " is outside (0, 1]");
    }
  }

  /** Requires lambda in [0, 1]. */
  static void checkLambda(double lambda) {
    if (!(lambda >= 0 && lambda <= 1)) {
      throw new ModelException("trace decay lambda " + lambda + " is outside [0, 1]");
    }
  }

  /** Requires a non-negative step cap. */
  static void checkMaxSteps(int maxSteps) {
    if (maxSteps < 0) {
      throw new IllegalArgumentException("maxSteps must be >= 0, got " + maxSteps);
    }
  }

  /** Requires one finite value per state, 0 at terminal states. */
  static void checkStateValues(TabularMdp<?, ?> mdp, double[] v) {
    if (v.length != mdp.numStates()) {
      throw new IllegalArgumentException(v.length + " values for " + mdp.numStates()
          + " states of " + mdp.name());
    }
    for (int s = 0; s < v.length; s++) {
      if (!Double.isFinite(v[s])) {
        throw new IllegalArgumentException("value " + v[s] + " of state "
            + mdp.states().value(s) + " is not finite");
      }
      if (mdp.isTerminal(s) && v[s] != 0) {
        throw new IllegalArgumentException("terminal state " + mdp.states().value(s)
            + " has value " + v[s] + ", expected 0");
      }
    }
  }

  /** Requires one finite value per row. */
  static void checkRowValues(TabularMdp<?, ?> mdp, double[] q) {
    if (q.length != mdp.numRows()) {
      throw new IllegalArgumentException(q.length + " action values for " + mdp.numRows()
          + " rows of " + mdp.name());
    }
    for (int r = 0; r < q.length; r++) {
      if (!Double.isFinite(q[r])) {
        throw new IllegalArgumentException("action value " + q[r] + " of row " + r
            + " is not finite");
      }
    }
  }

  /**
   * Requires a trajectory of this model: states in range, each row a row of its state and its
   * next state a successor of that row, intermediate states non-terminal, and the terminated flag
   * matching the model.
   */
  static void checkTrajectory(TabularMdp<?, ?> mdp, Trajectory tr) {
    int n = mdp.numStates();
    for (int t = 0; t <= tr.length(); t++) {
      int s = tr.state(t);
      if (s >= n) {
        throw new IllegalArgumentException("state index " + s + " at step " + t
            + " is out of range [0, " + n + ")");
      }
      if (t < tr.length()) {
        checkStep(mdp, s, tr.row(t), tr.state(t + 1), "step " + t);
      }
    }
    if (tr.terminated() != mdp.isTerminal(tr.lastState())) {
      throw new IllegalArgumentException("trajectory says its last state "
          + mdp.states().value(tr.lastState()) + " is " + (tr.terminated() ? "" : "not ")
          + "terminal; the model says otherwise");
    }
  }

  /** Requires a transition of this model. */
  static void checkTransition(TabularMdp<?, ?> mdp, Transition t) {
    if (t.state() >= mdp.numStates() || t.next() >= mdp.numStates()) {
      throw new IllegalArgumentException("state index out of range in " + t);
    }
    checkStep(mdp, t.state(), t.row(), t.next(), t.toString());
    if (t.terminal() != mdp.isTerminal(t.next())) {
      throw new IllegalArgumentException(t + ": terminal flag disagrees with the model");
    }
  }

  private static void checkStep(TabularMdp<?, ?> mdp, int s, int row, int next, String where) {
    if (mdp.isTerminal(s)) {
      throw new IllegalArgumentException(where + ": state " + mdp.states().value(s)
          + " is terminal but the trajectory goes on");
    }
    if (row >= mdp.numRows() || mdp.rowState(row) != s) {
      throw new IllegalArgumentException(where + ": row " + row + " is not a row of state "
          + mdp.states().value(s));
    }
    for (int k = mdp.entryStart(row); k < mdp.entryEnd(row); k++) {
      if (mdp.next(k) == next) {
        return;
      }
    }
    throw new IllegalArgumentException(where + ": state index " + next
        + " is not a successor of row " + row);
  }

  /** Throws when a learned value overflowed (step size too large for the model). */
  static void requireFinite(double[] v, String learner) {
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new ArithmeticException(learner + ": value " + i + " became " + v[i]
            + " (diverged; lower the step size)");
      }
    }
  }

  /**
   * Root-mean-square difference over the non-terminal states (sqrt of the unweighted mean of
   * squared differences), the error measure of Sutton &amp; Barto 2018, Fig. 6.2 and 12.3.
   */
  static double rmsOverStates(TabularMdp<?, ?> mdp, double[] v, double[] truth) {
    double sum = 0;
    int count = 0;
    for (int s = 0; s < v.length; s++) {
      if (!mdp.isTerminal(s)) {
        double d = v[s] - truth[s];
        sum += d * d;
        count++;
      }
    }
    return count == 0 ? 0 : Math.sqrt(sum / count);
  }

  /** Root-mean-square difference over all entries. */
  static double rms(double[] q, double[] truth) {
    double sum = 0;
    for (int i = 0; i < q.length; i++) {
      double d = q[i] - truth[i];
      sum += d * d;
    }
    return q.length == 0 ? 0 : Math.sqrt(sum / q.length);
  }

  /** Collects a trajectory in growing primitive arrays. Not thread-safe. */
  static final class Builder {
    private int[] states = new int[16];
    private int[] rows = new int[16];
    private double[] rewards = new double[16];
    private int length;

    Builder(int start) {
      states[0] = start;
    }

    void add(int row, double reward, int next) {
      if (length + 1 == states.length) {
        int cap = states.length * 2;
        states = Arrays.copyOf(states, cap);
        rows = Arrays.copyOf(rows, cap);
        rewards = Arrays.copyOf(rewards, cap);
      }
      rows[length] = row;
      rewards[length] = reward;
      states[++length] = next;
    }

    Trajectory build(boolean terminated) {
      return new Trajectory(Arrays.copyOf(states, length + 1), Arrays.copyOf(rows, length),
          Arrays.copyOf(rewards, length), terminated);
    }
  }
}
