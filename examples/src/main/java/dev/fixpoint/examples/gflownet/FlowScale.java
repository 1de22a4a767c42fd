package dev.fixpoint.examples.gflownet;

import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.tabular.gflownet.ExactFlow;
import dev.fixpoint.tabular.gflownet.Flows;
import dev.fixpoint.tabular.gflownet.ForwardPush;
import dev.fixpoint.tabular.gflownet.HyperGrid;
import dev.fixpoint.tabular.gflownet.LogFlow;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * A rough scale measurement (wall clock, best of a few repetitions, not JMH) of the exact flows on
 * large HyperGrids: tabulation, the log-space backward DP and the forward push, each reported in
 * seconds and as a ratio to a same-run reference pass that reads every edge once ({@code sum of
 * child[e] * logP_B[e]}); and the exact rational tier on growing grids. The log-space result is
 * checked against the closed form Z = R0 H^D + R1 o^D + R2 b^D.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class FlowScale {
  private FlowScale() {}

  /**
   * Runs the measurement and prints one line per step.
   *
   * @param args [ndim (default 4)] [height (default 41: 11,027,360 edges)]
   */
  public static void main(String[] args) {
    int d = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int h = args.length > 1 ? Integer.parseInt(args[1]) : 41;
    HyperGrid grid = HyperGrid.of(d, h);
    long t0 = System.nanoTime();
    TabularFlowNetwork<List<Integer>> net = grid.tabulate();
    double tab = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    BackwardTable pb = net.backward(BackwardPolicy.uniform());
    double back = (System.nanoTime() - t0) / 1e9;
    double ref = Double.MAX_VALUE;
    double dp = Double.MAX_VALUE;
    double push = Double.MAX_VALUE;
    double[] logPb = pb.logProbabilities();
    int[] child = net.csr().child();
    double sink = 0;
    LogFlow flow = null;
    for (int rep = 0; rep < 3; rep++) {
      t0 = System.nanoTime();
      double s = 0;
      for (int e = 0; e < child.length; e++) {
        s += child[e] * logPb[e];
      }
      sink += s;
      ref = Math.min(ref, (System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      flow = Flows.logSpace(net, pb);
      dp = Math.min(dp, (System.nanoTime() - t0) / 1e9);
      double[] pf = flow.forward();
      t0 = System.nanoTime();
      double[] pt = ForwardPush.of(net, pf);
      push = Math.min(push, (System.nanoTime() - t0) / 1e9);
      sink += pt[0];
    }
    double closed = dev.fixpoint.dsl.gflownet.Reward.logOf(grid.partitionFunction());
    System.out.printf(Locale.ROOT, "HyperGrid %d^%d: %,d states, %,d edges (checksum %.3g)%n", h, d,
        net.size(), net.edges(), sink);
    System.out.printf(Locale.ROOT, "tabulate %.2fs, uniform P_B table %.2fs%n", tab, back);
    System.out.printf(Locale.ROOT,
        "log-space DP %.3fs (%.1fx the edge-reading reference %.3fs); forward push %.3fs (%.1fx)%n",
        dp, dp / ref, ref, push, push / ref);
    System.out.printf(Locale.ROOT, "log Z = %.12f, closed form %.12f%n", flow.logZ(), closed);
    for (int side : new int[] {8, 16, 32, 64, 128}) {
      HyperGrid g2 = HyperGrid.of(2, side);
      TabularFlowNetwork<List<Integer>> n2 = g2.tabulate();
      t0 = System.nanoTime();
      ExactFlow f = Flows.exact(n2, n2.backward(BackwardPolicy.uniform()));
      double ex = (System.nanoTime() - t0) / 1e9;
      long bits = 0;
      for (var x : f.stateFlow()) {
        bits = Math.max(bits, x.getDenominator().bitLength());
      }
      System.out.printf(Locale.ROOT, "exact tier %dx%d: %.2fs, largest denominator %d bits, Z = "
          + "closed form: %b%n", side, side, ex, bits, f.z().equals(g2.partitionFunction()));
    }
  }
}
