package dev.fixpoint.tabular.learn;

import org.apiguardian.api.API;

/**
 * One step of experience in a tabular model: in state {@code state} the action of row {@code row}
 * was taken, reward {@code reward} received and {@code next} reached; {@code terminal} says whether
 * {@code next} is a terminal state (value 0, no further steps).
 *
 * <p>The reward is E[r | s, a, s'] of the transition taken ({@link
 * dev.fixpoint.dsl.TabularMdp#entryReward(int)}), so a model whose reward depends on the next state
 * (the random walks of Sutton &amp; Barto) is sampled faithfully.
 *
 * @param state the state index s
 * @param row the row of (s, a) in the model
 * @param reward the reward r
 * @param next the next state index s'
 * @param terminal whether s' is terminal
 */
@API(status = API.Status.EXPERIMENTAL)
public record Transition(int state, int row, double reward, int next, boolean terminal) {

  /** Checks the components: indices non-negative, reward finite. */
  public Transition {
    if (state < 0 || row < 0 || next < 0) {
      throw new IllegalArgumentException("negative index in transition: state " + state
          + ", row " + row + ", next " + next);
    }
    if (!Double.isFinite(reward)) {
      throw new IllegalArgumentException("reward " + reward + " is not finite");
    }
  }
}
