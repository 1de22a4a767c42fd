package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.FlowNetwork;
import dev.fixpoint.dsl.gflownet.Reward;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import dev.fixpoint.propertytests.FlowDraws.RandomFlowNetwork;
import dev.fixpoint.tabular.gflownet.Distances;
import dev.fixpoint.tabular.gflownet.ExactFlow;
import dev.fixpoint.tabular.gflownet.Flows;
import dev.fixpoint.tabular.gflownet.ForwardPush;
import dev.fixpoint.tabular.gflownet.TerminalDistance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.apache.commons.math3.fraction.BigFractionField;
import org.apache.commons.math3.linear.Array2DRowFieldMatrix;
import org.apache.commons.math3.linear.ArrayFieldVector;
import org.apache.commons.math3.linear.FieldLUDecomposition;
import org.apache.commons.math3.linear.FieldMatrix;
import org.apache.commons.math3.linear.FieldVector;
import org.junit.jupiter.api.Test;

/**
 * Flow-network descriptions and metrics (spec {@code gflownet.md} section 8, items 9, 12, 15,
 * 17): the DP flow is the unique solution of the linear flow equations (I - B) F = R solved by
 * an independent exact LU decomposition; relabelling the states and reordering the children of an
 * isomorphic DAG moves the outputs with the labels; every injected fault (cycle, unreachable
 * state, dead end, unnormalised P_B) is a ModelException naming the state; and the metrics obey
 * L1 = 2 TV, 0 &lt;= JSD = JSD' &lt;= ln 2, mean L1 = sum L1 / |X|.
 */
class GflowNetModelProperties {

  static org.quicktheories.core.Gen<RandomFlowNetwork> nets() {
    return QuickTheoriesGen.of(FlowDraws.networks(9));
  }

  @Test
  void dynamicProgramSolvesTheLinearFlowEquations() {
    qt().withFixedSeed(931).withExamples(200).forAll(nets()).checkAssert(r -> {
      TabularFlowNetwork<Integer> net = r.network().tabulate();
      BackwardTable pb = net.backward(r.backward());
      FlowCsr g = net.csr();
      int n = g.n();
      FieldMatrix<BigFraction> a = new Array2DRowFieldMatrix<>(BigFractionField.getInstance(), n,
          n);
      FieldVector<BigFraction> rhs = new ArrayFieldVector<>(BigFractionField.getInstance(), n);
      for (int s = 0; s < n; s++) {
        a.setEntry(s, s, BigFraction.ONE);
        rhs.setEntry(s, g.terminating()[s] ? net.reward(s).orElseThrow() : BigFraction.ZERO);
        for (int e = g.childStart()[s]; e < g.childStart()[s + 1]; e++) {
          a.addToEntry(s, g.child()[e], pb.probability(e).negate());
        }
      }
      FieldVector<BigFraction> f = new FieldLUDecomposition<>(a).getSolver().solve(rhs);
      ExactFlow flow = Flows.exact(net, pb);
      for (int s = 0; s < n; s++) {
        assertEquals(f.getEntry(s), flow.stateFlow()[s], "F of state " + net.state(s));
      }
    });
  }

  @Test
  void relabellingAndReorderingChildrenMovesOutputsWithTheLabels() {
    qt().withFixedSeed(932).withExamples(200).forAll(nets()).checkAssert(r -> {
      int n = r.size();
      SplittableRandom rng = new SplittableRandom(n * 31L + r.backwardKind());
      List<Integer> labels = new ArrayList<>();
      for (int s = 0; s < n; s++) {
        labels.add(100 + s);
      }
      java.util.Collections.shuffle(labels, new java.util.Random(rng.nextLong()));
      Map<Integer, List<Integer>> edges = new HashMap<>();
      Map<Integer, Reward> rewards = new HashMap<>();
      for (int s = 0; s < n; s++) {
        List<Integer> cs = new ArrayList<>();
        for (int c : r.children()[s]) {
          cs.add(labels.get(c));
        }
        java.util.Collections.shuffle(cs, new java.util.Random(rng.nextLong()));
        edges.put(labels.get(s), cs);
        if (r.terminating()[s]) {
          rewards.put(labels.get(s), Reward.of(r.rewards()[s]));
        }
      }
      TabularFlowNetwork<Integer> a = r.network().tabulate();
      TabularFlowNetwork<Integer> b = FlowNetwork.ofEdges(labels.get(0), edges, rewards)
          .tabulate();
      ExactFlow fa = Flows.exact(a, a.backward(BackwardPolicy.maxEntropy()));
      ExactFlow fb = Flows.exact(b, b.backward(BackwardPolicy.maxEntropy()));
      BigFraction[] pa = ForwardPush.exact(a, fa.forward());
      BigFraction[] pbT = ForwardPush.exact(b, fb.forward());
      for (int s = 0; s < n; s++) {
        int i = a.indexOf(s);
        int j = b.indexOf(labels.get(s));
        assertEquals(fa.stateFlow()[i], fb.stateFlow()[j], "F of state " + s);
        assertEquals(pa[i], pbT[j], "P_T of state " + s);
      }
    });
  }

