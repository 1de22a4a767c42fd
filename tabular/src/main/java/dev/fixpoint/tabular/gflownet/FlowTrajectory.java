package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A complete trajectory s_0 -&gt; s_1 -&gt; ... -&gt; s_{m-1} = x -&gt; s_f of a tabulated network,
 * by state and edge indices; the final exit from x is implicit. Its length n = m counts the exit
 * action (spec {@code gflownet.md} section 1). Arrays are owned by the record.
 *
 * @param states s_0 .. x, at least one state, starting at 0
 * @param edges the m-1 edges taken, edges[t] from states[t] to states[t+1]
 */
@API(status = API.Status.EXPERIMENTAL)
public record FlowTrajectory(int[] states, int[] edges) {

  /** Checks the lengths. */
  public FlowTrajectory {
    if (states.length < 1 || edges.length != states.length - 1) {
      throw new IllegalArgumentException("trajectory with " + states.length + " states and "
          + edges.length + " edges");
    }
  }

  /** {@return the terminating state x} */
  public int last() {
    return states[states.length - 1];
  }

  /** {@return the number of actions n, exit included} */
  public int length() {
    return states.length;
  }

  /**
   * {@return a trajectory through the given states, checked against the network}
   * @param net the network
   * @param states s_0 = 0, ..., x with x terminating and each step an edge
   * @throws ModelException when a step is not an edge or x does not terminate
   */
  public static FlowTrajectory of(TabularFlowNetwork<?> net, int... states) {
    FlowCsr g = net.csr();
    if (states.length == 0 || states[0] != 0) {
      throw new ModelException("trajectory " + Arrays.toString(states)
          + ": must start at the source (index 0)");
    }
    int[] edges = new int[states.length - 1];
    for (int t = 0; t + 1 < states.length; t++) {
      int e = -1;
      for (int k = g.childStart()[states[t]]; k < g.childStart()[states[t] + 1]; k++) {
        if (g.child()[k] == states[t + 1]) {
          e = k;
        }
      }
      if (e < 0) {
        throw new ModelException("trajectory: state " + net.state(states[t + 1])
            + " is not a child of " + net.state(states[t]));
      }
      edges[t] = e;
    }
    if (!g.terminating()[states[states.length - 1]]) {
      throw new ModelException("trajectory: ends at state " + net.state(states[states.length - 1])
          + ", which is not terminating");
    }
    return new FlowTrajectory(states.clone(), edges);
  }

  /**
   * Every complete trajectory of a network, depth first (for tests and small exact checks).
   *
   * @param net the network
   * @param limit the most trajectories to return
   * @return the trajectories
   * @throws ModelException when there are more than limit
   */
  public static List<FlowTrajectory> enumerate(TabularFlowNetwork<?> net, int limit) {
    List<FlowTrajectory> out = new ArrayList<>();
    int[] states = new int[net.size()];
    int[] edges = new int[net.size()];
    walk(net.csr(), 0, 0, states, edges, out, limit);
    return out;
  }

  private static void walk(FlowCsr g, int s, int depth, int[] states, int[] edges,
      List<FlowTrajectory> out, int limit) {
    states[depth] = s;
    if (g.terminating()[s]) {
      if (out.size() >= limit) {
        throw new ModelException("more than " + limit + " trajectories");
      }
      out.add(new FlowTrajectory(Arrays.copyOf(states, depth + 1), Arrays.copyOf(edges, depth)));
    }
    for (int e = g.childStart()[s]; e < g.childStart()[s + 1]; e++) {
      edges[depth] = e;
      walk(g, g.child()[e], depth + 1, states, edges, out, limit);
    }
  }

  @Override
  public String toString() {
    return "FlowTrajectory" + Arrays.toString(states);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowTrajectory t && Arrays.equals(states, t.states)
        && Arrays.equals(edges, t.edges);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(states) + Arrays.hashCode(edges);
  }
}
