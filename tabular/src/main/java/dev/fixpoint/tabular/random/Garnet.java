package dev.fixpoint.tabular.random;

import dev.fixpoint.dsl.Indexer;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * A Garnet ("generic average reward non-stationary environment test-bench") random MDP in the
 * double tier, built directly into the CSR arrays of a {@link TabularMdp}.
 *
 * <p>The construction follows Archibald, McKinnon &amp; Thomas, "On the generation of Markov
 * decision processes", J. Operational Research Society 46 (1995), and the parameterisation
 * Garnet(n, m, b) of Bhatnagar, Sutton, Ghavamzadeh &amp; Lee, "Natural actor-critic algorithms",
 * Automatica 45(11), 2009: n states, m actions in every state, and for every
 * (state, action) pair a branching factor of b distinct successor states drawn uniformly without
 * replacement, whose probabilities split the unit interval at b - 1 uniform cut-points (so the
 * probability vector is uniform on the simplex, Dirichlet(1, ..., 1)).
 *
 * <p>Here: states and actions are the integers {@code 0 .. states-1} and {@code 0 .. actions-1};
 * the last {@code terminals} states are terminal (no rows, value 0) and the others have every
 * action, so row {@code s * actions + a} is the pair (s, a). Successors are drawn from all states,
 * terminal ones included (with {@code terminals = 0} the chain may be periodic or reducible, as in
 * the original). The expected reward r(s, a) is uniform on [minReward, maxReward). The initial
 * distribution is uniform over the non-terminal states. With {@code discount = 1} the model is
 * proper only if every policy reaches a terminal state; check that before solving.
 *
 * <p><b>Reproducibility.</b> The model is a function of the generator's output sequence: for each
 * non-terminal state s in order and each action a in order, b draws {@code nextInt(j + 1)} choose
 * the successors (Floyd's algorithm, then sorted ascending), b - 1 draws {@code nextDouble()} give
 * the cut-points (sorted; a row whose probabilities would contain an exact 0 is redrawn, which has
 * probability about b^2 2^-53), and one {@code nextDouble()} gives the reward. The same seed gives
 * the same model bit for bit.
 *
 * <p><b>Cost.</b> O(rows * b^2) time with no boxing; 1,000,000 states x 4 actions x 4 successors
 * (16 million transitions, about 200 MB of arrays, twice while {@link TabularMdp#of} copies and
 * validates them) take about a second on a warm JVM (measured on 2 cores: 0.3 s drawing, the rest
 * indexing and validation; two to three seconds on a cold JVM).
 *
 * @param states n, at least 1
 * @param actions m, at least 1
 * @param branching b, in [1, states]
 * @param minReward the smallest reward
 * @param maxReward the largest reward (exclusive unless equal to minReward)
 * @param discount gamma in [0, 1]
 * @param terminals how many of the last states are terminal, in [0, states)
 */
@API(status = API.Status.EXPERIMENTAL)
public record Garnet(int states, int actions, int branching, double minReward,
    double maxReward, double discount, int terminals) {

  /**
   * Checks the parameters.
   *
   * @throws ModelException naming the parameter and the rule broken
   */
  public Garnet {
    List<String> problems = new ArrayList<>();
    check(states, actions, branching, terminals, problems);
    if (!Double.isFinite(minReward) || !Double.isFinite(maxReward) || minReward > maxReward) {
      problems.add("Garnet: rewards [" + minReward + ", " + maxReward
          + ") must be finite with min <= max");
    }
    if (!(discount >= 0 && discount <= 1)) {
      problems.add("Garnet: discount " + discount + " is outside [0, 1]");
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
  }

  /**
   * {@return Garnet(states, actions, branching) with rewards uniform on [0, 1), discount 0.9 and
   * no terminal state}
   *
   * @param states n
   * @param actions m
   * @param branching b
   */
  public static Garnet of(int states, int actions, int branching) {
    return new Garnet(states, actions, branching, 0.0, 1.0, 0.9, 0);
  }

  /**
   * {@return this spec with rewards uniform on [min, max)}
   *
   * @param min smallest
   * @param max largest
   */
  public Garnet withRewards(double min, double max) {
    return new Garnet(states, actions, branching, min, max, discount, terminals);
  }

  /**
   * {@return this spec with another discount}
   *
   * @param gamma in [0, 1]
   */
  public Garnet withDiscount(double gamma) {
    return new Garnet(states, actions, branching, minReward, maxReward, gamma, terminals);
  }

  /**
   * {@return this spec with the last k states terminal}
   *
   * @param k in [0, states)
   */
  public Garnet withTerminals(int k) {
    return new Garnet(states, actions, branching, minReward, maxReward, discount, k);
  }

  /**
   * Draws one model.
   *
   * @param rng the source of randomness, advanced by the draws listed in the class comment
   * @return the model, named {@code garnet(n,m,b)}, states and actions indexed by themselves
   */
  public TabularMdp<Integer, Integer> generate(RandomGenerator rng) {
    int live = states - terminals;
    int rows = live * actions;
    int entries = rows * branching;
    int[] rowStart = rowStarts(states, live, actions);
    int[] rowAction = new int[rows];
    int[] entryStart = new int[rows + 1];
    int[] next = new int[entries];
    double[] prob = new double[entries];
    double[] reward = new double[rows];
    double[] cuts = new double[Math.max(branching - 1, 0)];
    double width = maxReward - minReward;
    Sampling sampling = new Sampling(states, branching);
    int r = 0;
    for (int s = 0; s < live; s++) {
      for (int a = 0; a < actions; a++, r++) {
        int off = r * branching;
        rowAction[r] = a;
        entryStart[r] = off;
        sampling.distinct(rng, states, branching, next, off);
        cutPoints(rng, cuts, prob, off);
        reward[r] = minReward + width * rng.nextDouble();
      }
    }
    entryStart[rows] = entries;
    boolean[] terminal = new boolean[states];
    double[] initial = new double[states];
    for (int s = 0; s < states; s++) {
      terminal[s] = s >= live;
      initial[s] = s < live ? 1.0 / live : 0.0;
    }
    return TabularMdp.of(name(), numbered("state", states), numbered("action", actions), rowStart,
        rowAction, entryStart, next, prob, reward, terminal, discount, initial, null);
  }

  /** Splits [0, 1] at sorted uniform cut-points into prob[off .. off+b), redrawing on a 0 part. */
  private void cutPoints(RandomGenerator rng, double[] cuts, double[] prob, int off) {
    int b = branching;
    while (true) {
      for (int i = 0; i < b - 1; i++) {
        cuts[i] = rng.nextDouble();
      }
      Sampling.sort(cuts, 0, b - 1);
      double prev = 0;
      boolean positive = true;
      for (int i = 0; i < b - 1; i++) {
        prob[off + i] = cuts[i] - prev;
        positive &= prob[off + i] > 0;
        prev = cuts[i];
      }
      prob[off + b - 1] = 1.0 - prev;
      if (positive && prob[off + b - 1] > 0) {
        return;
      }
    }
  }

  private String name() {
    return "garnet(" + states + "," + actions + "," + branching + ")";
  }

  static void check(int states, int actions, int branching, int terminals,
      List<String> problems) {
    if (states < 1) {
      problems.add("Garnet: states = " + states + " must be at least 1");
    }
    if (actions < 1) {
      problems.add("Garnet: actions = " + actions + " must be at least 1");
    }
    if (branching < 1 || branching > states) {
      problems.add("Garnet: branching = " + branching + " must be in [1, states = " + states
          + "]");
    }
    if (terminals < 0 || terminals >= states) {
      problems.add("Garnet: terminals = " + terminals + " must be in [0, states = " + states
          + ")");
    }
    long entries = (long) (states - Math.max(terminals, 0)) * actions * branching;
    if (problems.isEmpty() && entries > Integer.MAX_VALUE - 16) {
      problems.add("Garnet: " + entries + " transitions do not fit in one array (at most "
          + (Integer.MAX_VALUE - 16) + ")");
    }
  }

  static int[] rowStarts(int states, int live, int actions) {
    int[] rowStart = new int[states + 1];
    for (int s = 0; s <= states; s++) {
      rowStart[s] = Math.min(s, live) * actions;
    }
    return rowStart;
  }

  static Indexer<Integer> numbered(String kind, int n) {
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      xs.add(i);
    }
    return Indexer.of(kind, xs);
  }
}
