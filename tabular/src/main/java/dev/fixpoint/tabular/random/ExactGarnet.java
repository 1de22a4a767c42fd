package dev.fixpoint.tabular.random;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * A Garnet random MDP in the exact tier: the structure of {@link Garnet} (Archibald, McKinnon &amp;
 * Thomas 1995; Bhatnagar, Sutton, Ghavamzadeh &amp; Lee 2009), with every number an exact rational
 * of small denominator so that exact solvers can run on it.
 *
 * <p><b>Probabilities.</b> For each (state, action) pair the b successors get the probabilities
 * c_1/q, ..., c_b/q where (c_1, ..., c_b) is a uniformly random composition of the common
 * denominator q into b positive parts: b - 1 distinct cut-points are drawn from {1, ..., q - 1}
 * (Floyd's algorithm), sorted, and the parts are their gaps. This is the discrete analogue of the
 * uniform cut-points of the double tier; every row sums to exactly 1. It needs q &gt;= b.
 *
 * <p><b>Rewards.</b> r(s, a) = minReward + k / rewardDenominator with k uniform in {0, ...,
 * (maxReward - minReward) rewardDenominator}: integers when rewardDenominator = 1, a grid of
 * fractions otherwise.
 *
 * <p><b>Layout and reproducibility</b> as in {@link Garnet}: states and actions are the integers
 * from 0; the last {@code terminals} states are terminal; row {@code s * actions + a} is (s, a).
 * Per row, in state then action order: b draws choose the successors (sorted ascending), b - 1
 * draws choose the cut-points, one draw {@code nextInt(bound)} the reward. The same seed gives the
 * same model, bit for bit. Exact arithmetic is for small models: the exact solvers are
 * polynomial but with large constants (thousands of states, not millions).
 *
 * @param states n, at least 1
 * @param actions m, at least 1
 * @param branching b, in [1, min(states, denominator)]
 * @param denominator q, the common denominator of the probabilities, at least 1
 * @param minReward the smallest reward
 * @param maxReward the largest reward, at least minReward
 * @param rewardDenominator the grid of rewards is 1 / rewardDenominator, at least 1
 * @param discount gamma in [0, 1]
 * @param terminals how many of the last states are terminal, in [0, states)
 */
@API(status = API.Status.EXPERIMENTAL)
public record ExactGarnet(int states, int actions, int branching, int denominator, int minReward,
    int maxReward, int rewardDenominator, BigFraction discount, int terminals) {

  /**
   * Checks the parameters.
   *
   * @throws ModelException naming the parameter and the rule broken
   */
  public ExactGarnet {
    Objects.requireNonNull(discount, "discount");
    List<String> problems = new ArrayList<>();
    Garnet.check(states, actions, branching, terminals, problems);
    if (denominator < 1 || denominator < branching) {
      problems.add("Garnet: denominator = " + denominator + " must be at least branching = "
          + branching + " (each successor needs a positive share)");
    }
    if (minReward > maxReward || rewardDenominator < 1) {
      problems.add("Garnet: rewards [" + minReward + ", " + maxReward + "] in steps of 1/"
          + rewardDenominator + " need min <= max and a positive step denominator");
    } else if ((long) (maxReward - (long) minReward) * rewardDenominator + 1 > Integer.MAX_VALUE) {
      problems.add("Garnet: too many reward values in [" + minReward + ", " + maxReward
          + "] with step 1/" + rewardDenominator);
    }
    if (Rationals.signum(discount) < 0 || discount.compareTo(BigFraction.ONE) > 0) {
      problems.add("Garnet: discount " + Rationals.format(discount) + " is outside [0, 1]");
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
  }

  /**
   * {@return exact Garnet(states, actions, branching): denominator max(12, branching), integer
   * rewards in [0, 10], discount 9/10, no terminal state}
   *
   * @param states n
   * @param actions m
   * @param branching b
   */
  public static ExactGarnet of(int states, int actions, int branching) {
    return new ExactGarnet(states, actions, branching, Math.max(12, branching), 0, 10, 1,
        new BigFraction(9, 10), 0);
  }

  /**
   * {@return this spec with probabilities in multiples of 1/q}
   *
   * @param q at least branching
   */
  public ExactGarnet withDenominator(int q) {
    return new ExactGarnet(states, actions, branching, q, minReward, maxReward, rewardDenominator,
        discount, terminals);
  }

  /**
   * {@return this spec with rewards on the grid min, min + 1/d, ..., max}
   *
   * @param min smallest reward
   * @param max largest reward
   * @param d grid denominator, at least 1
   */
  public ExactGarnet withRewards(int min, int max, int d) {
    return new ExactGarnet(states, actions, branching, denominator, min, max, d, discount,
        terminals);
  }

  /**
   * {@return this spec with another discount}
   *
   * @param gamma in [0, 1]
   */
  public ExactGarnet withDiscount(BigFraction gamma) {
    return new ExactGarnet(states, actions, branching, denominator, minReward, maxReward,
        rewardDenominator, gamma, terminals);
  }

  /**
   * {@return this spec with another discount}
   *
   * @param gamma integer, decimal or "p/q"
   */
  public ExactGarnet withDiscount(String gamma) {
    return withDiscount(Rationals.parse(gamma));
  }

  /**
   * {@return this spec with the last k states terminal}
   *
   * @param k in [0, states)
   */
  public ExactGarnet withTerminals(int k) {
    return new ExactGarnet(states, actions, branching, denominator, minReward, maxReward,
        rewardDenominator, discount, k);
  }

  /**
   * Draws one exact model.
   *
   * @param rng the source of randomness, advanced by the draws listed in the class comment
   * @return the exact model, named {@code exact-garnet(n,m,b)}
   */
  public TabularMdp<Integer, Integer> generate(RandomGenerator rng) {
    int live = states - terminals;
    int rows = live * actions;
    int entries = rows * branching;
    int[] rowStart = Garnet.rowStarts(states, live, actions);
    int[] rowAction = new int[rows];
    int[] entryStart = new int[rows + 1];
    int[] next = new int[entries];
    BigFraction[] prob = new BigFraction[entries];
    BigFraction[] reward = new BigFraction[rows];
    BigFraction[] share = new BigFraction[denominator + 1]; // share[c] = c/q, built once
    for (int c = 1; c <= denominator; c++) {
      share[c] = new BigFraction(c, denominator);
    }
    int[] cuts = new int[branching];
    int rewardValues = (maxReward - minReward) * rewardDenominator + 1;
    Sampling successors = new Sampling(states, branching);
    Sampling cutPoints = new Sampling(Math.max(denominator - 1, 1), branching);
    int r = 0;
    for (int s = 0; s < live; s++) {
      for (int a = 0; a < actions; a++, r++) {
        int off = r * branching;
        rowAction[r] = a;
        entryStart[r] = off;
        successors.distinct(rng, states, branching, next, off);
        // b - 1 distinct cut-points in {1, ..., q-1}, as indices {0, ..., q-2} plus one
        cutPoints.distinct(rng, denominator - 1, branching - 1, cuts, 0);
        int prev = 0;
        for (int i = 0; i < branching - 1; i++) {
          prob[off + i] = share[cuts[i] + 1 - prev];
          prev = cuts[i] + 1;
        }
        prob[off + branching - 1] = share[denominator - prev];
        int k = rng.nextInt(rewardValues);
        reward[r] = new BigFraction((long) minReward * rewardDenominator + k, (long) rewardDenominator);
      }
    }
    entryStart[rows] = entries;
    boolean[] terminal = new boolean[states];
    BigFraction[] initial = new BigFraction[states];
    Arrays.fill(initial, BigFraction.ZERO);
    BigFraction uniform = new BigFraction(1, live);
    for (int s = 0; s < states; s++) {
      terminal[s] = s >= live;
      if (s < live) {
        initial[s] = uniform;
      }
    }
    TabularMdp.Exact exact = new TabularMdp.Exact(prob, reward, discount, initial);
    String name = "exact-garnet(" + states + "," + actions + "," + branching + ")";
    return TabularMdp.of(name, Garnet.numbered("state", states),
        Garnet.numbered("action", actions), rowStart, rowAction, entryStart, next,
        new double[entries], new double[rows], terminal, 0.0, new double[states], exact);
  }
}
