package dev.fixpoint.dsl;

import io.vavr.control.Option;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * A Markov decision process described over user types: the states (declared, or reached from the
 * initial distribution), the actions available in each state, the dynamics {@code (s, a) ->
 * Dist<Outcome<S>>} (the joint p(s', r | s, a) of Sutton &amp; Barto, 2nd ed., eq. 3.2), the
 * discount, the terminal states and the initial distribution.
 *
 * <p>An {@code Mdp} is a description: nothing is evaluated until {@link #tabulate()}, which
 * enumerates the states once, calls the dynamics once per available pair, validates everything and
 * returns the dense {@link TabularMdp} that algorithms run on. Terminal states are absorbing with
 * value 0; their actions and dynamics are never asked for.
 *
 * @param name a name used in messages and output
 * @param declaredStates the states, when declared; otherwise they are reached from {@code initial}
 * @param initial the initial distribution; when absent, uniform over the non-terminal states
 * @param actions the actions available in a non-terminal state (non-empty, distinct)
 * @param dynamics the joint distribution of (next state, reward) for an available pair
 * @param discount gamma in [0, 1]
 * @param terminal which states are terminal
 * @param <S> the state type (value semantics: records, enums, strings, boxed numbers)
 * @param <A> the action type (value semantics)
 */
@API(status = API.Status.STABLE)
public record Mdp<S, A>(
    String name,
    Option<List<S>> declaredStates,
    Option<Dist<S>> initial,
    Function<S, List<A>> actions,
    BiFunction<S, A, Dist<Outcome<S>>> dynamics,
    BigFraction discount,
    Predicate<S> terminal) {

  /** The largest number of states {@link #tabulate()} explores unless told otherwise. */
  public static final int DEFAULT_MAX_STATES = 10_000_000;

  /** Checks the components (the model itself is validated by {@link #tabulate()}). */
  public Mdp {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(declaredStates, "declaredStates");
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(actions, "actions");
    Objects.requireNonNull(dynamics, "dynamics");
    Objects.requireNonNull(discount, "discount");
    Objects.requireNonNull(terminal, "terminal");
    if (declaredStates.isEmpty() && initial.isEmpty()) {
      throw new ModelException(name + ": give the states or an initial distribution");
    }
  }

  /**
   * An MDP over declared states, with no terminal state and uniform initial distribution.
   *
   * @param states the states, distinct
   * @param actions the available actions of each state
   * @param dynamics p(s', r | s, a)
   * @param discount gamma in [0, 1]
   * @param <S> the state type
   * @param <A> the action type
   * @return the description
   */
  public static <S, A> Mdp<S, A> of(List<S> states, Function<S, List<A>> actions,
      BiFunction<S, A, Dist<Outcome<S>>> dynamics, BigFraction discount) {
    return new Mdp<>("mdp", Option.some(List.copyOf(states)), Option.none(), actions, dynamics,
        discount, s -> false);
  }

  /**
   * {@return an MDP over declared states}
   * @param states the states
   * @param actions per state
   * @param dynamics p(s', r | s, a)
   * @param discount gamma as integer, decimal or "p/q" text
   * @param <S> state type
   * @param <A> action type
   */
  public static <S, A> Mdp<S, A> of(List<S> states, Function<S, List<A>> actions,
      BiFunction<S, A, Dist<Outcome<S>>> dynamics, String discount) {
    return of(states, actions, dynamics, Rationals.parse(discount));
  }

  /**
   * {@return an MDP over declared states}
   * @param states the states
   * @param actions per state
   * @param dynamics p(s', r | s, a)
   * @param discount gamma, read as its decimal text
   * @param <S> state type
   * @param <A> action type
   */
  public static <S, A> Mdp<S, A> of(List<S> states, Function<S, List<A>> actions,
      BiFunction<S, A, Dist<Outcome<S>>> dynamics, double discount) {
    return of(states, actions, dynamics, Rationals.fromDouble(discount));
  }

  /**
   * An MDP whose states are those reachable from the initial distribution (breadth first, in the
   * order outcomes are given).
   *
   * @param initial the initial distribution
   * @param actions the available actions of each state
   * @param dynamics p(s', r | s, a)
   * @param discount gamma in [0, 1]
   * @param <S> the state type
   * @param <A> the action type
   * @return the description
   */
  public static <S, A> Mdp<S, A> reachable(Dist<S> initial, Function<S, List<A>> actions,
      BiFunction<S, A, Dist<Outcome<S>>> dynamics, BigFraction discount) {
    return new Mdp<>("mdp", Option.none(), Option.some(initial), actions, dynamics, discount,
        s -> false);
  }

  /**
   * {@return this description with a name}
   * @param newName the name
   */
  public Mdp<S, A> withName(String newName) {
    return new Mdp<>(newName, declaredStates, initial, actions, dynamics, discount, terminal);
  }

  /**
   * {@return this description with terminal states given by a predicate}
   * @param isTerminal the test
   */
  public Mdp<S, A> withTerminal(Predicate<S> isTerminal) {
    return new Mdp<>(name, declaredStates, initial, actions, dynamics, discount, isTerminal);
  }

  /**
   * {@return this description with the given terminal states}
   * @param terminalStates the states
   */
  public Mdp<S, A> withTerminal(Collection<? extends S> terminalStates) {
    Set<Object> set = new HashSet<>(terminalStates);
    return withTerminal(set::contains);
  }

  /**
   * {@return this description with an initial distribution}
   * @param init the distribution
   */
  public Mdp<S, A> withInitial(Dist<S> init) {
    return new Mdp<>(name, declaredStates, Option.some(init), actions, dynamics, discount,
        terminal);
  }

  /**
   * {@return this description with another discount}
   * @param gamma in [0, 1]
   */
  public Mdp<S, A> withDiscount(BigFraction gamma) {
    return new Mdp<>(name, declaredStates, initial, actions, dynamics, gamma, terminal);
  }

  /**
   * {@return this description with another discount}
   * @param gamma integer, decimal or "p/q"
   */
  public Mdp<S, A> withDiscount(String gamma) {
    return withDiscount(Rationals.parse(gamma));
  }

  /**
   * Tabulates with at most {@link #DEFAULT_MAX_STATES} states.
   *
   * @return the dense model
   * @throws ModelException listing every problem found, each naming the state and action
   */
  public TabularMdp<S, A> tabulate() {
    return tabulate(DEFAULT_MAX_STATES);
  }

  /**
   * Enumerates the states, calls the dynamics once per available (state, action) pair, validates
   * and builds the dense model. Problems are collected, not thrown one by one: a discount outside
   * [0, 1], a non-terminal state without actions, an action listed twice, dynamics that throw or
   * return nothing, a next state that is not declared, an initial state that is not declared.
   *
   * @param maxStates the most states to explore (guards against an infinite state space)
   * @return the dense model, exact when every distribution is exact
   * @throws ModelException listing every problem found
   */
  public TabularMdp<S, A> tabulate(int maxStates) {
    List<String> problems = new ArrayList<>();
    if (Rationals.signum(discount) < 0 || discount.compareTo(BigFraction.ONE) > 0) {
      problems.add("discount " + Rationals.format(discount) + " is outside [0, 1]");
    }
    // 1. the states
    List<S> stateList = new ArrayList<>();
    Map<S, Integer> index = new HashMap<>();
    boolean declared = declaredStates.isDefined();
    if (declared) {
      for (S s : declaredStates.get()) {
        if (index.putIfAbsent(Objects.requireNonNull(s, "state"), stateList.size()) != null) {
          problems.add("state " + s + " is declared twice");
        } else {
          stateList.add(s);
        }
      }
      if (stateList.isEmpty()) {
        problems.add("no states declared");
      }
    }
    // 2. walk the states (declared ones in order; otherwise breadth first from the initial support)
    Map<A, Integer> actionIndex = new LinkedHashMap<>();
    List<List<Integer>> rowsActions = new ArrayList<>();
    List<List<TreeMap<Integer, BigFraction[]>>> rowsOutcomes = new ArrayList<>();
    List<List<double[]>> rowsRewards = new ArrayList<>();
    boolean isExact = true;
    ArrayDeque<S> queue = new ArrayDeque<>();
    if (!declared) {
      for (S s : initial.get().support()) {
        if (index.putIfAbsent(s, stateList.size()) == null) {
          stateList.add(s);
          queue.add(s);
        }
      }
    }
    List<Boolean> terminalFlags = new ArrayList<>();
    List<List<double[]>> rowsDoubleProbs = new ArrayList<>();
    for (int i = 0; i < stateList.size(); i++) {
      if (stateList.size() > maxStates) {
        problems.add("more than " + maxStates + " states reached; declare the states or raise "
            + "the limit (is the state space infinite?)");
        throw new ModelException(prefix(problems));
      }
      S s = stateList.get(i);
      List<Integer> acts = new ArrayList<>();
      List<TreeMap<Integer, BigFraction[]>> outs = new ArrayList<>();
      List<double[]> rewards = new ArrayList<>();
      List<double[]> dprobs = new ArrayList<>();
      rowsActions.add(acts);
      rowsOutcomes.add(outs);
      rowsRewards.add(rewards);
      rowsDoubleProbs.add(dprobs);
      boolean term = safeTest(s, problems);
      terminalFlags.add(term);
      if (term) {
        continue;
      }
      List<A> as;
      try {
        as = actions.apply(s);
      } catch (RuntimeException e) {
        problems.add("state " + s + ": actions threw " + describe(e));
        continue;
      }
      if (as == null || as.isEmpty()) {
        problems.add("state " + s + ": no available action (mark it terminal?)");
        continue;
      }
      Set<A> seen = new HashSet<>();
      for (A a : as) {
        if (a == null) {
          problems.add("state " + s + ": an action is null");
          continue;
        }
        if (!seen.add(a)) {
          problems.add("state " + s + ", action " + a + ": listed twice");
          continue;
        }
        Dist<Outcome<S>> d;
        try {
          d = dynamics.apply(s, a);
        } catch (ModelException e) {
          problems.add("state " + s + ", action " + a + ": " + e.getMessage());
          continue;
        } catch (RuntimeException e) {
          problems.add("state " + s + ", action " + a + ": dynamics threw " + describe(e));
          continue;
        }
        if (d == null) {
          problems.add("state " + s + ", action " + a + ": dynamics returned null");
          continue;
        }
        if (!d.isExact() && isExact) {
          isExact = false;
        }
        // merge outcomes by next state: exact (prob, prob*reward) and double prob
        TreeMap<Integer, BigFraction[]> merged = new TreeMap<>();
        Map<Integer, Double> dp = new HashMap<>();
        Map<Integer, Double> dr = new HashMap<>();
        double expReward = 0;
        boolean ok = true;
        for (int k = 0; k < d.size(); k++) {
          Outcome<S> o = d.outcome(k);
          S sp = o.next();
          Integer j = index.get(sp);
          if (j == null) {
            if (declared) {
              problems.add("state " + s + ", action " + a + ": next state " + sp
                  + " is not a declared state");
              ok = false;
              continue;
            }
            j = stateList.size();
            index.put(sp, j);
            stateList.add(sp);
          }
          double p = d.probabilityAt(k);
          dp.merge(j, p, Double::sum);
          dr.merge(j, p * o.rewardAsDouble(), Double::sum);
          expReward += p * o.rewardAsDouble();
          if (d.isExact()) {
            BigFraction pe = d.exactProbabilityAt(k);
            BigFraction[] acc = merged.computeIfAbsent(j,
                x -> new BigFraction[] {BigFraction.ZERO, BigFraction.ZERO});
            acc[0] = acc[0].add(pe);
            acc[1] = acc[1].add(pe.multiply(o.reward()));
          } else {
            merged.putIfAbsent(j, new BigFraction[] {BigFraction.ZERO, BigFraction.ZERO});
          }
        }
        if (!ok) {
          continue;
        }
        double[] probsInOrder = new double[2 * merged.size()];
        int q = 0;
        for (Integer j : merged.keySet()) {
          probsInOrder[q] = dp.get(j);
          probsInOrder[merged.size() + q] = dr.get(j) / dp.get(j);
          q++;
        }
        actionIndex.putIfAbsent(a, actionIndex.size());
        acts.add(actionIndex.get(a));
        outs.add(merged);
        rewards.add(new double[] {expReward});
        dprobs.add(probsInOrder);
      }
    }
    // 3. initial distribution
    int n = stateList.size();
    BigFraction[] exactInit = new BigFraction[n];
    Arrays.fill(exactInit, BigFraction.ZERO);
    double[] init = new double[n];
    if (initial.isDefined()) {
      Dist<S> d0 = initial.get();
      if (!d0.isExact() && isExact) {
        isExact = false;
      }
      for (int k = 0; k < d0.size(); k++) {
        Integer j = index.get(d0.outcome(k));
        if (j == null) {
          problems.add("initial state " + d0.outcome(k) + " is not a declared state");
          continue;
        }
        init[j] = d0.probabilityAt(k);
        if (d0.isExact()) {
          exactInit[j] = d0.exactProbabilityAt(k);
        }
      }
    } else {
      int live = 0;
      for (boolean t : terminalFlags) {
        live += t ? 0 : 1;
      }
      for (int j = 0; j < n; j++) {
        if (live == 0 || !terminalFlags.get(j)) {
          exactInit[j] = new BigFraction(1, live == 0 ? n : live);
          init[j] = Rationals.toDouble(exactInit[j]);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelException(prefix(problems));
    }
    // 4. CSR arrays
    int rows = 0;
    int entries = 0;
    for (int i = 0; i < n; i++) {
      rows += rowsActions.get(i).size();
      for (TreeMap<Integer, BigFraction[]> m : rowsOutcomes.get(i)) {
        entries += m.size();
      }
    }
    int[] rowStart = new int[n + 1];
    int[] rowAction = new int[rows];
    int[] entryStart = new int[rows + 1];
    int[] next = new int[entries];
    double[] prob = new double[entries];
    double[] entryReward = new double[entries];
    double[] reward = new double[rows];
    boolean[] term = new boolean[n];
    BigFraction[] eprob = new BigFraction[entries];
    BigFraction[] ereward = new BigFraction[rows];
    int r = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
      rowStart[i] = r;
      term[i] = terminalFlags.get(i);
      List<Integer> acts = rowsActions.get(i);
      for (int j = 0; j < acts.size(); j++) {
        rowAction[r] = acts.get(j);
        entryStart[r] = k;
        reward[r] = rowsRewards.get(i).get(j)[0];
        BigFraction er = BigFraction.ZERO;
        double[] dps = rowsDoubleProbs.get(i).get(j);
        int q = 0;
        int width = dps.length / 2;
        for (Map.Entry<Integer, BigFraction[]> e : rowsOutcomes.get(i).get(j).entrySet()) {
          next[k] = e.getKey();
          entryReward[k] = e.getValue()[0].equals(BigFraction.ZERO) ? dps[width + q]
              : Rationals.toDouble(e.getValue()[1].divide(e.getValue()[0]));
          prob[k] = dps[q++];
          eprob[k] = e.getValue()[0];
          er = er.add(e.getValue()[1]);
          k++;
        }
        ereward[r] = er;
        r++;
      }
    }
    rowStart[n] = r;
    entryStart[rows] = k;
    Indexer<S> si = Indexer.of("state", stateList);
    Indexer<A> ai = Indexer.of("action", new ArrayList<>(actionIndex.keySet()));
    TabularMdp.Exact exact = isExact
        ? new TabularMdp.Exact(eprob, ereward, discount, exactInit) : null;
    if (!isExact) {
      for (int i = 0; i < rows; i++) {
        if (!Double.isFinite(reward[i])) {
          reward[i] = Double.NaN; // reported by TabularMdp.of
        }
      }
    }
    double gamma = Rationals.toDouble(discount);
    TabularMdp<S, A> t = TabularMdp.of(name, si, ai, rowStart, rowAction, entryStart, next, prob,
        reward, term, gamma, init, exact);
    return t.withEntryRewards(entryReward);
  }

  private boolean safeTest(S s, List<String> problems) {
    try {
      return terminal.test(s);
    } catch (RuntimeException e) {
      problems.add("state " + s + ": terminal test threw " + describe(e));
      return false;
    }
  }

  private List<String> prefix(List<String> problems) {
    return problems.stream().map(p -> name + ": " + p).toList();
  }

  private static String describe(RuntimeException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
