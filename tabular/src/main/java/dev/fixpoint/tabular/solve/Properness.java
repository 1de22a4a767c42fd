package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.ImproperPolicyException;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.Arrays;
import java.util.OptionalInt;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Properness of policies in models with terminal states (stochastic shortest path problems,
 * Bertsekas &amp; Tsitsiklis 1991): a policy is <em>proper</em> from a state when, following it
 * from there, a terminal state is reached with probability 1. With discount 1 the Bellman equation
 * v = r_pi + P_pi v has a unique solution exactly when the policy is proper from every state;
 * otherwise I - P_pi is singular.
 *
 * <p>Both checks are graph searches on the positive-probability edges, so they are exact whatever
 * the numbers: in a finite Markov chain a terminal state is reached with probability 1 from s iff
 * every state reachable from s can reach a terminal state (Kemeny &amp; Snell 1960: otherwise the
 * chain can enter a closed class without terminal states).
 */
@API(status = API.Status.STABLE)
public final class Properness {
  private Properness() {}

  /**
   * The first (lowest-index) state from which the policy does not reach a terminal state with
   * probability 1. Cost O(S + rows + entries).
   *
   * @param m the model
   * @param pi a policy over the rows of m
   * @return the state index, or empty when the policy is proper from every state
   * @throws ModelException when the policy does not fit the model's rows
   */
  public static OptionalInt firstImproperState(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi) {
    int s = firstImproper(m, activeRows(m, pi));
    return s < 0 ? OptionalInt.empty() : OptionalInt.of(s);
  }

  /**
   * A deterministic policy that reaches a terminal state with probability 1 from every state,
   * found by the almost-sure reachability fixpoint (de Alfaro 1997; Baier &amp; Katoen 2008,
   * sec. 10.6): starting from U = all states, repeatedly keep only the states that can reach a
   * terminal state using actions whose successors all stay in U, until U is stable; then, in the
   * stable U, each state takes the first action (in breadth-first order from the terminal states)
   * that stays in U and moves one layer closer to a terminal state with positive probability. From
   * every state of U this policy terminates with probability 1: it never leaves U, and from each
   * state it has positive probability to reach a terminal state within |U| steps.
   *
   * <p>Cost O(S * (rows + entries)) in the worst case, O(rows + entries) when every state can
   * terminate. Works for any discount; it is what policy iteration starts from when gamma = 1.
   *
   * @param m the model
   * @param <S> the state type
   * @param <A> the action type
   * @return an exact deterministic policy, proper from every state
   * @throws ModelException naming the first state from which no policy terminates with
   *     probability 1 (every policy has a positive probability of running forever from there)
   */
  public static <S, A> TabularPolicy<S, A> properPolicy(TabularMdp<S, A> m) {
    return TabularPolicy.deterministic(m, requireProperRows(m));
  }

  /** {@return the rows of {@link #properPolicy}} @throws ModelException as it does */
  static int[] requireProperRows(TabularMdp<?, ?> m) {
    boolean[] all = new boolean[m.numRows()];
    Arrays.fill(all, true);
    int[] rows = properRows(m, all);
    for (int s = 0; s < m.numStates(); s++) {
      if (!m.isTerminal(s) && rows[s] < 0) {
        boolean anyTerminal = false;
        for (int t = 0; t < m.numStates(); t++) {
          anyTerminal |= m.isTerminal(t);
        }
        throw new ModelException(m.name() + ": state " + m.states().value(s)
            + ": no policy reaches a terminal state with probability 1 from it"
            + (anyTerminal ? "" : " (the model has no terminal state)")
            + "; with discount 1 its value is not defined by the Bellman equations (use a "
            + "discount below 1, or add a way to terminate)");
      }
    }
    return rows;
  }

