package dev.fixpoint.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import dev.fixpoint.propertytests.FlowDraws;
import dev.fixpoint.propertytests.QuickTheoriesGen;
import dev.fixpoint.tabular.gflownet.Flows;
import dev.fixpoint.tabular.gflownet.LogFlow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workload (d) on random flow networks ({@link FlowDraws}: random DAGs, rewards, uniform,
 * max-entropy or given backward policies with zeros): the level-by-level device flow is within
 * {@link OpenClFlows#tolerance} of {@code Flows.logSpace}, -infinity exactly where the CPU's is,
 * and the levels are a valid schedule.
 */
class OpenClFlowsProperties {
  private static final int EXAMPLES = 200;

  @BeforeEach
  void needsOpenCl() {
    OpenClAvailability.require(OpenClBackend.float64());
  }

  @Test
  void deviceFlowsAreWithinTheBoundOfTheCpusOnRandomNetworks() {
    qt().withFixedSeed(1001).withExamples(EXAMPLES)
        .forAll(QuickTheoriesGen.of(FlowDraws.networks(30))).checkAssert(r -> {
          TabularFlowNetwork<Integer> net = r.network().tabulate();
          BackwardTable pb = net.backward(r.backward());
          LogFlow cpu = Flows.logSpace(net, pb);
          LogFlow dev = OpenClFlows.logSpace(net, pb);
          double tol = OpenClFlows.tolerance(net, cpu);
          for (int s = 0; s < net.size(); s++) {
            double a = cpu.logStateFlow()[s];
            double b = dev.logStateFlow()[s];
            assertTrue(a == b || Math.abs(a - b) <= tol,
                r + ": state " + s + " cpu " + a + " device " + b + " bound " + tol);
          }
          for (int e = 0; e < net.edges(); e++) {
            double a = cpu.logEdgeFlow()[e];
            double b = dev.logEdgeFlow()[e];
            assertTrue(a == b || Math.abs(a - b) <= tol, r + ": edge " + e + " " + a + " " + b);
          }
        });
  }

  @Test
  void everyEdgeGoesFromAHigherLevelToALowerOne() {
    qt().withFixedSeed(1002).withExamples(EXAMPLES)
        .forAll(QuickTheoriesGen.of(FlowDraws.networks(30))).checkAssert(r -> {
          TabularFlowNetwork<Integer> net = r.network().tabulate();
          FlowCsr g = net.csr();
          int[] h = OpenClFlows.Levels.heights(net);
          OpenClFlows.Levels lv = OpenClFlows.Levels.of(net);
          for (int s = 0; s < g.n(); s++) {
            int deg = g.childStart()[s + 1] - g.childStart()[s];
            assertEquals(deg == 0, h[s] == 0, r + ": state " + s);
            for (int e = g.childStart()[s]; e < g.childStart()[s + 1]; e++) {
              assertTrue(h[s] > h[g.child()[e]], r + ": edge " + s + " -> " + g.child()[e]);
            }
          }
          for (int l = 0; l < lv.count(); l++) {
            assertTrue(lv.start()[l] < lv.start()[l + 1], r + ": level " + l + " is empty");
            for (int i = lv.start()[l]; i < lv.start()[l + 1]; i++) {
              assertEquals(l, h[lv.order()[i]], r + ": state " + lv.order()[i]);
            }
          }
        });
  }
}
