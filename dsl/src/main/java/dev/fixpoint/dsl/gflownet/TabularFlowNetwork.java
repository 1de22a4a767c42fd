package dev.fixpoint.dsl.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.internal.FlowCsr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A validated flow network as CSR arrays with its states numbered in topological order (the source
 * is 0, every edge goes from a smaller to a larger index), so every dynamic program over it is one
 * pass. Forward actions of a state are its out-edges in order, then its exit action when it is
 * terminating. Immutable; kernels in sibling modules read the arrays through {@link #csr()}.
 *
 * @param <S> the state type
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TabularFlowNetwork<S> {
  private final FlowCsr csr;
  private final IntFunction<S> stateAt;
  private final ToIntFunction<? super S> indexOf;

  private TabularFlowNetwork(FlowCsr csr, IntFunction<S> stateAt,
      ToIntFunction<? super S> indexOf) {
    this.csr = csr;
    this.stateAt = stateAt;
    this.indexOf = indexOf;
  }

  /**
   * A network from arrays already in topological order (environments with a closed-form
   * numbering use this to skip hashing). Checks that every edge increases the index (hence the
   * graph is acyclic and, as every state above 0 then has a parent, reachable from state 0), that
   * non-terminating states have a child, and that rewards are finite on terminating states and
   * positive when exact. The arrays are owned by the network afterwards.
   *
   * @param n number of states
   * @param stateAt index -&gt; state
   * @param indexOf state -&gt; index, or -1 for a state not in the network
   * @param childStart out-edge offsets (length n+1)
   * @param child edge targets
   * @param terminating whether each state has an exit action
   * @param logReward log R(s) on terminating states (ignored elsewhere)
   * @param reward exact R(s) on terminating states, or null when inexact
   * @param <S> the state type
   * @return the network
   * @throws ModelException naming the state when a rule is broken
   */
  public static <S> TabularFlowNetwork<S> of(int n, IntFunction<S> stateAt,
      ToIntFunction<? super S> indexOf, int[] childStart, int[] child, boolean[] terminating,
      double[] logReward, @Nullable BigFraction @Nullable [] reward) {
    if (n < 1 || childStart.length != n + 1 || terminating.length != n || logReward.length != n
        || (reward != null && reward.length != n) || childStart[0] != 0
        || childStart[n] != child.length) {
      throw new IllegalArgumentException("flow network arrays have inconsistent lengths");
    }
    int e = child.length;
    int[] edgeSource = new int[e];
    int[] indegree = new int[n + 1];
    int[] actionStart = new int[n + 1];
    for (int s = 0; s < n; s++) {
      if (childStart[s + 1] < childStart[s]) {
        throw new IllegalArgumentException("childStart decreases at " + s);
      }
      if (childStart[s + 1] == childStart[s] && !terminating[s]) {
        throw new ModelException("state " + stateAt.apply(s)
            + ": dead end (not terminating and has no child)");
      }
      for (int k = childStart[s]; k < childStart[s + 1]; k++) {
        if (child[k] <= s || child[k] >= n) {
          throw new ModelException("state " + stateAt.apply(s) + ": edge to index " + child[k]
              + " is not to a later state in topological order");
        }
        edgeSource[k] = s;
        indegree[child[k] + 1]++;
      }
      if (terminating[s]) {
        if (!Double.isFinite(logReward[s])) {
          throw new ModelException("state " + stateAt.apply(s) + ": log reward " + logReward[s]
              + " must be finite");
        }
        if (reward != null && (reward[s] == null || Rationals.signum(reward[s]) <= 0)) {
          throw new ModelException("state " + stateAt.apply(s) + ": reward "
              + (reward[s] == null ? "missing" : Rationals.format(reward[s]))
              + " must be positive");
        }
      } else {
        logReward[s] = Double.NEGATIVE_INFINITY;
      }
      actionStart[s + 1] = actionStart[s] + childStart[s + 1] - childStart[s]
          + (terminating[s] ? 1 : 0);
    }
    int[] parentStart = new int[n + 1];
    for (int s = 0; s < n; s++) {
      parentStart[s + 1] = parentStart[s] + indegree[s + 1];
    }
    int[] fill = parentStart.clone();
    int[] parentEdge = new int[e];
    for (int k = 0; k < e; k++) {
      parentEdge[fill[child[k]]++] = k;
    }
    return new TabularFlowNetwork<>(new FlowCsr(n, childStart, child, edgeSource, parentStart,
        parentEdge, terminating, actionStart, logReward, reward), stateAt, indexOf);
  }

  /** {@return the raw arrays (not API; never modify them)} */
  public FlowCsr csr() {
    return csr;
  }

  /** {@return the number of states |S|} */
  public int size() {
    return csr.n();
  }

  /** {@return the number of edges |E| (exit actions not counted)} */
  public int edges() {
    return csr.edges();
  }

  /** {@return the number of forward actions, |E| + |X|} */
  public int actions() {
    return csr.actions();
  }

  /** {@return whether every reward is exact} */
  public boolean isExact() {
    return csr.reward() != null;
  }

  /**
   * {@return the state with index i}
   * @param i an index in [0, size)
   */
  public S state(int i) {
    Objects.checkIndex(i, csr.n());
    return stateAt.apply(i);
  }

  /**
   * {@return the index of a state}
   * @param state a state of the network
   * @throws ModelException when the state is not in the network
   */
  public int indexOf(S state) {
    int i = indexOf.applyAsInt(state);
    if (i < 0) {
      throw new ModelException("state " + state + ": not in the flow network");
    }
    return i;
  }

  /**
   * {@return whether state i has an exit action}
   * @param i a state index
   */
  public boolean isTerminating(int i) {
    return csr.terminating()[i];
  }

  /**
   * {@return log R of terminating state i}
   * @param i a terminating state's index
   */
  public double logReward(int i) {
    if (!csr.terminating()[i]) {
      throw new ModelException("state " + state(i) + ": not terminating, has no reward");
    }
    return csr.logReward()[i];
  }

  /**
   * {@return R of terminating state i exactly, when known}
   * @param i a terminating state's index
   */
  public Optional<BigFraction> reward(int i) {
    logReward(i);
    BigFraction[] r = csr.reward();
    return r == null ? Optional.empty() : Optional.of(Objects.requireNonNull(r[i]));
  }

  /** {@return the indices of the terminating states, ascending} */
  public int[] terminatingStates() {
    int count = 0;
    for (boolean t : csr.terminating()) {
      count += t ? 1 : 0;
    }
    int[] out = new int[count];
    int k = 0;
    for (int s = 0; s < csr.n(); s++) {
      if (csr.terminating()[s]) {
        out[k++] = s;
      }
    }
    return out;
  }

  /**
   * {@return the children of state i, in action order}
   * @param i a state index
   */
  public int[] children(int i) {
    return java.util.Arrays.copyOfRange(csr.child(), csr.childStart()[i], csr.childStart()[i + 1]);
  }

  /**
   * {@return the parents of state i, in in-edge order}
   * @param i a state index
   */
  public int[] parents(int i) {
    int[] out = new int[csr.parentStart()[i + 1] - csr.parentStart()[i]];
    for (int k = 0; k < out.length; k++) {
      out[k] = csr.edgeSource()[csr.parentEdge()[csr.parentStart()[i] + k]];
    }
    return out;
  }

  /**
   * {@return the number of paths n(s) from the source to each state: n(s_0) = 1, n(s) = sum over
   * parents p of n(p); one pass in topological order}
   */
  public BigInteger[] pathCounts() {
    BigInteger[] count = new BigInteger[csr.n()];
    count[0] = BigInteger.ONE;
    for (int s = 1; s < csr.n(); s++) {
      BigInteger sum = BigInteger.ZERO;
      for (int k = csr.parentStart()[s]; k < csr.parentStart()[s + 1]; k++) {
        sum = sum.add(count[csr.edgeSource()[csr.parentEdge()[k]]]);
      }
      count[s] = sum;
    }
    return count;
  }

  /**
   * Tabulates and validates a backward policy: one probability per edge, P_B(source of e | target
   * of e). Uniform gives 1/|Par(s)| and max-entropy n(p)/n(s) (path counts, {@link #pathCounts()}),
   * both exact. A given policy must put its mass on parents only, be non-negative and sum to 1 on
   * every non-source state.
   *
   * @param policy the backward policy
   * @return the table, exact unless a given probability was a double
   * @throws ModelException naming the state when a given policy breaks a rule
   */
  public BackwardTable backward(BackwardPolicy<S> policy) {
    int n = csr.n();
    int e = csr.edges();
    int[] ps = csr.parentStart();
    int[] pe = csr.parentEdge();
    double[] logP = new double[e];
    BigFraction[] exact = new BigFraction[e];
    switch (policy) {
      case BackwardPolicy.Uniform<S> u -> {
        for (int s = 1; s < n; s++) {
          int d = ps[s + 1] - ps[s];
          BigFraction p = new BigFraction(1, d);
          for (int k = ps[s]; k < ps[s + 1]; k++) {
            logP[pe[k]] = -Math.log(d);
            exact[pe[k]] = p;
          }
        }
        return new BackwardTable(logP, exact);
      }
      case BackwardPolicy.MaxEntropy<S> m -> {
        BigInteger[] count = pathCounts();
        double[] logCount = new double[n];
        for (int s = 0; s < n; s++) {
          logCount[s] = Reward.logOf(new BigFraction(count[s]));
        }
        for (int s = 1; s < n; s++) {
          for (int k = ps[s]; k < ps[s + 1]; k++) {
            int p = csr.edgeSource()[pe[k]];
            exact[pe[k]] = new BigFraction(count[p], count[s]);
            logP[pe[k]] = logCount[p] - logCount[s];
          }
        }
        return new BackwardTable(logP, exact);
      }
      case BackwardPolicy.Given<S> g -> {
        return given(g, logP, exact);
      }
    }
  }

  private BackwardTable given(BackwardPolicy.Given<S> g, double[] logP, BigFraction[] exact) {
    int n = csr.n();
    int[] ps = csr.parentStart();
    int[] pe = csr.parentEdge();
    boolean allExact = true;
    List<String> problems = new ArrayList<>();
    for (int s = 1; s < n; s++) {
      S state = stateAt.apply(s);
      Map<S, ? extends Number> probs = g.probabilities().apply(state);
      if (probs == null) {
        throw new ModelException("state " + state + ": backward policy returned null");
      }
      Map<Integer, Integer> edgeOfParent = new HashMap<>();
      for (int k = ps[s]; k < ps[s + 1]; k++) {
        edgeOfParent.put(csr.edgeSource()[pe[k]], pe[k]);
        exact[pe[k]] = BigFraction.ZERO;
      }
      BigFraction sum = BigFraction.ZERO;
      boolean rowExact = true;
      for (Map.Entry<S, ? extends Number> en : probs.entrySet()) {
        int p = indexOf.applyAsInt(en.getKey());
        Integer edge = p < 0 ? null : edgeOfParent.get(p);
        Number v = Objects.requireNonNull(en.getValue(), "backward probability");
        rowExact &= !(v instanceof Double || v instanceof Float);
        BigFraction q = Rationals.from(v);
        if (edge == null) {
          if (Rationals.signum(q) != 0) {
            problems.add("state " + state + ": backward probability " + v + " on " + en.getKey()
                + ", which is not a parent");
          }
          continue;
        }
        if (Rationals.signum(q) < 0) {
          problems.add("state " + state + ": backward probability " + v + " of parent "
              + en.getKey() + " is negative");
        }
        exact[edge] = q;
        sum = sum.add(q);
      }
      allExact &= rowExact;
      boolean ok = rowExact ? sum.equals(BigFraction.ONE)
          : Math.abs(Rationals.toDouble(sum) - 1) <= 1e-9;
      if (!ok) {
        problems.add("state " + state + ": backward probabilities sum to "
            + (rowExact ? Rationals.format(sum) : Rationals.toDouble(sum)) + ", expected 1");
      }
      for (int k = ps[s]; k < ps[s + 1]; k++) {
        BigFraction q = exact[pe[k]];
        logP[pe[k]] = Rationals.signum(q) == 0 ? Double.NEGATIVE_INFINITY
            : Reward.logOf(q) - (rowExact ? 0 : Reward.logOf(sum));
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
    return new BackwardTable(logP, allExact ? exact : null);
  }

  @Override
  public String toString() {
    return "TabularFlowNetwork[states=" + csr.n() + ", edges=" + csr.edges() + ", terminating="
        + terminatingStates().length + ", exact=" + isExact() + "]";
  }
}