  /**
   * The almost-sure-reachability attractor restricted to allowed rows (see {@link
   * #properPolicy}).
   *
   * @param m the model
   * @param allowed which rows may be used
   * @return per state the chosen row, or -1 at terminal states and at states from which no policy
   *     using allowed rows terminates with probability 1
   */
  static int[] properRows(TabularMdp<?, ?> m, boolean[] allowed) {
    int n = m.numStates();
    int[][] pred = predecessorRows(m);
    boolean[] inU = new boolean[n];
    Arrays.fill(inU, true);
    boolean[] safe = new boolean[m.numRows()];
    int[] chosen = new int[n];
    boolean[] attracted = new boolean[n];
    int[] queue = new int[n];
    while (true) {
      for (int r = 0; r < safe.length; r++) {
        boolean ok = allowed[r] && inU[m.rowState(r)];
        for (int k = m.entryStart(r); ok && k < m.entryEnd(r); k++) {
          ok = inU[m.next(k)];
        }
        safe[r] = ok;
      }
      Arrays.fill(chosen, -1);
      Arrays.fill(attracted, false);
      int head = 0;
      int tail = 0;
      for (int s = 0; s < n; s++) {
        if (m.isTerminal(s)) {
          attracted[s] = true;
          queue[tail++] = s;
        }
      }
      while (head < tail) {
        int t = queue[head++];
        for (int r : pred[t]) {
          int s = m.rowState(r);
          if (!attracted[s] && safe[r]) {
            attracted[s] = true;
            chosen[s] = r;
            queue[tail++] = s;
          }
        }
      }
      if (Arrays.equals(attracted, inU)) {
        return chosen;
      }
      System.arraycopy(attracted, 0, inU, 0, n);
    }
  }

  /** Throws {@link ImproperPolicyException} when the policy is improper from some state. */
  static void requireProper(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi, String what) {
    boolean[] active = activeRows(m, pi);
    int s = firstImproper(m, active);
    if (s >= 0) {
      int trap = firstTrapReachable(m, active, s);
      throw new ImproperPolicyException(m.name() + ": " + what + ": with discount 1 the policy"
          + " is improper: from state " + m.states().value(s) + " it does not reach a terminal "
          + "state with probability 1 (it can reach state " + m.states().value(trap)
          + ", from which no terminal state is reachable), so its values are not defined by "
          + "v = r_pi + P_pi v");
    }
  }

  /** {@return the first improper state of the policy given by its active rows, or -1} */
  static int firstImproper(TabularMdp<?, ?> m, boolean[] active) {
    int n = m.numStates();
    boolean[] bad = trapStates(m, active);
    // states that can reach a bad state are improper
    int[][] predStates = predecessorStates(m, active);
    boolean[] improper = new boolean[n];
    int[] queue = new int[n];
    int tail = 0;
    for (int s = 0; s < n; s++) {
      if (bad[s]) {
        improper[s] = true;
        queue[tail++] = s;
      }
    }
    for (int head = 0; head < tail; head++) {
      for (int p : predStates[queue[head]]) {
        if (!improper[p]) {
          improper[p] = true;
          queue[tail++] = p;
        }
      }
    }
    for (int s = 0; s < n; s++) {
      if (improper[s]) {
        return s;
      }
    }
    return -1;
  }

  /** {@return per state whether no terminal state can be reached from it along active rows} */
  private static boolean[] trapStates(TabularMdp<?, ?> m, boolean[] active) {
    int n = m.numStates();
    int[][] predStates = predecessorStates(m, active);
    boolean[] canReach = new boolean[n];
    int[] queue = new int[n];
    int tail = 0;
    for (int s = 0; s < n; s++) {
      if (m.isTerminal(s)) {
        canReach[s] = true;
        queue[tail++] = s;
      }
    }
    for (int head = 0; head < tail; head++) {
      for (int p : predStates[queue[head]]) {
        if (!canReach[p]) {
          canReach[p] = true;
          queue[tail++] = p;
        }
      }
    }
    boolean[] bad = new boolean[n];
    for (int s = 0; s < n; s++) {
      bad[s] = !canReach[s];
    }
    return bad;
  }

