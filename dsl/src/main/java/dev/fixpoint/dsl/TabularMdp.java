package dev.fixpoint.dsl;

import dev.fixpoint.dsl.internal.Csr;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A finite MDP in dense form: states and actions indexed, transitions in CSR arrays with one row per
 * <em>available</em> (state, action) pair, grouped by state, expected rewards per row, and the
 * index maps back to the typed states and actions. When every action is available in every
 * non-terminal state and no state is terminal, row {@code s*A + a} is the pair (s, a).
 *
 * <p>Terminal states have no rows and value 0. Next states are strictly increasing within a row
 * (outcomes with the same next state are merged; rewards that depend on the next state enter only
 * through their expectation r(s, a) = sum p(s', r | s, a) r).
 *
 * <p>When the model was given with exact numbers, {@link #exact()} holds the same data as
 * rationals; otherwise {@link #isExact()} is false and exact interpreters refuse the model.
 * Instances are immutable; build them with {@link Mdp#tabulate()} or {@link #of}.
 *
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.STABLE)
public final class TabularMdp<S, A> {
  private final String name;
  private final Indexer<S> states;
  private final Indexer<A> actions;
  private final Csr csr;
  private final double[] initial;
  private final double[] entryReward;
  private final @Nullable Exact exact;
  private final String inexactReason;

  /**
   * The rational copy of a tabular MDP's numbers.
   *
   * @param prob probability per entry (same layout as the double arrays)
   * @param reward expected reward per row
   * @param discount gamma
   * @param initial initial distribution over states
   */
  public record Exact(BigFraction[] prob, BigFraction[] reward, BigFraction discount,
      BigFraction[] initial) {}

  private TabularMdp(String name, Indexer<S> states, Indexer<A> actions, Csr csr,
      double[] initial, double @Nullable [] entryReward, @Nullable Exact exact,
      String inexactReason) {
    if (entryReward == null) {
      entryReward = new double[csr.numEntries()];
      for (int r = 0; r < csr.numRows(); r++) {
        for (int k = csr.entryStart()[r]; k < csr.entryStart()[r + 1]; k++) {
          entryReward[k] = csr.reward()[r];
        }
      }
    }
    this.entryReward = entryReward;
    this.name = name;
    this.states = states;
    this.actions = actions;
    this.csr = csr;
    this.initial = initial;
    this.exact = exact;
    this.inexactReason = inexactReason;
  }

  /**
   * Builds a tabular MDP from arrays (copied) and checks every structural rule: offsets
   * non-decreasing and in range, rows grouped by state with distinct actions, terminal states
   * without rows and other states with at least one, next states in range and strictly increasing
   * within a row, probabilities in (0, 1] summing to 1 within {@value Dist#TOLERANCE} per row
   * (exactly when exact numbers are given), finite rewards, discount in [0, 1], initial
   * distribution valid.
   *
   * @param name a name for messages and output
   * @param states the state indexer (S states)
   * @param actions the action indexer (A actions)
   * @param rowStart S+1 offsets into the rows
   * @param rowAction the action index of each row
   * @param entryStart rows+1 offsets into the entries
   * @param next the next state of each entry
   * @param prob the probability of each entry (ignored when {@code exact} is given: derived)
   * @param reward the expected reward of each row (ignored when {@code exact} is given)
   * @param terminal which states are terminal
   * @param discount gamma (ignored when {@code exact} is given)
   * @param initial the initial distribution over states (ignored when {@code exact} is given)
   * @param exact the rational numbers, or null for a double model
   * @param <S> the state type
   * @param <A> the action type
   * @return the model
   * @throws ModelException listing every rule broken
   */
  public static <S, A> TabularMdp<S, A> of(String name, Indexer<S> states, Indexer<A> actions,
      int[] rowStart, int[] rowAction, int[] entryStart, int[] next, double[] prob,
      double[] reward, boolean[] terminal, double discount, double[] initial,
      @Nullable Exact exact) {
    int n = states.size();
    int numActions = actions.size();
    List<String> problems = new ArrayList<>();
    if (exact != null) {
      prob = Rationals.toDoubles(exact.prob());
      reward = Rationals.toDoubles(exact.reward());
      discount = Rationals.toDouble(exact.discount());
      initial = Rationals.toDoubles(exact.initial());
    }
    rowStart = rowStart.clone();
    rowAction = rowAction.clone();
    entryStart = entryStart.clone();
    next = next.clone();
    prob = prob.clone();
    reward = reward.clone();
    terminal = terminal.clone();
    initial = initial.clone();
    int rows = rowAction.length;
    int entries = next.length;
    if (n < 1) {
      throw new ModelException(name + ": a model needs at least one state");
    }
    if (rowStart.length != n + 1 || terminal.length != n || initial.length != n) {
      throw new ModelException(name + ": rowStart needs " + (n + 1) + " entries, terminal and "
          + "initial " + n + " (got " + rowStart.length + ", " + terminal.length + ", "
          + initial.length + ")");
    }
    if (entryStart.length != rows + 1 || reward.length != rows || prob.length != entries) {
      throw new ModelException(name + ": entryStart needs " + (rows + 1) + " entries, reward "
          + rows + ", prob " + entries + " (got " + entryStart.length + ", " + reward.length
          + ", " + prob.length + ")");
    }
    if (exact != null && (exact.prob().length != entries || exact.reward().length != rows
        || exact.initial().length != n)) {
      throw new ModelException(name + ": exact arrays do not match the double layout");
    }
    if (rowStart[0] != 0 || rowStart[n] != rows) {
      throw new ModelException(name + ": rowStart must start at 0 and end at " + rows);
    }
    if (entryStart[0] != 0 || entryStart[rows] != entries) {
      throw new ModelException(name + ": entryStart must start at 0 and end at " + entries);
    }
    int[] rowState = new int[rows];
    for (int s = 0; s < n; s++) {
      if (rowStart[s + 1] < rowStart[s]) {
        throw new ModelException(name + ": rowStart decreases at state " + states.value(s));
      }
      int count = rowStart[s + 1] - rowStart[s];
      if (terminal[s] && count > 0) {
        problems.add("terminal state " + states.value(s) + " has transitions");
      } else if (!terminal[s] && count == 0) {
        problems.add("state " + states.value(s) + ": no available action (mark it terminal?)");
      }
      long seen = 0;
      boolean[] seenBig = numActions > 64 ? new boolean[numActions] : null;
      for (int r = rowStart[s]; r < rowStart[s + 1]; r++) {
        rowState[r] = s;
        int a = rowAction[r];
        if (a < 0 || a >= numActions) {
          throw new ModelException(name + ": state " + states.value(s) + ", row " + r
              + ": action index " + a + " out of range [0, " + numActions + ")");
        }
        boolean dup = seenBig != null ? seenBig[a] : (seen & (1L << a)) != 0;
        if (dup) {
          problems.add("state " + states.value(s) + ", action " + actions.value(a)
              + ": listed twice");
        }
        if (seenBig != null) {
          seenBig[a] = true;
        } else {
          seen |= 1L << a;
        }
      }
    }
    for (int r = 0; r < rows; r++) {
      String where = "state " + states.value(rowState[r]) + ", action "
          + actions.value(rowAction[r]);
      if (entryStart[r + 1] <= entryStart[r]) {
        if (entryStart[r + 1] < entryStart[r]) {
          throw new ModelException(name + ": entryStart decreases at " + where);
        }
        problems.add(where + ": no outcomes");
        continue;
      }
      double sum = 0;
      BigFraction exactSum = BigFraction.ZERO;
      for (int k = entryStart[r]; k < entryStart[r + 1]; k++) {
        int sp = next[k];
        if (sp < 0 || sp >= n) {
          throw new ModelException(name + ": " + where + ": next state index " + sp
              + " out of range [0, " + n + ")");
        }
        if (k > entryStart[r] && sp <= next[k - 1]) {
          problems.add(where + ": next states not strictly increasing at entry " + k);
        }
        double p = prob[k];
        if (!(p > 0 && p <= 1)) {
          problems.add(where + ": probability " + p + " of next state " + states.value(sp)
              + " is outside (0, 1]");
        }
        sum += p;
        if (exact != null) {
          exactSum = exactSum.add(exact.prob()[k]);
        }
      }
      if (exact != null ? !exactSum.equals(BigFraction.ONE) : Math.abs(sum - 1) > Dist.TOLERANCE) {
        problems.add(where + ": probabilities sum to "
            + (exact != null ? Rationals.format(exactSum) : Double.toString(sum))
            + ", expected 1");
      }
      if (!Double.isFinite(reward[r])) {
        problems.add(where + ": reward " + reward[r] + " is not finite");
      }
    }
    if (!(discount >= 0 && discount <= 1)) {
      problems.add("discount " + discount + " is outside [0, 1]");
    }
    double isum = 0;
    for (int s = 0; s < n; s++) {
      if (!(initial[s] >= 0 && initial[s] <= 1)) {
        problems.add("initial probability " + initial[s] + " of state " + states.value(s)
            + " is outside [0, 1]");
      }
      isum += initial[s];
    }
    if (Math.abs(isum - 1) > Dist.TOLERANCE) {
      problems.add("initial probabilities sum to " + isum + ", expected 1");
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems.stream().map(p -> name + ": " + p).toList());
    }
    Csr csr = new Csr(n, numActions, rowStart, rowAction, rowState, entryStart, next, prob,
        reward, terminal, discount);
    Exact ex = exact == null ? null : new Exact(exact.prob().clone(), exact.reward().clone(),
        exact.discount(), exact.initial().clone());
    return new TabularMdp<>(name, states, actions, csr, initial, null, ex,
        exact == null ? name + " was given with inexact (double) numbers" : "");
  }

  /**
   * {@return the same model with another discount} Keeps exactness.
   *
   * @param gamma the discount, in [0, 1]
   */
  public TabularMdp<S, A> withDiscount(BigFraction gamma) {
    if (Rationals.signum(gamma) < 0 || gamma.compareTo(BigFraction.ONE) > 0) {
      throw new ModelException(name + ": discount " + Rationals.format(gamma)
          + " is outside [0, 1]");
    }
    Csr c = new Csr(csr.numStates(), csr.numActions(), csr.rowStart(), csr.rowAction(),
        csr.rowState(), csr.entryStart(), csr.next(), csr.prob(), csr.reward(), csr.terminal(),
        Rationals.toDouble(gamma));
    Exact e = exact == null ? null
        : new Exact(exact.prob(), exact.reward(), gamma, exact.initial());
    return new TabularMdp<>(name, states, actions, c, initial, entryReward, e, inexactReason);
  }

  /**
   * The same model with the expected reward of each transition, E[r | s, a, s'], kept per entry, so
   * that sampled experience carries the reward of the transition taken rather than r(s, a).
   * Solvers are unaffected: they use r(s, a) = sum_k p_k entryReward[k].
   *
   * @param rewards one finite reward per entry (copied)
   * @return the model with per-transition rewards
   * @throws ModelException when a reward is not finite or a row's expectation differs from r(s, a)
   *     by more than 1e-9 (1 + |r(s, a)|)
   */
  public TabularMdp<S, A> withEntryRewards(double[] rewards) {
    if (rewards.length != numEntries()) {
      throw new ModelException(name + ": " + rewards.length + " entry rewards for "
          + numEntries() + " transitions");
    }
    for (int r = 0; r < numRows(); r++) {
      double e = 0;
      for (int k = entryStart(r); k < entryEnd(r); k++) {
        if (!Double.isFinite(rewards[k])) {
          throw new ModelException(name + ": reward " + rewards[k] + " of transition " + k
              + " is not finite");
        }
        e += prob(k) * rewards[k];
      }
      if (Math.abs(e - reward(r)) > 1e-9 * (1 + Math.abs(reward(r)))) {
        throw new ModelException(name + ": state " + states.value(rowState(r)) + ", action "
            + actions.value(rowAction(r)) + ": transition rewards average " + e
            + ", expected r(s, a) = " + reward(r));
      }
    }
    return new TabularMdp<>(name, states, actions, csr, initial, rewards.clone(), exact,
        inexactReason);
  }

  /**
   * {@return E[r | s, a, s'] of entry k (r(s, a) unless given by {@link #withEntryRewards})}
   *
   * @param k an entry
   */
  public double entryReward(int k) {
    return entryReward[k];
  }

  // ---------------------------------------------------------------- sizes and structure

  /** {@return the model's name} */
  public String name() {
    return name;
  }

  /** {@return the state indexer} */
  public Indexer<S> states() {
    return states;
  }

  /** {@return the action indexer} */
  public Indexer<A> actions() {
    return actions;
  }

  /** {@return S, the number of states} */
  public int numStates() {
    return csr.numStates();
  }

  /** {@return A, the number of distinct actions} */
  public int numActions() {
    return csr.numActions();
  }

  /** {@return the number of rows: available (state, action) pairs} */
  public int numRows() {
    return csr.numRows();
  }

  /** {@return the number of stored transitions (nonzeros)} */
  public int numEntries() {
    return csr.numEntries();
  }

  /**
   * {@return the first row of state s}
   * @param s a state index
   */
  public int rowStart(int s) {
    return csr.rowStart()[s];
  }

  /**
   * {@return one past the last row of state s}
   * @param s a state index
   */
  public int rowEnd(int s) {
    return csr.rowStart()[s + 1];
  }

  /**
   * {@return the action index of row r}
   * @param r a row
   */
  public int rowAction(int r) {
    return csr.rowAction()[r];
  }

  /**
   * {@return the state index of row r}
   * @param r a row
   */
  public int rowState(int r) {
    return csr.rowState()[r];
  }

  /**
   * {@return the row of (s, a), or -1 when a is not available in s}
   * @param s state index
   * @param a action index
   */
  public int row(int s, int a) {
    int[] rs = csr.rowStart();
    int[] ra = csr.rowAction();
    for (int r = rs[s]; r < rs[s + 1]; r++) {
      if (ra[r] == a) {
        return r;
      }
    }
    return -1;
  }

  /**
   * {@return the first entry of row r}
   * @param r a row
   */
  public int entryStart(int r) {
    return csr.entryStart()[r];
  }

  /**
   * {@return one past the last entry of row r}
   * @param r a row
   */
  public int entryEnd(int r) {
    return csr.entryStart()[r + 1];
  }

  /**
   * {@return the next state of entry k}
   * @param k an entry
   */
  public int next(int k) {
    return csr.next()[k];
  }

  /**
   * {@return the probability of entry k}
   * @param k an entry
   */
  public double prob(int k) {
    return csr.prob()[k];
  }

  /**
   * {@return the expected reward r(s, a) of row r}
   * @param r a row
   */
  public double reward(int r) {
    return csr.reward()[r];
  }

  /**
   * {@return whether state s is terminal}
   * @param s a state index
   */
  public boolean isTerminal(int s) {
    return csr.terminal()[s];
  }

  /** {@return the discount gamma} */
  public double discount() {
    return csr.discount();
  }

  /**
   * {@return the initial probability of state s}
   * @param s a state index
   */
  public double initial(int s) {
    return initial[s];
  }

  /** {@return a copy of the initial distribution over state indices} */
  public double[] initialDistribution() {
    return initial.clone();
  }

  /** {@return whether the model's numbers are exact rationals} */
  public boolean isExact() {
    return exact != null;
  }

  /**
   * {@return the rational copy of the numbers (arrays shared: do not modify)}
   *
   * @throws InexactModelException when the model was given with doubles
   */
  public Exact exact() {
    if (exact == null) {
      throw new InexactModelException(inexactReason
          + "; an exact computation needs integers, decimals or fractions");
    }
    return exact;
  }

  /**
   * The raw arrays, shared with kernels without copying.
   *
   * @return the CSR view; never modify its arrays
   */
  @API(status = API.Status.INTERNAL)
  public Csr csr() {
    return csr;
  }

  // ---------------------------------------------------------------- typed views

  /**
   * {@return the available actions of a state, in index order}
   * @param s a state
   */
  public List<A> availableActions(S s) {
    int i = states.indexOf(s);
    List<A> out = new ArrayList<>(rowEnd(i) - rowStart(i));
    for (int r = rowStart(i); r < rowEnd(i); r++) {
      out.add(actions.value(rowAction(r)));
    }
    return out;
  }

  /**
   * The next-state distribution of a (state, action) pair, exact when the model is.
   *
   * @param s a state
   * @param a an action available in s
   * @return p(. | s, a)
   * @throws ModelException when s or a is unknown or a is not available in s
   */
  public Dist<S> transition(S s, A a) {
    int r = requireRow(s, a);
    List<S> xs = new ArrayList<>();
    for (int k = entryStart(r); k < entryEnd(r); k++) {
      xs.add(states.value(next(k)));
    }
    if (exact != null) {
      BigFraction[] ps = new BigFraction[xs.size()];
      System.arraycopy(exact.prob(), entryStart(r), ps, 0, ps.length);
      return Dist.ofExact(xs, ps);
    }
    double[] ps = new double[xs.size()];
    System.arraycopy(csr.prob(), entryStart(r), ps, 0, ps.length);
    return Dist.ofDoubles(xs, ps);
  }

  /**
   * {@return the expected reward r(s, a)}
   * @param s a state
   * @param a an available action
   */
  public double expectedReward(S s, A a) {
    return reward(requireRow(s, a));
  }

  /**
   * {@return the exact expected reward r(s, a)}
   * @param s a state
   * @param a an available action
   */
  public BigFraction exactExpectedReward(S s, A a) {
    return exact().reward()[requireRow(s, a)];
  }

  private int requireRow(S s, A a) {
    int r = row(states.indexOf(s), actions.indexOf(a));
    if (r < 0) {
      throw new ModelException("state " + s + ", action " + a + ": not available");
    }
    return r;
  }

  @Override
  public String toString() {
    return "TabularMdp[" + name + ": " + numStates() + " states, " + numActions() + " actions, "
        + numRows() + " rows, " + numEntries() + " transitions, discount " + discount()
        + (isExact() ? ", exact" : ", inexact") + "]";
  }

}
