package dev.fixpoint.tabular.gflownet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.FlowNetwork;
import dev.fixpoint.dsl.gflownet.Reward;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class FlowsTest {

  static BigFraction q(String s) {
    return Rationals.parse(s);
  }

  /** a -> {b, c}, b -> d, c -> d; X = {b, d}, R(b) = 1, R(d) = 2. */
  static TabularFlowNetwork<String> diamond() {
    return FlowNetwork.ofEdges("a", Map.of("a", List.of("b", "c"), "b", List.of("d"),
        "c", List.of("d")), Map.of("b", Reward.of(1), "d", Reward.of(2))).tabulate();
  }

  @Test
  void diamondFlowsByHand() {
    // Uniform P_B: P_B(b|d) = P_B(c|d) = 1/2. F(d) = 2; F(c) = F(d)/2 = 1; F(b) = R(b) + F(d)/2
    // = 2; F(a) = F(b) + F(c) = 3 = Z = 1 + 2. P_F(b|a) = 2/3, P_F(c|a) = 1/3, P_F(d|b) = 1/2,
    // P_F(exit|b) = R(b)/F(b) = 1/2, P_F(d|c) = 1, P_F(exit|d) = 1.
    // P_T(b) = 2/3 * 1/2 = 1/3, P_T(d) = 2/3 * 1/2 + 1/3 = 2/3.
    TabularFlowNetwork<String> net = diamond();
    ExactFlow f = Flows.exact(net, net.backward(BackwardPolicy.uniform()));
    assertEquals(q("3"), f.z());
    int a = net.indexOf("a");
    int b = net.indexOf("b");
    int c = net.indexOf("c");
    int d = net.indexOf("d");
    assertEquals(0, a);
    assertEquals(q("2"), f.stateFlow()[b]);
    assertEquals(q("1"), f.stateFlow()[c]);
    assertEquals(q("2"), f.stateFlow()[d]);
    var g = net.csr();
    assertEquals(q("2/3"), f.forward()[g.actionStart()[a]]); // a's first child is b
    assertEquals(q("1/3"), f.forward()[g.actionStart()[a] + 1]);
    assertEquals(q("1/2"), f.forward()[g.exitAction(b)]);
    assertEquals(q("1"), f.forward()[g.exitAction(d)]);
    BigFraction[] pt = ForwardPush.exact(net, f.forward());
    assertEquals(q("1/3"), pt[b]);
    assertEquals(q("2/3"), pt[d]);
    assertEquals(BigFraction.ZERO, pt[c]);
    LogFlow lf = Flows.logSpace(net, net.backward(BackwardPolicy.uniform()));
    assertEquals(Math.log(3), lf.logZ(), 1e-15);
    assertEquals(Math.log(2.0 / 3), lf.logForward()[g.actionStart()[a]], 1e-15);
  }

  @Test
  void foundationsDagUniformBackward() {
    // Hand computation (uniform P_B, parents 3:{1,2}, 8:{5,6}, 9:{7,8}, others one parent):
    // F(9) = 30, F(10) = 5, F(8) = 10 + 30/2 = 25, F(7) = 15, F(6) = 23 + 25/2 + 5 = 81/2,
    // F(5) = 15 + 25/2 = 55/2, F(4) = 14 + 81/2 = 109/2, F(3) = 30 + 55/2 = 115/2,
    // F(2) = 115/4 + 109/2 = 333/4, F(1) = 115/4, F(0) = 448/4 = 112 = sum of rewards.
    TabularFlowNetwork<Integer> net = ToyEnvironments.foundationsDag().tabulate();
    ExactFlow f = Flows.exact(net, net.backward(BackwardPolicy.uniform()));
    String[] expected = {"112", "115/4", "333/4", "115/2", "109/2", "55/2", "81/2", "15", "25",
        "30", "5"};
    for (int s = 0; s <= 10; s++) {
      assertEquals(q(expected[s]), f.stateFlow()[net.indexOf(s)], "F(" + s + ")");
    }
    // P_F(1|0) = F(0->1)/F(0) = (115/4)/112 = 115/448.
    assertEquals(q("115/448"), f.forward()[net.csr().actionStart()[0]]);
  }

  @Test
  void foundationsDagMaxEntropyBackward() {
    // Path counts n: 0:1 1:1 2:1 3:2 4:1 5:2 6:1 7:2 8:3 9:5 10:1; P_B(p|s) = n(p)/n(s).
    // F(9) = 30, F(8) = 10 + 30*3/5 = 28, F(7) = 30*2/5 = 12, F(10) = 5,
    // F(6) = 23 + 28*1/3 + 5 = 112/3, F(5) = 12 + 28*2/3 = 92/3, F(4) = 14 + 112/3 = 154/3,
    // F(3) = 30 + 92/3 = 182/3, F(2) = 91/3 + 154/3 = 245/3, F(1) = 91/3, F(0) = 112.
    TabularFlowNetwork<Integer> net = ToyEnvironments.foundationsDag().tabulate();
    ExactFlow f = Flows.exact(net, net.backward(BackwardPolicy.maxEntropy()));
    String[] expected = {"112", "91/3", "245/3", "182/3", "154/3", "92/3", "112/3", "12", "28",
        "30", "5"};
    for (int s = 0; s <= 10; s++) {
      assertEquals(q(expected[s]), f.stateFlow()[net.indexOf(s)], "F(" + s + ")");
    }
    long[] paths = {1, 1, 1, 2, 1, 2, 1, 2, 3, 5, 1};
    var counts = net.pathCounts();
    for (int s = 0; s <= 10; s++) {
      assertEquals(paths[s], counts[net.indexOf(s)].longValueExact(), "n(" + s + ")");
    }
  }

  @Test
  void hyperGridPartitionMatchesTorchgfnNotebook() {
    // 16x16, (R0, R1, R2) = (0.1, 0.5, 2): ring coordinates {0,1,2,3,12,13,14,15} (o = 8), band
    // {2, 13} (b = 2), Z = 0.1*256 + 0.5*64 + 2*4 = 65.6; torchgfn's notebook prints log Z =
    // 4.1836.
    HyperGrid grid = HyperGrid.of(2, 16);
    assertEquals(q("328/5"), grid.partitionFunction());
    assertEquals(4L, grid.modeCount());
    TabularFlowNetwork<List<Integer>> net = grid.tabulate();
    LogFlow lf = Flows.logSpace(net, net.backward(BackwardPolicy.uniform()));
    assertEquals(4.1836, lf.logZ(), 5e-5);
    assertEquals(Math.log(65.6), lf.logZ(), 1e-12);
    // 8x8: o = 4 ({0,1,6,7}), b = 2 ({1,6}); Z = 6.4 + 8 + 8 = 22.4.
    assertEquals(q("112/5"), HyperGrid.original().partitionFunction());
    TabularFlowNetwork<List<Integer>> small = HyperGrid.original().tabulate();
    assertEquals(q("112/5"),
        Flows.exact(small, small.backward(BackwardPolicy.maxEntropy())).z());
    assertEquals(2 * 7 * 8, small.edges());
    assertEquals(List.of(1, 6), small.state(14));
    assertEquals(14, small.indexOf(List.of(1, 6)));
  }

  @Test
  void validationNamesTheState() {
    ModelException cycle = assertThrows(ModelException.class, () -> FlowNetwork.ofEdges("a",
        Map.of("a", List.of("b"), "b", List.of("c"), "c", List.of("b")),
        Map.of("c", Reward.of(1))).tabulate());
    assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
    assertTrue(cycle.getMessage().contains("b -> c -> b") || cycle.getMessage()
        .contains("c -> b -> c"), cycle.getMessage());
    ModelException unreachable = assertThrows(ModelException.class, () -> FlowNetwork.ofEdges("a",
        Map.of("a", List.of("b"), "z", List.of("b")), Map.of("b", Reward.of(1))).tabulate());
    assertTrue(unreachable.getMessage().contains("state z: unreachable"),
        unreachable.getMessage());
    ModelException dead = assertThrows(ModelException.class, () -> FlowNetwork.ofEdges("a",
        Map.of("a", List.of("b", "c")), Map.of("b", Reward.of(1))).tabulate());
    assertTrue(dead.getMessage().contains("state c: dead end"), dead.getMessage());
    ModelException zero = assertThrows(ModelException.class, () -> FlowNetwork.of("a",
        s -> List.of(), s -> true, s -> Reward.of(0)).tabulate());
    assertTrue(zero.getMessage().contains("state a: reward 0"), zero.getMessage());
    TabularFlowNetwork<String> net = diamond();
    ModelException badSum = assertThrows(ModelException.class, () -> net.backward(
        BackwardPolicy.given(s -> s.equals("d") ? Map.of("b", q("1/2"), "c", q("1/3"))
            : Map.of(s.equals("b") || s.equals("c") ? "a" : "?", 1))));
    assertTrue(badSum.getMessage().contains("state d: backward probabilities sum to 5/6"),
        badSum.getMessage());
    ModelException notParent = assertThrows(ModelException.class, () -> net.backward(
        BackwardPolicy.given(s -> s.equals("d") ? Map.of("a", 1) : Map.of("a", 1))));
    assertTrue(notParent.getMessage().contains("state d: backward probability 1 on a, which is "
        + "not a parent"), notParent.getMessage());
  }

  @Test
  void givenBackwardPolicyChangesForwardButNotTerminal() {
    // P_B(b|d) = 1, P_B(c|d) = 0: F(d) = 2, F(c) = 0, F(b) = 1 + 2 = 3 = Z; P_F(b|a) = 1.
    TabularFlowNetwork<String> net = diamond();
    ExactFlow f = Flows.exact(net, net.backward(BackwardPolicy.given(
        s -> s.equals("d") ? Map.of("b", 1) : Map.of("a", 1))));
    assertEquals(q("3"), f.z());
    assertEquals(BigFraction.ONE, f.forward()[0]);
    BigFraction[] pt = ForwardPush.exact(net, f.forward());
    assertArrayEquals(new BigFraction[] {BigFraction.ZERO, q("1/3"), BigFraction.ZERO, q("2/3")},
        pt);
  }
}
