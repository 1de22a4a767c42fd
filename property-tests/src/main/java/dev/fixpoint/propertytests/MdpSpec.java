package dev.fixpoint.propertytests;

import dev.fixpoint.dsl.Rationals;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * What random MDPs {@link Generators#mdps(MdpSpec)} draws: sizes, the numeric tier, the number
 * grids, and whether terminal states and the undiscounted case (gamma = 1) occur.
 *
 * <p>States are 1..n with n in [minStates, maxStates]; action labels are 1..A with A in [1,
 * maxActions], each state having a non-empty subset of them; each available pair has b in [1,
 * min(maxBranching, n)] distinct successors (in the exact tier also b &lt;= denominator).
 * Exact probabilities are multiples of 1/denominator (a random composition of the denominator),
 * then halved where an outcome is split in two; double probabilities are normalised weights in
 * [1, 64). Rewards are drawn per outcome: exact ones on the grid minReward + k/rewardDenominator,
 * double ones uniform in [minReward, maxReward]. The discount is drawn from the grid k /
 * discountDenominator inside [minDiscount, maxDiscount].
 *
 * <p>With {@code undiscounted}, a quarter of the models get gamma = 1; those have at least one
 * terminal state and every available pair has a terminal successor, so every policy reaches a
 * terminal state with probability 1 (proper) and the Bellman operators have unique fixed points
 * (Bertsekas &amp; Tsitsiklis, Neuro-Dynamic Programming, 1996, section 2.2, stochastic shortest
 * paths). Such models have at least 2 states.
 *
 * @param tier exact or double numbers
 * @param minStates smallest n, at least 1
 * @param maxStates largest n
 * @param maxActions largest number of action labels, at least 1
 * @param maxBranching largest number of successors per pair, at least 1
 * @param denominator exact probabilities are multiples of 1/denominator; at least 1
 * @param minReward smallest reward
 * @param maxReward largest reward
 * @param rewardDenominator exact rewards are multiples of 1/rewardDenominator; at least 1
 * @param minDiscount smallest discount, in [0, 1)
 * @param maxDiscount largest discount below 1, in [minDiscount, 1)
 * @param discountDenominator discounts are multiples of 1/discountDenominator; the interval
 *     must contain one
 * @param terminals whether states may be terminal (about one in four)
 * @param undiscounted whether gamma = 1 occurs (in about one model in four)
 */
@API(status = API.Status.EXPERIMENTAL)
public record MdpSpec(Tier tier, int minStates, int maxStates, int maxActions, int maxBranching,
    int denominator, int minReward, int maxReward, int rewardDenominator,
    BigFraction minDiscount, BigFraction maxDiscount, int discountDenominator,
    boolean terminals, boolean undiscounted) {

  /**
   * Checks the parameters.
   *
   * @throws IllegalArgumentException listing every rule broken
   */
  public MdpSpec {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(minDiscount, "minDiscount");
    Objects.requireNonNull(maxDiscount, "maxDiscount");
    List<String> problems = new ArrayList<>();
    if (minStates < 1 || minStates > maxStates) {
      problems.add("states [" + minStates + ", " + maxStates + "]: need 1 <= min <= max");
    }
    if (undiscounted && maxStates < 2) {
      problems.add("undiscounted models need a terminal and a non-terminal state: maxStates = "
          + maxStates + " < 2");
    }
    if (maxActions < 1 || maxBranching < 1 || denominator < 1 || rewardDenominator < 1
        || discountDenominator < 1) {
      problems.add("maxActions " + maxActions + ", maxBranching " + maxBranching
          + ", denominator " + denominator + ", rewardDenominator " + rewardDenominator
          + ", discountDenominator " + discountDenominator + ": each must be at least 1");
    }
    if (minReward > maxReward) {
      problems.add("rewards [" + minReward + ", " + maxReward + "]: min > max");
    }
    if (Rationals.signum(minDiscount) < 0 || minDiscount.compareTo(maxDiscount) > 0
        || maxDiscount.compareTo(BigFraction.ONE) >= 0) {
      problems.add("discounts [" + Rationals.format(minDiscount) + ", "
          + Rationals.format(maxDiscount) + "]: need 0 <= min <= max < 1 (gamma = 1 comes from "
          + "'undiscounted')");
    } else if (discountDenominator >= 1 && firstDiscountNumerator(minDiscount,
        discountDenominator) > lastDiscountNumerator(maxDiscount, discountDenominator)) {
      problems.add("no multiple of 1/" + discountDenominator + " in the discount range ["
          + Rationals.format(minDiscount) + ", " + Rationals.format(maxDiscount) + "]");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * {@return exact models small enough for exact solvers: 1..5 states, up to 3 actions and 3
   * successors, probabilities in twelfths, integer rewards in [-5, 5], discount in {0, 1/10, ...,
   * 9/10}, terminal states allowed, no gamma = 1}
   */
  public static MdpSpec exact() {
    return new MdpSpec(Tier.EXACT, 1, 5, 3, 3, 12, -5, 5, 1, BigFraction.ZERO,
        new BigFraction(9, 10), 10, true, false);
  }

  /**
   * {@return double models: 1..8 states, up to 4 actions and 4 successors, rewards in [-5, 5],
   * discount in {0, 1/10, ..., 9/10}, terminal states allowed, no gamma = 1}
   */
  public static MdpSpec doubles() {
    return new MdpSpec(Tier.DOUBLE, 1, 8, 4, 4, 12, -5, 5, 1, BigFraction.ZERO,
        new BigFraction(9, 10), 10, true, false);
  }

  /**
   * {@return this spec in another tier}
   *
   * @param t the tier
   */
  public MdpSpec withTier(Tier t) {
    return new MdpSpec(t, minStates, maxStates, maxActions, maxBranching, denominator, minReward,
        maxReward, rewardDenominator, minDiscount, maxDiscount, discountDenominator, terminals,
        undiscounted);
  }

  /**
   * {@return this spec with n in [min, max]}
   *
   * @param min smallest
   * @param max largest
   */
  public MdpSpec withStates(int min, int max) {
    return new MdpSpec(tier, min, max, maxActions, maxBranching, denominator, minReward,
        maxReward, rewardDenominator, minDiscount, maxDiscount, discountDenominator, terminals,
        undiscounted);
  }

  /**
   * {@return this spec with up to a action labels}
   *
   * @param a at least 1
   */
  public MdpSpec withMaxActions(int a) {
    return new MdpSpec(tier, minStates, maxStates, a, maxBranching, denominator, minReward,
        maxReward, rewardDenominator, minDiscount, maxDiscount, discountDenominator, terminals,
        undiscounted);
  }

  /**
   * {@return this spec with up to b successors per pair}
   *
   * @param b at least 1
   */
  public MdpSpec withMaxBranching(int b) {
    return new MdpSpec(tier, minStates, maxStates, maxActions, b, denominator, minReward,
        maxReward, rewardDenominator, minDiscount, maxDiscount, discountDenominator, terminals,
        undiscounted);
  }

  /**
   * {@return this spec with exact probabilities in multiples of 1/q}
   *
   * @param q at least 1
   */
  public MdpSpec withDenominator(int q) {
    return new MdpSpec(tier, minStates, maxStates, maxActions, maxBranching, q, minReward,
        maxReward, rewardDenominator, minDiscount, maxDiscount, discountDenominator, terminals,
        undiscounted);
  }

  /**
   * {@return this spec with rewards in [min, max], exact ones in steps of 1/d}
   *
   * @param min smallest reward
   * @param max largest reward
   * @param d step denominator, at least 1
   */
  public MdpSpec withRewards(int min, int max, int d) {
    return new MdpSpec(tier, minStates, maxStates, maxActions, maxBranching, denominator, min,
        max, d, minDiscount, maxDiscount, discountDenominator, terminals, undiscounted);
  }

  /**
   * {@return this spec with discounts k/d in [min, max]}
   *
   * @param min smallest discount, at least 0
   * @param max largest discount, below 1
   * @param d the grid denominator
   */
  public MdpSpec withDiscounts(BigFraction min, BigFraction max, int d) {
    return new MdpSpec(tier, minStates, maxStates, maxActions, maxBranching, denominator,
        minReward, maxReward, rewardDenominator, min, max, d, terminals, undiscounted);
  }

  /**
   * {@return this spec with or without terminal states}
   *
   * @param allowed whether they occur
   */
  public MdpSpec withTerminals(boolean allowed) {
    return new MdpSpec(tier, minStates, maxStates, maxActions, maxBranching, denominator,
        minReward, maxReward, rewardDenominator, minDiscount, maxDiscount, discountDenominator,
        allowed, undiscounted);
  }

  /**
   * {@return this spec with or without gamma = 1 (proper models with terminal states)}
   *
   * @param allowed whether gamma = 1 occurs
   */
  public MdpSpec withUndiscounted(boolean allowed) {
    return new MdpSpec(tier, minStates, maxStates, maxActions, maxBranching, denominator,
        minReward, maxReward, rewardDenominator, minDiscount, maxDiscount, discountDenominator,
        terminals, allowed);
  }

  /** {@return the smallest k with k/d &gt;= min} */
  static int firstDiscountNumerator(BigFraction min, int d) {
    BigFraction x = min.multiply(d);
    int k = x.getNumerator().divide(x.getDenominator()).intValueExact();
    return new BigFraction(k, d).compareTo(min) >= 0 ? k : k + 1;
  }

  /** {@return the largest k with k/d &lt;= max} */
  static int lastDiscountNumerator(BigFraction max, int d) {
    BigFraction x = max.multiply(d);
    return x.getNumerator().divide(x.getDenominator()).intValueExact();
  }
}
