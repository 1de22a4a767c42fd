package dev.fixpoint.tabular.gflownet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.Reward;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentsTest {

  @Test
  void discreteEbmFlowIsTheConsistentRewardSumOverBinomial() {
    // D = 3, J = ones, alpha = 1: log R(x) = (sum c)^2 with c = 2x - 1, so R = e^9 for 000 and
    // 111, e^1 for the six others. Closed form (uniform P_B): F(s) = C(3,k)^-1 sum of R over the
    // completions of s, k = number of fixed coordinates. Z = F(s0) = 2e^9 + 6e.
    DiscreteEbm ebm = DiscreteEbm.of(3);
    TabularFlowNetwork<List<Integer>> net = ebm.network().tabulate();
    assertEquals(27, net.size());
    assertEquals(8, net.terminatingStates().length);
    LogFlow f = Flows.logSpace(net, net.backward(BackwardPolicy.uniform()));
    assertEquals(Math.log(2 * Math.exp(9) + 6 * Math.E), f.logZ(), 1e-12);
    int[] binom = {1, 3, 3, 1};
    for (int s = 0; s < net.size(); s++) {
      List<Integer> st = net.state(s);
      int k = 0;
      for (int v : st) {
        k += v >= 0 ? 1 : 0;
      }
      double sum = 0;
      for (int x = 0; x < 8; x++) {
        boolean consistent = true;
        int w = 0;
        for (int i = 0; i < 3; i++) {
          int bit = (x >> (2 - i)) & 1;
          consistent &= st.get(i) < 0 || st.get(i) == bit;
          w += 2 * bit - 1;
        }
        if (consistent) {
          sum += Math.exp(w * w);
        }
      }
      assertEquals(Math.log(sum / binom[k]), f.logStateFlow()[s], 1e-12, "F(" + st + ")");
    }
    // every complete state is reached by 3! = 6 fill orders
    assertEquals(8 * 6, FlowTrajectory.enumerate(net, 1000).size());
  }

  @Test
  void isingCouplesTorusNeighbours() {
    // 3x3 torus, kappa = 1/2: all spins up gives c^T J c = kappa * (9 sites * 4 neighbours) = 18.
    DiscreteEbm ising = DiscreteEbm.ising(3, 0.5);
    assertEquals(9, ising.dim());
    assertEquals(18, ising.logReward(java.util.Collections.nCopies(9, 1)), 1e-12);
  }

  @Test
  void bitSequenceIsATreeWithHammingReward() {
    // k = 2, n = 4, modes 0000 and 1111: distance min(w, 4 - w) for a string of weight w, so
    // Z = 2 + 8/e + 6/e^2 (weights 0,4: 1 each; 1,3: 4 each; 2: 6).
    BitSequence task = new BitSequence(2, 4, List.of("0000", "1111"), 1);
    TabularFlowNetwork<String> net = task.network().tabulate();
    assertEquals(1 + 4 + 16, net.size());
    LogFlow f = Flows.logSpace(net, net.backward(BackwardPolicy.uniform()));
    assertEquals(Math.log(2 + 8 / Math.E + 6 / (Math.E * Math.E)), f.logZ(), 1e-12);
    BitSequence seeded = BitSequence.seeded(4, 8, 3, new java.util.SplittableRandom(1));
    for (String m : seeded.modes()) {
      assertEquals(0.0, seeded.logReward(m));
    }
  }

  @Test
  void hyperGridRewardFamilies() {
    // sparse, D = 2, H = 4: targets (2,2) (k = 0), (1,2), (2,1) (k = 1); Z = 3 + 16 * 10^-12.
    HyperGrid g = HyperGrid.of(2, 4);
    TabularFlowNetwork<List<Integer>> sparse = g.tabulate(g.sparseReward());
    assertEquals(Rationals.parse("3").add(Rationals.parse("16/1000000000000")),
        Flows.partition(sparse));
    // deceptive, D = 2, H = 8 (h = 7): "away" (a > 1/10) for s not in {3, 4}: 6 per coordinate;
    // band {1, 6}. R = 0.6 - 0.5 [both away] + 2 [both band]; Z = 0.6*64 - 0.5*36 + 2*4 = 142/5.
    HyperGrid h = HyperGrid.original();
    TabularFlowNetwork<List<Integer>> dec = h.tabulate(h.deceptiveReward());
    assertEquals(Rationals.parse("142/5"), Flows.exact(dec,
        dec.backward(BackwardPolicy.uniform())).z());
    // cosine at the centre-most coordinate of H = 3 (a = 0): R0 + R1 ((cos 0 + 1) phi(0))^2.
    HyperGrid c3 = HyperGrid.of(2, 3);
    double phi0 = 1 / Math.sqrt(2 * Math.PI);
    assertEquals(Math.log(0.1 + 0.5 * 4 * phi0 * phi0),
        c3.cosineReward().apply(List.of(1, 1)).logValue(), 1e-12);
  }

  @Test
  void setAdditionCountsSubsets() {
    // 3 items, sets of size <= 2, R = 1: 1 + 3 + 3 = 7 terminating sets, Z = 7; with
    // fixedLength only the 3 pairs terminate, Z = 3.
    TabularFlowNetwork<List<Integer>> net = ToyEnvironments.setAddition(3, 2, false,
        s -> Reward.of(1)).tabulate();
    assertEquals(7, net.size());
    assertEquals(Rationals.of(7), Flows.exact(net, net.backward(BackwardPolicy.uniform())).z());
    TabularFlowNetwork<List<Integer>> fixed = ToyEnvironments.setAddition(3, 2, true,
        s -> Reward.of(1)).tabulate();
    assertEquals(Rationals.of(3),
        Flows.exact(fixed, fixed.backward(BackwardPolicy.maxEntropy())).z());
  }
}
