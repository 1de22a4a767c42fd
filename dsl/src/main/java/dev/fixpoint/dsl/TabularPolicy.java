package dev.fixpoint.dsl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A stationary policy over the rows of a tabular model: {@code prob[r]} is pi(a | s) for row r =
 * (s, a); the rows of each non-terminal state sum to 1. Exact when built from exact numbers.
 *
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.STABLE)
public final class TabularPolicy<S, A> {
  private final TabularMdp<S, A> mdp;
  private final double[] probs;
  private final BigFraction @Nullable [] exact;

  private TabularPolicy(TabularMdp<S, A> mdp, double[] probs, BigFraction @Nullable [] exact) {
    this.mdp = mdp;
    this.probs = probs;
    this.exact = exact;
  }

  /**
   * A policy from probabilities over rows (copied), checked: each in [0, 1], each non-terminal
   * state's rows summing to 1 within {@value Dist#TOLERANCE}.
   *
   * @param mdp the model
   * @param probs one probability per row
   * @param <S> state type
   * @param <A> action type
   * @return the policy
   */
  public static <S, A> TabularPolicy<S, A> of(TabularMdp<S, A> mdp, double[] probs) {
    check(mdp, probs.clone(), null);
    return new TabularPolicy<>(mdp, probs.clone(), null);
  }

  /**
   * An exact policy from probabilities over rows (copied); each state's rows sum to exactly 1.
   *
   * @param mdp the model
   * @param probs one probability per row
   * @param <S> state type
   * @param <A> action type
   * @return the policy
   */
  public static <S, A> TabularPolicy<S, A> ofExact(TabularMdp<S, A> mdp, BigFraction[] probs) {
    BigFraction[] e = probs.clone();
    double[] d = Rationals.toDoubles(e);
    check(mdp, d, e);
    return new TabularPolicy<>(mdp, d, e);
  }

  /**
   * The deterministic policy that takes, in each non-terminal state s, the action of row {@code
   * rows[s]}.
   *
   * @param mdp the model
   * @param rows for each state a row of that state (ignored at terminal states)
   * @param <S> state type
   * @param <A> action type
   * @return the exact deterministic policy
   */
  public static <S, A> TabularPolicy<S, A> deterministic(TabularMdp<S, A> mdp, int[] rows) {
    BigFraction[] e = new BigFraction[mdp.numRows()];
    Arrays.fill(e, BigFraction.ZERO);
    for (int s = 0; s < mdp.numStates(); s++) {
      if (mdp.isTerminal(s)) {
        continue;
      }
      int r = rows[s];
      if (r < mdp.rowStart(s) || r >= mdp.rowEnd(s)) {
        throw new IllegalArgumentException("row " + r + " is not a row of state " + s);
      }
      e[r] = BigFraction.ONE;
    }
    return new TabularPolicy<>(mdp, Rationals.toDoubles(e), e);
  }

  /**
   * {@return the uniform random policy of a model: each available action with probability
   * 1/|A(s)|, exactly}
   *
   * @param mdp the model
   * @param <S> state type
   * @param <A> action type
   */
  public static <S, A> TabularPolicy<S, A> uniform(TabularMdp<S, A> mdp) {
    return Policy.<S, A>uniform().tabulate(mdp);
  }

