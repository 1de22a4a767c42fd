package dev.fixpoint.dsl;

import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * How a gridworld built from a {@link GridLayout} pays and ends: when the goal reward is paid, the
 * goal and step rewards, the slip probability and the discount. All numbers are exact.
 *
 * <p><b>Rewards.</b> Every action earns {@code stepReward}; the action that triggers the goal
 * event earns {@code goalReward} on top. The goal event is, by {@link Payoff}:
 * <ul>
 *   <li>{@link Payoff#ON_ENTERING_GOAL}: a move whose landing cell is a goal; goals are terminal
 *       (Gymnasium's FrozenLake: step 0, goal 1; Sutton &amp; Barto's Cliff Walking: step -1,
 *       goal 0). With a deterministic shortest path of n moves and step 0, v*(start) = goal
 *       gamma^(n-1).</li>
 *   <li>{@link Payoff#ON_ACTING_FROM_GOAL}: any action taken while standing on a goal; it leads to
 *       the terminal {@link GridState.Exit}. Goals are ordinary states with action values
 *       (gym-classics 0.0.2, whose reward and termination are functions of the current state; the
 *       Bifurcation tasks of Daley et al., ICML 2023). An episode with a shortest path of n moves
 *       takes n + 1 actions and, with step 0, v*(start) = goal gamma^n.</li>
 * </ul>
 *
 * <p><b>Slip.</b> With slip probability p the agent moves in the intended direction with
 * probability 1 - p and in each of the two perpendicular directions with p/2; outcomes landing on
 * the same cell add up. p = 0 is deterministic (gym-classics' gridworlds); p = 2/3 is Gymnasium's
 * slippery FrozenLake (1/3 each way); p = 1/5 is Russell &amp; Norvig's 4x3 world (0.8, 0.1, 0.1).
 *
 * @param payoff when the goal reward is paid and the episode ends
 * @param goalReward paid on the goal event, on top of the step reward
 * @param stepReward paid on every action
 * @param slip the probability p in [0, 1] of moving perpendicular to the intended direction
 * @param discount gamma in [0, 1]
 */
@API(status = API.Status.EXPERIMENTAL)
public record GridRules(Payoff payoff, BigFraction goalReward, BigFraction stepReward,
    BigFraction slip, BigFraction discount) {

  /** When the goal reward is paid and the episode ends. */
  public enum Payoff {
    /** On the move into a goal, which is terminal (FrozenLake, Cliff Walking). */
    ON_ENTERING_GOAL,
    /** On any action from a goal, which then leads to the terminal exit (gym-classics). */
    ON_ACTING_FROM_GOAL
  }

  /**
   * Checks the components.
   *
   * @throws ModelException when the slip probability or the discount is outside [0, 1]
   */
  public GridRules {
    Objects.requireNonNull(payoff, "payoff");
    Objects.requireNonNull(goalReward, "goalReward");
    Objects.requireNonNull(stepReward, "stepReward");
    Objects.requireNonNull(slip, "slip");
    Objects.requireNonNull(discount, "discount");
    if (Rationals.signum(slip) < 0 || slip.compareTo(BigFraction.ONE) > 0) {
      throw new ModelException("grid rules: slip probability " + Rationals.format(slip)
          + " is outside [0, 1]");
    }
    if (Rationals.signum(discount) < 0 || discount.compareTo(BigFraction.ONE) > 0) {
      throw new ModelException("grid rules: discount " + Rationals.format(discount)
          + " is outside [0, 1]");
    }
  }

  /**
   * {@return FrozenLake-style rules: goal reward 1 on entering a goal, which ends the episode;
   * step reward 0; deterministic; undiscounted}
   */
  public static GridRules enteringGoal() {
    return new GridRules(Payoff.ON_ENTERING_GOAL, BigFraction.ONE, BigFraction.ZERO,
        BigFraction.ZERO, BigFraction.ONE);
  }

  /**
   * {@return gym-classics rules: goal reward 1 on acting from a goal, then the episode ends; step
   * reward 0; deterministic; the given discount}
   *
   * @param discount gamma in [0, 1]
   */
  public static GridRules actingFromGoal(BigFraction discount) {
    return new GridRules(Payoff.ON_ACTING_FROM_GOAL, BigFraction.ONE, BigFraction.ZERO,
        BigFraction.ZERO, discount);
  }

  /**
   * {@return these rules with another payoff convention}
   * @param newPayoff the convention
   */
  public GridRules withPayoff(Payoff newPayoff) {
    return new GridRules(newPayoff, goalReward, stepReward, slip, discount);
  }

  /**
   * {@return these rules with another goal reward}
   * @param reward integer, decimal or "p/q"
   */
  public GridRules withGoalReward(String reward) {
    return new GridRules(payoff, Rationals.parse(reward), stepReward, slip, discount);
  }

  /**
   * {@return these rules with another step reward}
   * @param reward integer, decimal or "p/q"
   */
  public GridRules withStepReward(String reward) {
    return new GridRules(payoff, goalReward, Rationals.parse(reward), slip, discount);
  }

  /**
   * {@return these rules with another slip probability}
   * @param p integer, decimal or "p/q" in [0, 1]
   */
  public GridRules withSlip(String p) {
    return new GridRules(payoff, goalReward, stepReward, Rationals.parse(p), discount);
  }

  /**
   * {@return these rules with another discount}
   * @param gamma integer, decimal or "p/q" in [0, 1]
   */
  public GridRules withDiscount(String gamma) {
    return new GridRules(payoff, goalReward, stepReward, slip, Rationals.parse(gamma));
  }
}