  @Test
  void everyInjectedFaultIsAModelExceptionNamingTheState() {
    qt().withFixedSeed(933).withExamples(200).forAll(nets()).checkAssert(r -> {
      int n = r.size();
      Map<Integer, List<Integer>> edges = new HashMap<>();
      Map<Integer, Reward> rewards = new HashMap<>();
      int p = -1;
      int c = -1;
      for (int s = 0; s < n; s++) {
        List<Integer> cs = new ArrayList<>();
        for (int k : r.children()[s]) {
          cs.add(k);
          p = s;
          c = k;
        }
        edges.put(s, cs);
        if (r.terminating()[s]) {
          rewards.put(s, Reward.of(r.rewards()[s]));
        }
      }
      // unreachable: a declared state without a path from the source
      Map<Integer, Reward> extra = new HashMap<>(rewards);
      extra.put(n, Reward.of(1));
      ModelException un = assertThrows(ModelException.class,
          () -> FlowNetwork.ofEdges(0, edges, extra).tabulate());
      assertTrue(un.getMessage().contains("state " + n + ": unreachable"), un.getMessage());
      // dead end: the last state never has children; make it non-terminating
      Map<Integer, Reward> dead = new HashMap<>(rewards);
      dead.remove(n - 1);
      if (n > 1) {
        ModelException de = assertThrows(ModelException.class,
            () -> FlowNetwork.ofEdges(0, edges, dead).tabulate());
        assertTrue(de.getMessage().contains("state " + (n - 1) + ": dead end"), de.getMessage());
      }
      if (p >= 0) {
        // cycle: add the reverse of an edge p -> c
        Map<Integer, List<Integer>> cyclic = new HashMap<>(edges);
        List<Integer> back = new ArrayList<>(cyclic.get(c));
        back.add(p);
        cyclic.put(c, back);
        ModelException cy = assertThrows(ModelException.class,
            () -> FlowNetwork.ofEdges(0, cyclic, rewards).tabulate());
        assertTrue(cy.getMessage().contains("cycle") && cy.getMessage().contains(c + " -> " + p),
            cy.getMessage());
        // unnormalised P_B at c: halve its uniform row
        TabularFlowNetwork<Integer> net = r.network().tabulate();
        int target = c;
        int parents = net.parents(net.indexOf(c)).length;
        ModelException bp = assertThrows(ModelException.class, () -> net.backward(
            BackwardPolicy.given(s -> {
              Map<Integer, BigFraction> row = new HashMap<>();
              for (int q : net.parents(net.indexOf(s))) {
                row.put(net.state(q), new BigFraction(s == target ? 1 : 2, 2 * parents(net, s)));
              }
              return row;
            })));
        assertTrue(bp.getMessage().contains("state " + c + ": backward probabilities sum to 1/2"),
            bp.getMessage() + " (parents " + parents + ")");
      }
    });
  }

  static int parents(TabularFlowNetwork<Integer> net, int s) {
    return net.parents(net.indexOf(s)).length;
  }

  @Test
  void metricsAreConsistent() {
    qt().withFixedSeed(934).withExamples(300).forAll(nets()).checkAssert(r -> {
      TabularFlowNetwork<Integer> net = r.network().tabulate();
      SplittableRandom rng = new SplittableRandom(net.size());
      double[] logits = new double[net.actions()];
      for (int a = 0; a < logits.length; a++) {
        logits[a] = rng.nextDouble(-3, 3);
      }
      double[] p = ForwardPush.ofLogits(net, logits);
      double[] pi = Flows.target(net);
      TerminalDistance d = Distances.compare(net, p, pi);
      assertEquals(d.l1Sum(), 2 * d.tv(), 1e-15);
      assertEquals(d.l1Sum() / net.terminatingStates().length, d.l1Mean(), 1e-15);
      assertTrue(d.jsd() >= 0 && d.jsd() <= Math.log(2), d.toString());
      assertEquals(d.jsd(), Distances.jsd(pi, p), 1e-15);
      assertTrue(d.tv() <= 1 + 1e-12);
      double mass = 0;
      for (double x : p) {
        mass += x;
      }
      assertEquals(1, mass, 1e-12);
    });
  }

