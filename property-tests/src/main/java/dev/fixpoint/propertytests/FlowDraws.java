package dev.fixpoint.propertytests;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.FlowNetwork;
import dev.fixpoint.dsl.gflownet.Reward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Random flow networks for GFlowNet properties (spec {@code gflownet.md} section 8): states 0 ..
 * n-1, every state i &gt; 0 gets a non-empty random set of parents among 0 .. i-1 (so the graph
 * is a DAG, every state is reachable from 0), a random set of terminating states that contains
 * every childless state, positive rational rewards p/q with 1 &lt;= p, q &lt;= 9 and a backward
 * policy that is uniform, maximum-entropy or given (random positive rationals normalised, with
 * zeros on some parents but never all). Draws at the low end of each range give fewer states and
 * edges, uniform P_B and unit rewards.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class FlowDraws {
  private FlowDraws() {}

  /**
   * A drawn network.
   *
   * @param children children of each state
   * @param terminating whether each state terminates
   * @param rewards R of each terminating state (1 elsewhere, unused)
   * @param backwardKind 0 uniform, 1 max-entropy, 2 given
   * @param givenBackward P_B(p | s) for the given kind: state -&gt; parent -&gt; probability
   */
  public record RandomFlowNetwork(int[][] children, boolean[] terminating, BigFraction[] rewards,
      int backwardKind, Map<Integer, Map<Integer, BigFraction>> givenBackward) {

    /** {@return the number of states} */
    public int size() {
      return children.length;
    }

    /** {@return the typed description over Integer states} */
    public FlowNetwork<Integer> network() {
      return network(BigFraction.ONE);
    }

    /**
     * {@return the description with every reward multiplied by c}
     * @param c a positive factor
     */
    public FlowNetwork<Integer> network(BigFraction c) {
      Map<Integer, List<Integer>> edges = new HashMap<>();
      Map<Integer, Reward> r = new HashMap<>();
      for (int s = 0; s < children.length; s++) {
        List<Integer> cs = new ArrayList<>();
        for (int k : children[s]) {
          cs.add(k);
        }
        edges.put(s, cs);
        if (terminating[s]) {
          r.put(s, Reward.of(rewards[s].multiply(c)));
        }
      }
      return FlowNetwork.ofEdges(0, edges, r);
    }

    /** {@return the drawn backward policy} */
    public BackwardPolicy<Integer> backward() {
      return switch (backwardKind) {
        case 0 -> BackwardPolicy.uniform();
        case 1 -> BackwardPolicy.maxEntropy();
        default -> BackwardPolicy.given(s -> givenBackward.getOrDefault(s, Map.of()));
      };
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("flow network:");
      for (int s = 0; s < children.length; s++) {
        b.append("\n  ").append(s).append(" -> ").append(Arrays.toString(children[s]));
        if (terminating[s]) {
          b.append(" R=").append(Rationals.format(rewards[s]));
        }
      }
      b.append("\n  P_B: ").append(switch (backwardKind) {
        case 0 -> "uniform";
        case 1 -> "max-entropy";
        default -> "given " + givenBackward;
      });
      return b.toString();
    }
  }

  /**
   * {@return random flow networks with between 1 and maxStates states}
   * @param maxStates the largest size, at least 1
   */
  public static Generator<RandomFlowNetwork> networks(int maxStates) {
    return Generator.of(rng -> {
      int n = rng.nextInt(1, maxStates + 1);
      List<List<Integer>> kids = new ArrayList<>();
      List<List<Integer>> parents = new ArrayList<>();
      for (int s = 0; s < n; s++) {
        kids.add(new ArrayList<>());
        parents.add(new ArrayList<>());
      }
      for (int s = 1; s < n; s++) {
        int first = rng.nextInt(0, s); // guaranteed parent
        for (int p = 0; p < s; p++) {
          if (p == first || rng.nextInt(0, 3) == 2) {
            kids.get(p).add(s);
            parents.get(s).add(p);
          }
        }
      }
      boolean[] term = new boolean[n];
      BigFraction[] rewards = new BigFraction[n];
      for (int s = 0; s < n; s++) {
        term[s] = kids.get(s).isEmpty() || rng.nextBoolean();
        rewards[s] = Rationals.of(rng.nextInt(1, 10), rng.nextInt(1, 10));
      }
      int kind = rng.nextInt(0, 3);
      Map<Integer, Map<Integer, BigFraction>> given = new HashMap<>();
      if (kind == 2) {
        for (int s = 1; s < n; s++) {
          List<Integer> ps = parents.get(s);
          int[] w = new int[ps.size()];
          int sum = 0;
          for (int k = 0; k < w.length; k++) {
            w[k] = rng.nextInt(0, 4) + (k == 0 ? 1 : 0);
            sum += w[k];
          }
          Map<Integer, BigFraction> row = new HashMap<>();
          for (int k = 0; k < w.length; k++) {
            row.put(ps.get(k), Rationals.of(w[k], sum));
          }
          given.put(s, row);
        }
      }
      int[][] children = new int[n][];
      for (int s = 0; s < n; s++) {
        children[s] = kids.get(s).stream().mapToInt(Integer::intValue).toArray();
      }
      return new RandomFlowNetwork(children, term, rewards, kind, given);
    });
  }
}
