package dev.fixpoint.propertytests;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * A generated MDP, held as its typed description: states 1..n declared in {@link #states()} order
 * (a permutation, so state indices of the tabulation differ from labels), action labels 1..A, for
 * each non-terminal state its available actions in a listed order, for each available pair the
 * joint distribution of (next state, reward) (outcomes with the same next state and different
 * rewards may occur), the discount, the terminal states, and the numeric {@link Tier}.
 *
 * <p>{@link #description()} is the {@link Mdp} over {@code Integer} states and actions; {@link
 * #tabular()} is its tabulation, computed once. Instances are immutable and compare by value.
 * Draw them with {@link Generators#mdps(MdpSpec)}, which also shrinks them.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class RandomMdp {
  private final Tier tier;
  private final int numActions;
  private final List<Integer> order;
  private final boolean[] terminal; // by label - 1
  private final List<List<Integer>> actions; // by label - 1, in listed order
  private final List<List<Dist<Outcome<Integer>>>> dynamics; // parallel to actions
  private final BigFraction discount;
  private final TabularMdp<Integer, Integer> tabular;

  private RandomMdp(Tier tier, int numActions, List<Integer> order, boolean[] terminal,
      List<List<Integer>> actions, List<List<Dist<Outcome<Integer>>>> dynamics,
      BigFraction discount) {
    this.tier = tier;
    this.numActions = numActions;
    this.order = List.copyOf(order);
    this.terminal = terminal.clone();
    List<List<Integer>> as = new ArrayList<>();
    List<List<Dist<Outcome<Integer>>>> ds = new ArrayList<>();
    for (int i = 0; i < terminal.length; i++) {
      as.add(List.copyOf(actions.get(i)));
      ds.add(List.copyOf(dynamics.get(i)));
    }
    this.actions = List.copyOf(as);
    this.dynamics = List.copyOf(ds);
    this.discount = discount;
    this.tabular = description().tabulate();
  }

  /**
   * Builds and validates a generated model (package use: generators and shrinkers).
   *
   * @throws ModelException when the description does not tabulate
   */
  static RandomMdp of(Tier tier, int numActions, List<Integer> order, boolean[] terminal,
      List<List<Integer>> actions, List<List<Dist<Outcome<Integer>>>> dynamics,
      BigFraction discount) {
    int n = terminal.length;
    if (order.size() != n || actions.size() != n || dynamics.size() != n) {
      throw new IllegalArgumentException("sizes differ: " + order.size() + " " + n + " "
          + actions.size() + " " + dynamics.size());
    }
    return new RandomMdp(tier, numActions, order, terminal, actions, dynamics, discount);
  }

  // ---------------------------------------------------------------- views

  /** {@return the numeric tier} */
  public Tier tier() {
    return tier;
  }

  /** {@return whether the numbers are exact (tier EXACT)} */
  public boolean isExact() {
    return tier == Tier.EXACT;
  }

  /** {@return n: the states are 1..n} */
  public int numStates() {
    return terminal.length;
  }

  /** {@return A: the action labels are among 1..A} */
  public int numActions() {
    return numActions;
  }

  /** {@return the states in declaration order (a permutation of 1..n)} */
  public List<Integer> states() {
    return order;
  }

  /**
   * {@return whether state s is terminal}
   *
   * @param s a state in 1..n
   */
  public boolean isTerminal(int s) {
    return terminal[s - 1];
  }

  /**
   * {@return the available actions of s in listed order (empty when terminal)}
   *
   * @param s a state
   */
  public List<Integer> actions(int s) {
    return actions.get(s - 1);
  }

  /**
   * {@return p(s', r | s, a)}
   *
   * @param s a non-terminal state
   * @param a an action available in s
   * @throws ModelException when a is not available in s
   */
  public Dist<Outcome<Integer>> outcomes(int s, int a) {
    int i = s >= 1 && s <= numStates() ? actions.get(s - 1).indexOf(a) : -1;
    if (i < 0) {
      throw new ModelException("state " + s + ", action " + a + ": not available");
    }
    return dynamics.get(s - 1).get(i);
  }

  /** {@return the discount} */
  public BigFraction discount() {
    return discount;
  }

  /** {@return the number of available (state, action) pairs} */
  public int numRows() {
    int rows = 0;
    for (List<Integer> as : actions) {
      rows += as.size();
    }
    return rows;
  }

  /** {@return the typed description: states declared in {@link #states()} order} */
  public Mdp<Integer, Integer> description() {
    return Mdp.of(order, this::actions, this::outcomes, discount)
        .withTerminal(this::isTerminal).withName(name());
  }

  /** {@return the tabulation of {@link #description()}, computed once} */
  public TabularMdp<Integer, Integer> tabular() {
    return tabular;
  }

  private String name() {
    return "random-mdp(" + numStates() + " states, " + numRows() + " rows)";
  }

  // ---------------------------------------------------------------- package: shrinking support

  List<List<Integer>> actionLists() {
    return actions;
  }

  List<List<Dist<Outcome<Integer>>>> dynamicsLists() {
    return dynamics;
  }

  boolean[] terminalFlags() {
    return terminal.clone();
  }

  // ---------------------------------------------------------------- value semantics

  @Override
  public boolean equals(Object o) {
    return o instanceof RandomMdp m && tier == m.tier && numActions == m.numActions
        && order.equals(m.order) && Arrays.equals(terminal, m.terminal)
        && actions.equals(m.actions) && dynamics.equals(m.dynamics)
        && discount.equals(m.discount);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tier, numActions, order, Arrays.hashCode(terminal), actions, dynamics,
        discount);
  }

  /**
   * {@return every number of the model, e.g. {@code RandomMdp[EXACT, states [2, 1, 3], gamma
   * 9/10, terminal [3]; 1 a2 -> {(2, 1): 1/3, (3, -2): 2/3}; ...]}}
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("RandomMdp[").append(tier).append(", states ")
        .append(order).append(", gamma ").append(Rationals.format(discount)).append(", terminal [");
    boolean first = true;
    for (int s = 1; s <= numStates(); s++) {
      if (terminal[s - 1]) {
        b.append(first ? "" : ", ").append(s);
        first = false;
      }
    }
    b.append(']');
    for (int s = 1; s <= numStates(); s++) {
      for (int i = 0; i < actions.get(s - 1).size(); i++) {
        b.append("; ").append(s).append(" a").append(actions.get(s - 1).get(i)).append(" -> ")
            .append(dynamics.get(s - 1).get(i));
      }
    }
    return b.append(']').toString();
  }
}
