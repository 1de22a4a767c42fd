package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.FlowNetwork;
import dev.fixpoint.dsl.gflownet.Reward;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Small standard flow networks (spec {@code gflownet.md} section 5), as typed descriptions.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ToyEnvironments {
  private ToyEnvironments() {}

  /**
   * The toy DAG of Figure 2 of Bengio et al., "GFlowNet Foundations" (JMLR 2023), with the
   * rewards of alexhernandezgarcia/gflownet's {@code envs/toy.py}: edges 0-&gt;{1,2}, 1-&gt;3,
   * 2-&gt;{3,4}, 3-&gt;5, 4-&gt;6, 5-&gt;{7,8}, 6-&gt;{8,10}, 7-&gt;9, 8-&gt;9; terminating states
   * 3, 4, 6, 8, 9, 10 with rewards 30, 14, 23, 10, 30, 5 (Z = 112).
   *
   * @return the network over Integer states
   */
  public static FlowNetwork<Integer> foundationsDag() {
    Map<Integer, List<Integer>> edges = new LinkedHashMap<>();
    edges.put(0, List.of(1, 2));
    edges.put(1, List.of(3));
    edges.put(2, List.of(3, 4));
    edges.put(3, List.of(5));
    edges.put(4, List.of(6));
    edges.put(5, List.of(7, 8));
    edges.put(6, List.of(8, 10));
    edges.put(7, List.of(9));
    edges.put(8, List.of(9));
    Map<Integer, Reward> rewards = new LinkedHashMap<>();
    rewards.put(3, Reward.of(30));
    rewards.put(4, Reward.of(14));
    rewards.put(6, Reward.of(23));
    rewards.put(8, Reward.of(10));
    rewards.put(9, Reward.of(30));
    rewards.put(10, Reward.of(5));
    return FlowNetwork.ofEdges(0, edges, rewards);
  }

  /**
   * A perfect binary tree of the given depth (torchgfn {@code PerfectBinaryTree}, default depth
   * 4): states are bit strings of length at most depth (the root is ""), each inner state has the
   * children s+"0", s+"1", leaves are the terminating states. In a tree P_B = 1 and F(s) is the
   * sum of the rewards of the leaves below s.
   *
   * @param depth &gt;= 1
   * @param reward R of each leaf (a bit string of length depth)
   * @return the network over String states
   */
  public static FlowNetwork<String> perfectBinaryTree(int depth,
      Function<? super String, Reward> reward) {
    if (depth < 1 || depth > 24) {
      throw new ModelException("perfect binary tree: depth = " + depth + " must be in [1, 24]");
    }
    return FlowNetwork.of("",
        s -> s.length() < depth ? List.of(s + "0", s + "1") : List.of(),
        s -> s.length() == depth, reward);
  }

  /**
   * Set addition (Shen et al., "Towards understanding and improving GFlowNet training", ICML 2023):
   * states are subsets of {0..items-1} (as sorted lists) of size at most maxItems, actions add an
   * absent item, exit allowed at every state (or only at size maxItems when fixedLength).
   *
   * @param items number of items, in [1, 20]
   * @param maxItems the largest set size, in [1, items]
   * @param fixedLength whether only sets of size maxItems terminate
   * @param reward R of a terminating set
   * @return the network over sorted integer lists
   */
  public static FlowNetwork<List<Integer>> setAddition(int items, int maxItems,
      boolean fixedLength, Function<? super List<Integer>, Reward> reward) {
    if (items < 1 || items > 20 || maxItems < 1 || maxItems > items) {
      throw new ModelException("set addition: items = " + items + " must be in [1, 20] and "
          + "maxItems = " + maxItems + " in [1, items]");
    }
    return FlowNetwork.of(List.<Integer>of(), s -> {
      List<List<Integer>> out = new ArrayList<>();
      if (s.size() < maxItems) {
        for (int i = 0; i < items; i++) {
          if (!s.contains(i)) {
            List<Integer> t = new ArrayList<>(s);
            t.add(i);
            t.sort(null);
            out.add(List.copyOf(t));
          }
        }
      }
      return out;
    }, s -> !fixedLength || s.size() == maxItems, reward);
  }
}
