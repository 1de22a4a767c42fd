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
}
