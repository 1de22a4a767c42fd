package dev.fixpoint.examples;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The random walks of Sutton &amp; Barto, <i>Reinforcement Learning: An Introduction</i>, 2nd
 * ed. (2018): Example 6.2 (five states, Figure 6.2) and the 19-state walk of sections 7.1 and 12.1
 * (Figures 7.2, 12.3 ff.). A Markov reward process written as an MDP with the single action
 * {@link Step#WALK}.
 *
 * <p>States are the integers 0 .. n + 1: 1 .. n are the walk's states (A .. E for n = 5), 0 and n
 * + 1 the terminal ends. Every episode starts in the middle state (n + 1) / 2; each step goes left
 * or right with probability 1/2. Entering n + 1 earns +1, entering 0 earns the left reward (0 in
 * Example 6.2, -1 for the 19-state walk), every other step 0; undiscounted.
 *
 * <p>True values: v(i) = L (n + 1 - i) / (n + 1) + i / (n + 1) for left reward L (the walk ends on
 * the right with probability i / (n + 1), a fair gambler's ruin), so v = 1/6, 2/6, ..., 5/6 for
 * Example 6.2 and v(i) = (i - 10) / 10 = -0.9, -0.8, ..., 0.9 for the 19-state walk.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class RandomWalk {
  private RandomWalk() {}

  /** The only action. */
  public enum Step {
    /** Step left or right with probability 1/2 each. */
    WALK
  }

  /** {@return Example 6.2: 5 states A .. E = 1 .. 5, rewards 0 on the left and +1 on the right} */
  public static Mdp<Integer, Step> fiveStates() {
    return of(5, 0);
  }

  /** {@return the 19-state walk of sections 7.1 and 12.1: rewards -1 on the left, +1 on the right} */
  public static Mdp<Integer, Step> nineteenStates() {
    return of(19, -1);
  }

  /**
   * A walk of n states.
   *
   * @param n the number of non-terminal states, odd (so that there is a middle) and at least 1
   * @param leftReward the reward for entering state 0
   * @return the description: n + 2 states, 0 and n + 1 terminal, start (n + 1) / 2, exact, gamma 1
   * @throws ModelException when n is even or below 1
   */
  public static Mdp<Integer, Step> of(int n, long leftReward) {
    if (n < 1 || n % 2 == 0) {
      throw new ModelException("random walk: n = " + n + " must be odd and at least 1 (the walk "
          + "starts in the middle state)");
    }
    List<Integer> states = new ArrayList<>(n + 2);
    for (int s = 0; s <= n + 1; s++) {
      states.add(s);
    }
    BigFraction half = new BigFraction(1, 2);
    return Mdp.<Integer, Step>of(states, s -> List.of(Step.WALK),
        (s, a) -> Dist.<Outcome<Integer>>builder()
            .add(Outcome.of(s - 1, s - 1 == 0 ? leftReward : 0), half)
            .add(Outcome.of(s + 1, s + 1 == n + 1 ? 1 : 0), half)
            .build(), BigFraction.ONE)
        .withTerminal(s -> s == 0 || s == n + 1)
        .withInitial(Dist.dirac((n + 1) / 2))
        .withName("random walk (" + n + " states)");
  }

  /**
   * {@return the true values v(0) .. v(n + 1) of a walk of n states, exact: v(i) = L (n + 1 - i)
   * / (n + 1) + i / (n + 1) inside, 0 at the ends}
   *
   * @param n the number of non-terminal states
   * @param leftReward L, the reward for entering state 0
   */
  public static BigFraction[] trueValues(int n, long leftReward) {
    BigFraction[] v = new BigFraction[n + 2];
    v[0] = BigFraction.ZERO;
    v[n + 1] = BigFraction.ZERO;
    for (int i = 1; i <= n; i++) {
      v[i] = new BigFraction(leftReward * (n + 1 - i) + i, (long) n + 1);
    }
    return v;
  }
}