  static int firstTrapReachable(TabularMdp<?, ?> m, boolean[] active, int from) {
    boolean[] bad = trapStates(m, active);
    boolean[] seen = new boolean[m.numStates()];
    int[] queue = new int[m.numStates()];
    int tail = 0;
    queue[tail++] = from;
    seen[from] = true;
    int best = Integer.MAX_VALUE;
    for (int head = 0; head < tail; head++) {
      int s = queue[head];
      if (bad[s]) {
        best = Math.min(best, s);
      }
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (!active[r]) {
          continue;
        }
        for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
          int t = m.next(k);
          if (!seen[t]) {
            seen[t] = true;
            queue[tail++] = t;
          }
        }
      }
    }
    return best == Integer.MAX_VALUE ? from : best;
  }

  static boolean[] activeRows(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi) {
    checkFits(m, pi);
    boolean[] active = new boolean[m.numRows()];
    if (pi.isExact()) {
      BigFraction[] e = pi.toExactArray();
      for (int r = 0; r < active.length; r++) {
        active[r] = Rationals.signum(e[r]) > 0;
      }
    } else {
      for (int r = 0; r < active.length; r++) {
        active[r] = pi.probAt(r) > 0;
      }
    }
    return active;
  }

  /** {@return the active rows of the deterministic policy that takes rows[s] in each state} */
  static boolean[] activeRows(TabularMdp<?, ?> m, int[] rows) {
    boolean[] active = new boolean[m.numRows()];
    for (int s = 0; s < m.numStates(); s++) {
      if (!m.isTerminal(s)) {
        active[rows[s]] = true;
      }
    }
    return active;
  }

  /**
   * With discount 1, checks that policy improvement kept the policy proper. An improved policy
   * that is improper has, on each closed class C without terminal states, stationary distribution
   * mu with mu r_new = mu (r_new + P_new v - v) &gt; 0, because every state of C satisfies r_new +
   * P_new v &gt;= v with strict inequality at a switched state (C must contain one, as the old
   * policy was proper). So that cycle earns a positive average reward forever and the optimal
   * value is unbounded: the model has no optimal policy. Throws a {@link ModelException} saying
   * so.
   */
  static void requireImprovedProper(TabularMdp<?, ?> m, int[] oldRows, int[] newRows,
      String what) {
    boolean[] active = activeRows(m, newRows);
    int s = firstImproper(m, active);
    if (s < 0) {
      return;
    }
    int trap = firstTrapReachable(m, active, s);
    StringBuilder switched = new StringBuilder();
    int shown = 0;
    for (int x = 0; x < m.numStates() && shown < 3; x++) {
      if (!m.isTerminal(x) && oldRows[x] != newRows[x]) {
        switched.append(shown++ == 0 ? "" : ", ").append(m.states().value(x)).append(": ")
            .append(m.actions().value(m.rowAction(oldRows[x]))).append(" -> ")
            .append(m.actions().value(m.rowAction(newRows[x])));
      }
    }
    throw new ModelException(m.name() + ": " + what + ": with discount 1 the improved policy "
        + "(switches " + switched + (shown == 3 ? ", ..." : "") + ") never terminates from state "
        + m.states().value(trap) + ": it cycles with a positive average reward, so the optimal "
        + "values are unbounded (+infinity) and no optimal policy exists. Use a discount below 1 "
        + "or make such cycles costly");
  }

  /** Checks that a policy is over a model with the same states and rows. */
  static void checkFits(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi) {
    TabularMdp<?, ?> pm = pi.mdp();
    if (pm == m) {
      return;
    }
    boolean same = pm.numStates() == m.numStates() && pm.numRows() == m.numRows();
    for (int s = 0; same && s < m.numStates(); s++) {
      same = pm.rowStart(s) == m.rowStart(s) && pm.rowEnd(s) == m.rowEnd(s);
    }
    if (!same) {
      throw new ModelException("the policy is over " + pm.name() + " (" + pm.numStates()
          + " states, " + pm.numRows() + " rows), not over " + m.name() + " ("
          + m.numStates() + " states, " + m.numRows() + " rows)");
    }
  }

  /** {@return per state the rows that have an entry to it (rows in increasing order)} */
  private static int[][] predecessorRows(TabularMdp<?, ?> m) {
    int n = m.numStates();
    int[] count = new int[n];
    for (int k = 0; k < m.numEntries(); k++) {
      count[m.next(k)]++;
    }
    int[][] pred = new int[n][];
    for (int s = 0; s < n; s++) {
      pred[s] = new int[count[s]];
    }
    int[] fill = new int[n];
    for (int r = 0; r < m.numRows(); r++) {
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        int t = m.next(k);
        pred[t][fill[t]++] = r;
      }
    }
    return pred;
  }

  /** {@return per state the states with an active row leading to it (may repeat)} */
  private static int[][] predecessorStates(TabularMdp<?, ?> m, boolean[] active) {
    int n = m.numStates();
    int[] count = new int[n];
    for (int r = 0; r < m.numRows(); r++) {
      if (active[r]) {
        for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
          count[m.next(k)]++;
        }
      }
    }
    int[][] pred = new int[n][];
    for (int s = 0; s < n; s++) {
      pred[s] = new int[count[s]];
    }
    int[] fill = new int[n];
    for (int r = 0; r < m.numRows(); r++) {
      if (active[r]) {
        int s = m.rowState(r);
        for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
          int t = m.next(k);
          pred[t][fill[t]++] = s;
        }
      }
    }
    return pred;
  }
}
