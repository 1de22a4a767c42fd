package dev.fixpoint.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.tabular.gflownet.Flows;
import dev.fixpoint.tabular.gflownet.HyperGrid;
import dev.fixpoint.tabular.gflownet.LogFlow;
import dev.fixpoint.tabular.gflownet.ToyEnvironments;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workload (d): GFlowNet log-space flows level by level on OpenCL against Flows.logSpace. */
class OpenClFlowsTest {
  @BeforeEach
  void needsOpenCl() {
    OpenClAvailability.require(OpenClBackend.float64());
  }

  /** Asserts every log-flow within the stated bound of the CPU's; returns the largest gap. */
  private static double assertClose(TabularFlowNetwork<?> net, BackwardTable pb) {
    LogFlow cpu = Flows.logSpace(net, pb);
    LogFlow dev = OpenClFlows.logSpace(net, pb);
    double tol = OpenClFlows.tolerance(net, cpu);
    double worst = 0;
    for (int s = 0; s < net.size(); s++) {
      double a = cpu.logStateFlow()[s];
      double b = dev.logStateFlow()[s];
      if (a == b) {
        continue; // also both -infinity
      }
      worst = Math.max(worst, Math.abs(a - b));
      assertTrue(Math.abs(a - b) <= tol, "state " + s + ": cpu " + a + " device " + b
          + " bound " + tol);
    }
    for (int e = 0; e < net.edges(); e++) {
      double a = cpu.logEdgeFlow()[e];
      double b = dev.logEdgeFlow()[e];
      assertTrue(a == b || Math.abs(a - b) <= tol, "edge " + e + ": " + a + " vs " + b);
    }
    for (int a = 0; a < cpu.logForward().length; a++) {
      double x = cpu.logForward()[a];
      double y = dev.logForward()[a];
      assertTrue(x == y || Math.abs(x - y) <= 2 * tol, "action " + a + ": " + x + " vs " + y);
    }
    return worst;
  }

  @Test
  void originalHyperGridMatchesTheCpuAndTheHandComputedPartitionFunction() {
    // D = 2, H = 8, R0 = 0.1, R1 = 0.5, R2 = 2. |x/7 - 1/2| for x = 0..7 is 1/2, 5/14, 3/14,
    // 1/14, 1/14, 3/14, 5/14, 1/2: four coordinates exceed 1/4 (x = 0, 1, 6, 7), two lie in
    // (0.3, 0.4) (x = 1, 6). Z = 0.1 * 8^2 + 0.5 * 4^2 + 2 * 2^2 = 6.4 + 8 + 8 = 22.4.
    TabularFlowNetwork<List<Integer>> net = HyperGrid.original().tabulate();
    BackwardTable pb = net.backward(BackwardPolicy.uniform());
    assertClose(net, pb);
    assertEquals(22.4, Math.exp(OpenClFlows.logSpace(net, pb).logZ()), 1e-12);
  }

  @Test
  void foundationsDagHasZ112() {
    // Bengio et al. 2023, Fig. 2, rewards of alexhernandezgarcia's notebook: Z = 112.
    TabularFlowNetwork<Integer> net = ToyEnvironments.foundationsDag().tabulate();
    BackwardTable pb = net.backward(BackwardPolicy.uniform());
    assertClose(net, pb);
    assertEquals(112.0, Math.exp(OpenClFlows.logSpace(net, pb).logZ()), 1e-10);
  }

  @Test
  void largerHyperGridsWithBothBackwardPoliciesStayWithinTheBound() {
    TabularFlowNetwork<List<Integer>> net = HyperGrid.of(3, 20).tabulate();
    assertClose(net, net.backward(BackwardPolicy.uniform()));
    assertClose(net, net.backward(BackwardPolicy.maxEntropy()));
    TabularFlowNetwork<List<Integer>> cos = HyperGrid.of(4, 9).tabulate(
        HyperGrid.of(4, 9).cosineReward());
    assertClose(cos, cos.backward(BackwardPolicy.uniform()));
  }

  @Test
  void hyperGridLevelsAreTheSumsOfDistancesToTheFarCorner() {
    // From (s_1..s_D) every move raises one coordinate, so the longest path to the corner
    // (H-1, ..., H-1) has sum (H-1-s_i) steps; D(H-1)+1 levels in all.
    HyperGrid g = HyperGrid.of(3, 5);
    TabularFlowNetwork<List<Integer>> net = g.tabulate();
    int[] h = OpenClFlows.Levels.heights(net);
    for (int s = 0; s < net.size(); s++) {
      int expected = 0;
      for (int x : g.coordinates(s)) {
        expected += 4 - x;
      }
      assertEquals(expected, h[s], "state " + g.coordinates(s));
    }
    OpenClFlows.Levels lv = OpenClFlows.Levels.of(net);
    assertEquals(3 * 4 + 1, lv.count());
    assertEquals(net.size(), lv.start()[lv.count()]);
    int[] sorted = lv.order().clone();
    java.util.Arrays.sort(sorted);
    int[] all = new int[net.size()];
    for (int s = 0; s < all.length; s++) {
      all[s] = s;
    }
    assertArrayEquals(all, sorted);
  }

  @Test
  void aResidentNetworkGivesTheSameFlowEveryTime() {
    TabularFlowNetwork<List<Integer>> net = HyperGrid.of(2, 6).tabulate();
    BackwardTable pb = net.backward(BackwardPolicy.maxEntropy());
    LogFlow once = OpenClFlows.logSpace(net, pb);
    try (OpenClFlows.Resident r = OpenClFlows.upload(net, pb)) {
      for (int i = 0; i < 3; i++) {
        LogFlow again = r.flow();
        assertArrayEquals(once.logStateFlow(), again.logStateFlow());
        assertArrayEquals(once.logEdgeFlow(), again.logEdgeFlow());
        assertArrayEquals(once.logForward(), again.logForward());
      }
    }
  }

  @Test
  void aTableOfAnotherNetworkIsRefused() {
    TabularFlowNetwork<List<Integer>> small = HyperGrid.of(2, 3).tabulate();
    TabularFlowNetwork<List<Integer>> big = HyperGrid.of(2, 4).tabulate();
    BackwardTable pb = small.backward(BackwardPolicy.uniform());
    assertThrows(IllegalArgumentException.class, () -> OpenClFlows.logSpace(big, pb));
  }
}
