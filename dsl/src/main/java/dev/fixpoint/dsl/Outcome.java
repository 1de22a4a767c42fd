package dev.fixpoint.dsl;

import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * One joint outcome of a transition: the next state and the reward, as in Sutton &amp; Barto's
 * p(s', r | s, a). Rewards are exact rationals; a {@code double} reward is read as the decimal it
 * prints as ({@link Rationals#fromDouble(double)}).
 *
 * @param next the next state
 * @param reward the reward received on this transition
 * @param <S> the state type
 */
@API(status = API.Status.STABLE)
public record Outcome<S>(S next, BigFraction reward) {
  /** Checks the components. */
  public Outcome {
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(reward, "reward");
  }

  /**
   * {@return the outcome (next, reward)}
   * @param next state
   * @param reward an exact reward
   * @param <S> type
   */
  public static <S> Outcome<S> of(S next, BigFraction reward) {
    return new Outcome<>(next, reward);
  }

  /**
   * {@return the outcome (next, reward)}
   * @param next state
   * @param reward an integer reward
   * @param <S> type
   */
  public static <S> Outcome<S> of(S next, long reward) {
    return new Outcome<>(next, new BigFraction(reward));
  }

  /**
   * {@return the outcome (next, reward)}
   * @param next state
   * @param reward a finite reward, read as its decimal text
   * @param <S> type
   */
  public static <S> Outcome<S> of(S next, double reward) {
    return new Outcome<>(next, Rationals.fromDouble(reward));
  }

  /**
   * {@return the outcome (next, reward)}
   * @param next state
   * @param reward integer, decimal or "p/q"
   * @param <S> type
   */
  public static <S> Outcome<S> of(S next, String reward) {
    return new Outcome<>(next, Rationals.parse(reward));
  }

  /** {@return the reward as the nearest double} */
  public double rewardAsDouble() {
    return Rationals.toDouble(reward);
  }

  @Override
  public String toString() {
    return "(" + next + ", " + Rationals.format(reward) + ")";
  }
}