  static <S, A> TabularPolicy<S, A> from(Policy<S, A> policy, TabularMdp<S, A> mdp) {
    if (policy instanceof Policy.Tabular<S, A> t && t.table().mdp == mdp) {
      return t.table();
    }
    int rows = mdp.numRows();
    double[] d = new double[rows];
    BigFraction[] e = new BigFraction[rows];
    Arrays.fill(e, BigFraction.ZERO);
    boolean isExact = true;
    List<String> problems = new ArrayList<>();
    for (int s = 0; s < mdp.numStates(); s++) {
      if (mdp.isTerminal(s)) {
        continue;
      }
      S state = mdp.states().value(s);
      List<A> available = new ArrayList<>();
      for (int r = mdp.rowStart(s); r < mdp.rowEnd(s); r++) {
        available.add(mdp.actions().value(mdp.rowAction(r)));
      }
      Dist<A> dist;
      try {
        dist = policy.at(state, List.copyOf(available));
      } catch (ModelException ex) {
        problems.add("policy at state " + state + ": " + ex.getMessage());
        continue;
      } catch (RuntimeException ex) {
        problems.add("policy at state " + state + " threw " + ex);
        continue;
      }
      isExact &= dist.isExact();
      for (int k = 0; k < dist.size(); k++) {
        A a = dist.outcome(k);
        int ai = mdp.actions().find(a);
        int r = ai < 0 ? -1 : mdp.row(s, ai);
        if (r < 0) {
          problems.add("policy at state " + state + " picks action " + a
              + ", which is not available there");
          continue;
        }
        d[r] = dist.probabilityAt(k);
        if (dist.isExact()) {
          e[r] = dist.exactProbabilityAt(k);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
    return new TabularPolicy<>(mdp, d, isExact ? e : null);
  }

  private static void check(TabularMdp<?, ?> mdp, double[] d, BigFraction @Nullable [] e) {
    if (d.length != mdp.numRows()) {
      throw new ModelException("policy has " + d.length + " probabilities for " + mdp.numRows()
          + " rows");
    }
    for (int s = 0; s < mdp.numStates(); s++) {
      if (mdp.isTerminal(s)) {
        continue;
      }
      double sum = 0;
      BigFraction esum = BigFraction.ZERO;
      for (int r = mdp.rowStart(s); r < mdp.rowEnd(s); r++) {
        if (!(d[r] >= 0 && d[r] <= 1)) {
          throw new ModelException("policy at state " + mdp.states().value(s) + ", action "
              + mdp.actions().value(mdp.rowAction(r)) + ": probability " + d[r]
              + " is outside [0, 1]");
        }
        sum += d[r];
        if (e != null) {
          esum = esum.add(e[r]);
        }
      }
      boolean bad = e != null ? !esum.equals(BigFraction.ONE) : Math.abs(sum - 1) > Dist.TOLERANCE;
      if (bad) {
        throw new ModelException("policy at state " + mdp.states().value(s)
            + ": probabilities sum to " + (e != null ? Rationals.format(esum) : sum)
            + ", expected 1");
      }
    }
  }

  /** {@return the model whose rows index this policy} */
  public TabularMdp<S, A> mdp() {
    return mdp;
  }

  /**
   * {@return pi(a | s) of row r}
   * @param r a row
   */
  public double probAt(int r) {
    return probs[r];
  }

  /** {@return whether the probabilities are exact} */
  public boolean isExact() {
    return exact != null;
  }

  /** {@return a copy of the probabilities over rows} */
  public double[] toArray() {
    return probs.clone();
  }

  /**
   * {@return a copy of the exact probabilities}
   * @throws InexactModelException when not exact
   */
  public BigFraction[] toExactArray() {
    if (exact == null) {
      throw new InexactModelException("this policy has inexact (double) probabilities");
    }
    return exact.clone();
  }

  /**
   * {@return the action distribution in state s}
   * @param s a non-terminal state
   */
  public Dist<A> at(S s) {
    int i = mdp.states().indexOf(s);
    List<A> as = new ArrayList<>();
    List<BigFraction> es = new ArrayList<>();
    List<Double> ds = new ArrayList<>();
    for (int r = mdp.rowStart(i); r < mdp.rowEnd(i); r++) {
      if (probs[r] > 0 || (exact != null && Rationals.signum(exact[r]) > 0)) {
        as.add(mdp.actions().value(mdp.rowAction(r)));
        ds.add(probs[r]);
        if (exact != null) {
          es.add(exact[r]);
        }
      }
    }
    if (as.isEmpty()) {
      throw new ModelException("state " + s + " is terminal: no action distribution");
    }
    if (exact != null) {
      return Dist.ofExact(as, es.toArray(new BigFraction[0]));
    }
    double[] p = new double[ds.size()];
    for (int k = 0; k < p.length; k++) {
      p[k] = ds.get(k);
    }
    return Dist.ofDoubles(as, p);
  }

  /**
   * {@return for a deterministic policy, the action in state s; else the most likely (first on
   * ties)}
   * @param s a non-terminal state
   */
  public A action(S s) {
    int i = mdp.states().indexOf(s);
    int best = -1;
    for (int r = mdp.rowStart(i); r < mdp.rowEnd(i); r++) {
      if (best < 0 || probs[r] > probs[best]) {
        best = r;
      }
    }
    if (best < 0) {
      throw new ModelException("state " + s + " is terminal: no action");
    }
    return mdp.actions().value(mdp.rowAction(best));
  }

  /** {@return whether each state puts all its mass on one action} */
  public boolean isDeterministic() {
    for (double p : probs) {
      if (p != 0 && p != 1) {
        return false;
      }
    }
    return true;
  }

  /** {@return this policy as a description} */
  public Policy<S, A> asPolicy() {
    return new Policy.Tabular<>(this);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    boolean first = true;
    for (int s = 0; s < mdp.numStates(); s++) {
      if (mdp.isTerminal(s)) {
        continue;
      }
      b.append(first ? "" : ", ").append(mdp.states().value(s)).append(": ");
      first = false;
      if (isDeterministic()) {
        b.append(action(mdp.states().value(s)));
      } else {
        b.append(at(mdp.states().value(s)));
      }
    }
    return b.append('}').toString();
  }
}
