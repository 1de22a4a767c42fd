package dev.fixpoint.dsl.gflownet;

import dev.fixpoint.dsl.ModelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A flow network described over typed states: a source s_0, a children function, the set X of
 * terminating states (each carries an exit action to the sink s_f) and a positive reward on X
 * (Bengio et al., "GFlowNet Foundations", JMLR 2023, section 3; exit-action convention of
 * torchgfn). {@link #tabulate()} enumerates the states reachable from the source and checks the
 * rules: the graph is acyclic, every state is reachable from s_0 (for {@link #ofEdges}), a
 * non-terminating state has at least one child, no child is listed twice, and every terminating
 * state has a reward R(x) &gt; 0. A broken rule is a {@link ModelException} naming the state.
 *
 * @param source s_0
 * @param children s -&gt; its children, in a fixed order (the order of the forward actions)
 * @param terminating whether s has an exit action
 * @param reward R(x), called on terminating states only
 * @param declared the states the user declared (checked for reachability), or null
 * @param <S> the state type (with value equality)
 */
@API(status = API.Status.EXPERIMENTAL)
public record FlowNetwork<S>(S source, Function<? super S, ? extends List<? extends S>> children,
    Predicate<? super S> terminating, Function<? super S, Reward> reward,
    @Nullable Set<S> declared) {

  /** Checks the components. */
  public FlowNetwork {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(children, "children");
    Objects.requireNonNull(terminating, "terminating");
    Objects.requireNonNull(reward, "reward");
    declared = declared == null ? null : Set.copyOf(declared);
  }

  /**
   * {@return a network from a children function}
   * @param source s_0
   * @param children s -&gt; children of s
   * @param terminating the terminating states X
   * @param reward R(x) &gt; 0 on X
   * @param <S> the state type
   */
  public static <S> FlowNetwork<S> of(S source,
      Function<? super S, ? extends List<? extends S>> children,
      Predicate<? super S> terminating, Function<? super S, Reward> reward) {
    return new FlowNetwork<>(source, children, terminating, reward, null);
  }

  /**
   * A network from explicit edges; the terminating states are the keys of {@code rewards}. Every
   * state named in either map must be reachable from the source.
   *
   * @param source s_0
   * @param edges s -&gt; children of s (states without an entry have none)
   * @param rewards x -&gt; R(x) for each terminating x
   * @param <S> the state type
   * @return the network
   */
  public static <S> FlowNetwork<S> ofEdges(S source, Map<S, ? extends List<? extends S>> edges,
      Map<S, Reward> rewards) {
    Map<S, List<S>> e = new HashMap<>();
    Set<S> all = new LinkedHashSet<>();
    all.add(source);
    edges.forEach((s, cs) -> {
      e.put(s, List.copyOf(cs));
      all.add(s);
      all.addAll(cs);
    });
    Map<S, Reward> r = Map.copyOf(rewards);
    all.addAll(r.keySet());
    return new FlowNetwork<>(source, s -> e.getOrDefault(s, List.of()), r::containsKey,
        s -> Objects.requireNonNull(r.get(s)), all);
  }

  /**
   * Enumerates, validates and numbers the states in topological order (Kahn 1962, first-in
   * first-out, children in their given order; the source is state 0) and builds the CSR arrays.
   * O(|S| + |E|) time besides the user's functions.
   *
   * @return the tabulated network
   * @throws ModelException naming the state when a rule is broken
   */
  public TabularFlowNetwork<S> tabulate() {
    Map<S, Integer> id = new HashMap<>();
    List<S> found = new ArrayList<>();
    List<int[]> kids = new ArrayList<>();
    List<Reward> rewards = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    id.put(source, 0);
    found.add(source);
    for (int i = 0; i < found.size(); i++) {
      S s = found.get(i);
      List<? extends S> cs = children.apply(s);
      if (cs == null) {
        throw new ModelException("state " + s + ": children function returned null");
      }
      int[] k = new int[cs.size()];
      Set<S> seen = new HashSet<>();
      for (int j = 0; j < k.length; j++) {
        S c = cs.get(j);
        if (c == null) {
          throw new ModelException("state " + s + ": child " + j + " is null");
        }
        if (!seen.add(c)) {
          problems.add("state " + s + ": child " + c + " listed twice (multi-edges are not allowed)");
        }
        Integer known = id.get(c);
        if (known == null) {
          known = found.size();
          id.put(c, known);
          found.add(c);
        }
        k[j] = known;
      }
      kids.add(k);
      boolean term = terminating.test(s);
      Reward r = null;
      if (term) {
        try {
          r = reward.apply(s);
          if (r == null) {
            problems.add("state " + s + ": terminating but its reward is null");
          }
        } catch (ModelException ex) {
          problems.add("state " + s + ": " + ex.getMessage());
        }
      } else if (k.length == 0) {
        problems.add("state " + s + ": dead end (not terminating and has no child)");
      }
      rewards.add(r);
      if (!problems.isEmpty() && problems.size() >= 20) {
        break;
      }
    }
    if (declared != null) {
      for (S s : declared) {
        if (!id.containsKey(s)) {
          problems.add("state " + s + ": unreachable from the source " + source);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
    int n = found.size();
    int[] order = topologicalOrder(n, kids, found);
    int[] rank = new int[n];
    for (int t = 0; t < n; t++) {
      rank[order[t]] = t;
    }
    int edges = 0;
    for (int[] k : kids) {
      edges += k.length;
    }
    int[] childStart = new int[n + 1];
    int[] child = new int[edges];
    boolean[] term = new boolean[n];
    double[] logReward = new double[n];
    BigFraction[] exact = new BigFraction[n];
    boolean allExact = true;
    List<S> states = new ArrayList<>(n);
    int e = 0;
    for (int t = 0; t < n; t++) {
      int old = order[t];
      states.add(found.get(old));
      childStart[t] = e;
      for (int c : kids.get(old)) {
        child[e++] = rank[c];
      }
      Reward r = rewards.get(old);
      term[t] = r != null;
      logReward[t] = r == null ? Double.NEGATIVE_INFINITY : r.logValue();
      if (r != null) {
        exact[t] = r.exact();
        allExact &= r.isExact();
      }
    }
    childStart[n] = e;
    Map<S, Integer> index = new HashMap<>(2 * n);
    for (int t = 0; t < n; t++) {
      index.put(states.get(t), t);
    }
    List<S> frozen = List.copyOf(states);
    return TabularFlowNetwork.of(n, frozen::get, s -> index.getOrDefault(s, -1), childStart, child,
        term, logReward, allExact ? exact : null);
  }

  private static <S> int[] topologicalOrder(int n, List<int[]> kids, List<S> found) {
    int[] indegree = new int[n];
    for (int[] k : kids) {
      for (int c : k) {
        indegree[c]++;
      }
    }
    int[] order = new int[n];
    int head = 0;
    int tail = 0;
    if (indegree[0] == 0) {
      order[tail++] = 0;
    }
    while (head < tail) {
      int s = order[head++];
      for (int c : kids.get(s)) {
        if (--indegree[c] == 0) {
          order[tail++] = c;
        }
      }
    }
    if (tail == n) {
      return order;
    }
    // Every state left has a parent left (indegree > 0): walk parents back until one repeats.
    List<List<Integer>> parents = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      parents.add(new ArrayList<>());
    }
    for (int s = 0; s < n; s++) {
      for (int c : kids.get(s)) {
        if (indegree[c] > 0 && indegree[s] > 0) {
          parents.get(c).add(s);
        }
      }
    }
    int start = 0;
    while (indegree[start] == 0) {
      start++;
    }
    Map<Integer, Integer> position = new HashMap<>();
    List<Integer> walk = new ArrayList<>();
    int s = start;
    while (!position.containsKey(s)) {
      position.put(s, walk.size());
      walk.add(s);
      s = parents.get(s).get(0);
    }
    List<Integer> cycle = walk.subList(position.get(s), walk.size());
    ArrayDeque<String> names = new ArrayDeque<>();
    for (int v : cycle) {
      names.addFirst(String.valueOf(found.get(v)));
    }
    names.addLast(String.valueOf(found.get(cycle.get(cycle.size() - 1))));
    throw new ModelException("state " + found.get(s) + ": on a cycle "
        + String.join(" -> ", names) + " (a flow network must be acyclic)");
  }
}