  /**
   * Spec property 9, first half: on DAGs where some state has two parents, the uniform, the
   * maximum-entropy and a random strictly positive given P_B (made non-uniform at the first state
   * with two parents) all give exactly the terminal law R/Z, and each gives its own forward policy:
   * P_B is recovered from (F, P_F) edge by edge as P_B(s | c) = F(s) P_F(c | s) / F(c) (detailed
   * balance, Bengio et al., GFlowNet Foundations, JMLR 2023; every F(s) &gt; 0 here as all rewards
   * and P_B entries are positive), so two forward policies are equal exactly when the two backward
   * tables are.
   */
  @Test
  void differentBackwardPoliciesGiveDifferentForwardPoliciesWithTheSameTerminalLaw() {
    qt().withFixedSeed(934).withExamples(200).forAll(nets())
        .assuming(r -> firstStateWithTwoParents(r) >= 0).checkAssert(r -> {
          TabularFlowNetwork<Integer> net = r.network().tabulate();
          FlowCsr g = net.csr();
          BackwardTable[] tables = {net.backward(BackwardPolicy.uniform()),
              net.backward(BackwardPolicy.maxEntropy()),
              net.backward(given(randomPositiveBackward(r)))};
          ExactFlow[] flows = new ExactFlow[tables.length];
          BigFraction z = Flows.partition(net);
          for (int k = 0; k < tables.length; k++) {
            flows[k] = Flows.exact(net, tables[k]);
            BigFraction[] pt = ForwardPush.exact(net, flows[k].forward());
            for (int s = 0; s < g.n(); s++) {
              BigFraction want = g.terminating()[s]
                  ? net.reward(s).orElseThrow().divide(z) : BigFraction.ZERO;
              assertEquals(want, pt[s], "P_T of state " + net.state(s) + " under P_B #" + k);
            }
            for (int e = 0; e < g.edges(); e++) {
              BigFraction[] f = flows[k].stateFlow();
              BigFraction back = f[g.edgeSource()[e]]
                  .multiply(flows[k].forward()[g.actionOfEdge(e)]).divide(f[g.child()[e]]);
              assertEquals(tables[k].probability(e), back, "P_B recovered on edge " + e);
            }
          }
          for (int a = 0; a < tables.length; a++) {
            for (int b = a + 1; b < tables.length; b++) {
              boolean sameBackward = java.util.Arrays.equals(tables[a].probabilities().orElseThrow(),
                  tables[b].probabilities().orElseThrow());
              boolean sameForward = java.util.Arrays.equals(flows[a].forward(),
                  flows[b].forward());
              assertEquals(sameBackward, sameForward, "P_F equal iff P_B equal, #" + a + " #" + b);
            }
          }
          // uniform vs the given table: they differ at the first state with two parents
          assertTrue(!java.util.Arrays.equals(flows[0].forward(), flows[2].forward()),
              "uniform and given P_B gave the same P_F");
        });
  }

  static BackwardPolicy<Integer> given(Map<Integer, Map<Integer, BigFraction>> table) {
    return BackwardPolicy.given(s -> table.getOrDefault(s, Map.of()));
  }

  /** The smallest state label with at least two parents, or -1. */
  static int firstStateWithTwoParents(RandomFlowNetwork r) {
    int[] parents = new int[r.size()];
    for (int[] cs : r.children()) {
      for (int c : cs) {
        parents[c]++;
      }
    }
    for (int s = 0; s < parents.length; s++) {
      if (parents[s] >= 2) {
        return s;
      }
    }
    return -1;
  }

  /**
   * A P_B with weights 1..4 on every parent, normalised; at the first state with two parents the
   * first parent gets one more than the largest other weight, so this P_B is not uniform there.
   */
  static Map<Integer, Map<Integer, BigFraction>> randomPositiveBackward(RandomFlowNetwork r) {
    SplittableRandom rng = new SplittableRandom(r.size() * 131L + r.children()[0].length);
    List<List<Integer>> parents = new ArrayList<>();
    for (int s = 0; s < r.size(); s++) {
      parents.add(new ArrayList<>());
    }
    for (int s = 0; s < r.size(); s++) {
      for (int c : r.children()[s]) {
        parents.get(c).add(s);
      }
    }
    int special = firstStateWithTwoParents(r);
    Map<Integer, Map<Integer, BigFraction>> out = new HashMap<>();
    for (int s = 1; s < r.size(); s++) {
      List<Integer> ps = parents.get(s);
      int[] w = new int[ps.size()];
      int sum = 0;
      int max = 0;
      for (int k = 0; k < w.length; k++) {
        w[k] = rng.nextInt(1, 5);
        max = k > 0 ? Math.max(max, w[k]) : max;
      }
      if (s == special) {
        w[0] = max + 1;
      }
      for (int wk : w) {
        sum += wk;
      }
      Map<Integer, BigFraction> row = new HashMap<>();
      for (int k = 0; k < w.length; k++) {
        row.put(ps.get(k), new BigFraction(w[k], sum));
      }
      out.put(s, row);
    }
    return out;
  }
}
