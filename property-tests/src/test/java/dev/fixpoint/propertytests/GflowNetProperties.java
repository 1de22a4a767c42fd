package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.Reward;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import dev.fixpoint.propertytests.FlowDraws.RandomFlowNetwork;
import dev.fixpoint.tabular.gflownet.Distances;
import dev.fixpoint.tabular.gflownet.ExactFlow;
import dev.fixpoint.tabular.gflownet.FlowTrajectory;
import dev.fixpoint.tabular.gflownet.Flows;
import dev.fixpoint.tabular.gflownet.ForwardPush;
import dev.fixpoint.tabular.gflownet.HyperGrid;
import dev.fixpoint.tabular.gflownet.LogFlow;
import dev.fixpoint.tabular.gflownet.OutcomeConditioned;
import dev.fixpoint.tabular.gflownet.Sampler;
import dev.fixpoint.tabular.gflownet.DiscreteEbm;
import dev.fixpoint.tabular.gflownet.TerminalDistance;
import dev.fixpoint.tabular.gflownet.ToyEnvironments;
import java.math.BigInteger;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * GFlowNet flows on random DAGs (spec {@code gflownet.md} section 8) against exact oracles: the
 * backward DP gives Z = sum R for every backward policy, its forward policy samples R/Z, flow
 * matching, detailed balance and trajectory balance hold with equality in rationals, the log-space
 * tier agrees with the exact one, rewards scale flows only, and closed forms (tree, HyperGrid,
 * max-entropy P_B) match the DP.
 */
class GflowNetProperties {
  static final int EXAMPLES = 300;

  record Solved(RandomFlowNetwork r, TabularFlowNetwork<Integer> net, BackwardTable pb,
      ExactFlow flow) {
    @Override
    public String toString() {
      return r.toString();
    }
  }

  static Solved solve(RandomFlowNetwork r) {
    TabularFlowNetwork<Integer> net = r.network().tabulate();
    BackwardTable pb = net.backward(r.backward());
    return new Solved(r, net, pb, Flows.exact(net, pb));
  }

  static void forAll(long seed, java.util.function.Consumer<Solved> check) {
    qt().withFixedSeed(seed).withExamples(EXAMPLES)
        .forAll(QuickTheoriesGen.of(FlowDraws.networks(9))).checkAssert(r -> check.accept(solve(r)));
  }

  @Test
  void partitionFunctionIsTheRewardSumForEveryBackwardPolicy() {
    forAll(901, c -> assertEquals(Flows.partition(c.net()), c.flow().z()));
  }

  @Test
  void derivedForwardPolicySamplesRewardOverZExactlyAndInDoubles() {
    forAll(902, c -> {
      BigFraction[] pt = ForwardPush.exact(c.net(), c.flow().forward());
      FlowCsr g = c.net().csr();
      for (int s = 0; s < g.n(); s++) {
        BigFraction want = g.terminating()[s]
            ? c.net().reward(s).orElseThrow().divide(c.flow().z()) : BigFraction.ZERO;
        assertEquals(want, pt[s], "P_T of state " + c.net().state(s));
      }
      LogFlow lf = Flows.logSpace(c.net(), c.pb());
      double[] p = ForwardPush.of(c.net(), lf.forward());
      TerminalDistance d = Distances.compare(c.net(), p, Flows.target(c.net()));
      assertTrue(d.tv() < 1e-12 && d.jsd() < 1e-12 && d.kl() < 1e-12, d.toString());
    });
  }

  @Test
  void flowMatchingDetailedAndTrajectoryBalanceHoldExactly() {
    forAll(903, c -> {
      FlowCsr g = c.net().csr();
      BigFraction[] f = c.flow().stateFlow();
      BigFraction[] pf = c.flow().forward();
      for (int s = 0; s < g.n(); s++) {
        BigFraction in = BigFraction.ZERO;
        for (int k = g.parentStart()[s]; k < g.parentStart()[s + 1]; k++) {
          in = in.add(c.flow().edgeFlow()[g.parentEdge()[k]]);
        }
        BigFraction out = g.terminating()[s] ? c.net().reward(s).orElseThrow() : BigFraction.ZERO;
        for (int e = g.childStart()[s]; e < g.childStart()[s + 1]; e++) {
          out = out.add(c.flow().edgeFlow()[e]);
          // detailed balance F(s) P_F(c|s) = F(c) P_B(s|c), where s is visited
          if (Rationals.signum(f[s]) > 0) {
            assertEquals(f[g.child()[e]].multiply(c.pb().probability(e)),
                f[s].multiply(pf[g.actionOfEdge(e)]), "DB on edge " + e);
          }
        }
        assertEquals(f[s], out, "outflow of state " + c.net().state(s));
        if (s > 0) {
          assertEquals(f[s], in, "inflow of state " + c.net().state(s));
        }
        if (g.terminating()[s] && Rationals.signum(f[s]) > 0) {
          assertEquals(c.net().reward(s).orElseThrow(), f[s].multiply(pf[g.exitAction(s)]),
              "exit condition at " + c.net().state(s));
        }
      }
      for (FlowTrajectory t : FlowTrajectory.enumerate(c.net(), 5000)) {
        BigFraction forward = c.flow().z().multiply(pf[g.exitAction(t.last())]);
        BigFraction backward = c.net().reward(t.last()).orElseThrow();
        for (int e : t.edges()) {
          forward = forward.multiply(pf[g.actionOfEdge(e)]);
          backward = backward.multiply(c.pb().probability(e));
        }
        assertEquals(backward, forward, "TB on " + t);
      }
    });
  }

  @Test
  void logSpaceFlowsAgreeWithExactFlows() {
    forAll(904, c -> {
      LogFlow lf = Flows.logSpace(c.net(), c.pb());
      BigFraction[] f = c.flow().stateFlow();
      for (int s = 0; s < f.length; s++) {
        if (Rationals.signum(f[s]) == 0) {
          assertEquals(Double.NEGATIVE_INFINITY, lf.logStateFlow()[s]);
        } else {
          double want = Reward.logOf(f[s]);
          assertEquals(want, lf.logStateFlow()[s], 1e-12 * Math.max(1, Math.abs(want)),
              "log F of " + c.net().state(s));
        }
      }
      BigFraction[] pf = c.flow().forward();
      for (int a = 0; a < pf.length; a++) {
        assertEquals(Rationals.toDouble(pf[a]), Math.exp(lf.logForward()[a]), 1e-12,
            "P_F of action " + a);
      }
    });
  }

  @Test
  void scalingRewardsScalesFlowsAndKeepsTheForwardPolicy() {
    qt().withFixedSeed(905).withExamples(EXAMPLES)
        .forAll(QuickTheoriesGen.of(FlowDraws.networks(8))).checkAssert(r -> {
          Solved c = solve(r);
          BigFraction k = Rationals.of(7, 3);
          TabularFlowNetwork<Integer> scaled = r.network(k).tabulate();
          ExactFlow f = Flows.exact(scaled, scaled.backward(r.backward()));
          assertEquals(c.flow().z().multiply(k), f.z());
          for (int a = 0; a < f.forward().length; a++) {
            assertEquals(c.flow().forward()[a], f.forward()[a], "P_F of action " + a);
          }
        });
  }

  @Test
  void maxEntropyBackwardMakesEveryPathToAStateEquallyLikely() {
    qt().withFixedSeed(906).withExamples(EXAMPLES)
        .forAll(QuickTheoriesGen.of(FlowDraws.networks(8))).checkAssert(r -> {
          TabularFlowNetwork<Integer> net = r.network().tabulate();
          ExactFlow f = Flows.exact(net, net.backward(BackwardPolicy.maxEntropy()));
          BigInteger[] n = net.pathCounts();
          FlowCsr g = net.csr();
          for (FlowTrajectory t : FlowTrajectory.enumerate(net, 5000)) {
            BigFraction p = f.forward()[g.exitAction(t.last())];
            for (int e : t.edges()) {
              p = p.multiply(f.forward()[g.actionOfEdge(e)]);
            }
            // P_F(tau) = R(x) / (Z n(x))
            assertEquals(net.reward(t.last()).orElseThrow()
                .divide(f.z().multiply(new BigFraction(n[t.last()]))), p, "P_F of " + t);
          }
        });
  }

  @Test
  void treeFlowIsTheRewardOfTheLeavesBelow() {
    for (int depth = 1; depth <= 5; depth++) {
      TabularFlowNetwork<String> net = ToyEnvironments.perfectBinaryTree(depth,
          s -> Reward.of(Integer.parseInt(s, 2) + 1)).tabulate();
      ExactFlow f = Flows.exact(net, net.backward(BackwardPolicy.uniform()));
      for (int s = 0; s < net.size(); s++) {
        String prefix = net.state(s);
        long sum = 0;
        for (int leaf = 0; leaf < (1 << depth); leaf++) {
          String bits = Integer.toBinaryString((1 << depth) | leaf).substring(1);
          if (bits.startsWith(prefix)) {
            sum += leaf + 1;
          }
        }
        assertEquals(new BigFraction(sum), f.stateFlow()[s], "F(\"" + prefix + "\")");
      }
    }
  }

  @Test
  void hyperGridClosedFormsMatchTheDynamicProgramAndBruteForce() {
    for (int d = 1; d <= 3; d++) {
      for (int h = 2; h <= 7; h++) {
        HyperGrid grid = HyperGrid.of(d, h).withRewards("1/1000", "1/2", "2");
        TabularFlowNetwork<List<Integer>> net = grid.tabulate();
        ExactFlow f = Flows.exact(net, net.backward(BackwardPolicy.uniform()));
        assertEquals(grid.partitionFunction(), f.z(), "Z of " + grid);
        int modes = 0;
        BigFraction top = grid.r0().add(grid.r1()).add(grid.r2());
        for (int s = 0; s < net.size(); s++) {
          // direct evaluation of torchgfn's reward formula in rationals
          boolean outer = true;
          boolean band = true;
          for (int c : net.state(s)) {
            BigFraction a = Rationals.abs(new BigFraction(c, h - 1).subtract(new BigFraction(1, 2)));
            outer &= a.compareTo(new BigFraction(1, 4)) > 0;
            band &= a.compareTo(new BigFraction(3, 10)) > 0 && a.compareTo(new BigFraction(2, 5)) < 0;
          }
          BigFraction r = grid.r0().add(outer ? grid.r1() : BigFraction.ZERO)
              .add(band ? grid.r2() : BigFraction.ZERO);
          assertEquals(r, net.reward(s).orElseThrow(), "R of " + net.state(s));
          modes += r.compareTo(top) >= 0 ? 1 : 0;
        }
        assertEquals(grid.modeCount(), modes, "modes of " + grid);
        assertEquals(modes, grid.modes().length);
      }
    }
  }

  @Test
  void outcomeConditionedPolicyReachesItsOutcomeAndMixesToTheFlow() {
    forAll(907, c -> {
      FlowCsr g = c.net().csr();
      BigFraction[] mix = new BigFraction[g.n()];
      java.util.Arrays.fill(mix, BigFraction.ZERO);
      for (int y : c.net().terminatingStates()) {
        OutcomeConditioned oc = OutcomeConditioned.toward(c.net(), c.pb(), y);
        assertEquals(BigFraction.ONE, oc.stateFlow()[0], "Z(y) for y = " + c.net().state(y));
        BigFraction[] pt = ForwardPush.exact(c.net(), oc.forward());
        for (int x = 0; x < g.n(); x++) {
          assertEquals(x == y ? BigFraction.ONE : BigFraction.ZERO, pt[x],
              "P_T(" + c.net().state(x) + " | y = " + c.net().state(y) + ")");
        }
        BigFraction r = c.net().reward(y).orElseThrow();
        for (int s = 0; s < g.n(); s++) {
          mix[s] = mix[s].add(r.multiply(oc.stateFlow()[s]));
        }
      }
      for (int s = 0; s < g.n(); s++) {
        assertEquals(c.flow().stateFlow()[s], mix[s], "sum_y R(y) G_y at " + c.net().state(s));
      }
    });
  }

  @Test
  void subTrajectoryAndModifiedDetailedBalanceHoldExactlyOnEveryPair() {
    forAll(908, c -> {
      FlowCsr g = c.net().csr();
      BigFraction[] f = c.flow().stateFlow();
      BigFraction[] pf = c.flow().forward();
      boolean allTerminating = c.net().terminatingStates().length == g.n();
      for (FlowTrajectory t : FlowTrajectory.enumerate(c.net(), 2000)) {
        int n = t.length();
        int[] s = t.states();
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j <= n; j++) {
            // F(s_i) prod P_F = E_j prod P_B, E_n = R(x), exit has P_B = 1
            BigFraction left = f[s[i]];
            BigFraction right = j < n ? f[s[j]] : c.net().reward(t.last()).orElseThrow();
            for (int k = i; k < j; k++) {
              left = left.multiply(k < n - 1 ? pf[g.actionOfEdge(t.edges()[k])]
                  : pf[g.exitAction(t.last())]);
              if (k < n - 1) {
                right = right.multiply(c.pb().probability(t.edges()[k]));
              }
            }
            assertEquals(right, left, "SubTB (" + i + ", " + j + ") on " + t);
          }
        }
      }
      if (allTerminating) {
        for (int e = 0; e < g.edges(); e++) {
          int a = g.edgeSource()[e];
          int b = g.child()[e];
          if (Rationals.signum(f[a]) > 0 && Rationals.signum(f[b]) > 0) {
            // R(s) P_F(s'|s) P_F(sf|s') = R(s') P_B(s|s') P_F(sf|s)
            assertEquals(c.net().reward(b).orElseThrow().multiply(c.pb().probability(e))
                .multiply(pf[g.exitAction(a)]), c.net().reward(a).orElseThrow()
                .multiply(pf[g.actionOfEdge(e)]).multiply(pf[g.exitAction(b)]), "MDB on " + e);
          }
        }
      }
    });
  }

  @Test
  void sampledTerminalHistogramAgreesWithTheForwardPush() {
    // Bretagnolle-Huber-Carol: P(||p_hat - p||_1 >= eps) <= 2^K exp(-m eps^2 / 2); K <= 9,
    // m = 40000, eps = 0.05: 512 exp(-50) < 1e-18 per example.
    qt().withFixedSeed(909).withExamples(60)
        .forAll(QuickTheoriesGen.of(FlowDraws.networks(9))).checkAssert(r -> {
          TabularFlowNetwork<Integer> net = r.network().tabulate();
          java.util.SplittableRandom rng = new java.util.SplittableRandom(net.size() * 7919L);
          double[] logits = new double[net.actions()];
          for (int a = 0; a < logits.length; a++) {
            logits[a] = rng.nextDouble(-2, 2);
          }
          double[] exact = ForwardPush.ofLogits(net, logits);
          int m = 40_000;
          double[] hist = new double[net.size()];
          for (int i = 0; i < m; i++) {
            hist[Sampler.sample(net, logits, 0, 1, rng).last()] += 1.0 / m;
          }
          assertTrue(Distances.l1(hist, exact) < 0.05, Distances.l1(hist, exact) + "");
        });
  }

  /**
   * Spec property 14 for off-policy sampling: with exploration epsilon in [0, 1] and temperature T
   * in [0.25, 4] the terminal histogram of m = 40,000 trajectories lies within L1 0.05 of the
   * forward push of beta(a | s) = (1 - epsilon) softmax(theta / T)(a | s) + epsilon / |A(s)|,
   * computed here independently of the sampler (Bretagnolle-Huber-Carol: failure probability
   * &lt;= 2^9 e^{-50} per example); the same seed gives the same trajectories.
   */
  @Test
  void temperedEpsilonSamplerAgreesWithTheForwardPushOfItsBehaviourPolicy() {
    qt().withFixedSeed(910).withExamples(40)
        .forAll(QuickTheoriesGen.of(FlowDraws.networks(9)),
            QuickTheoriesGen.of(Generator.of(rng -> new double[] {rng.nextDouble(0, 1),
                rng.nextDouble(0.25, 4)})))
        .checkAssert((r, et) -> {
          TabularFlowNetwork<Integer> net = r.network().tabulate();
          FlowCsr g = net.csr();
          double eps = et[0];
          double temp = et[1];
          java.util.SplittableRandom rng = new java.util.SplittableRandom(net.size() * 104729L);
          double[] logits = new double[net.actions()];
          for (int a = 0; a < logits.length; a++) {
            logits[a] = rng.nextDouble(-3, 3);
          }
          double[] beta = new double[net.actions()];
          for (int s = 0; s < g.n(); s++) {
            int a0 = g.actionStart()[s];
            int k = g.actionStart()[s + 1] - a0;
            double z = 0;
            for (int i = 0; i < k; i++) {
              z += Math.exp(logits[a0 + i] / temp);
            }
            for (int i = 0; i < k; i++) {
              beta[a0 + i] = (1 - eps) * Math.exp(logits[a0 + i] / temp) / z + eps / k;
            }
          }
          double[] exact = ForwardPush.of(net, beta);
          int m = 40_000;
          double[] hist = new double[net.size()];
          java.util.SplittableRandom draw = new java.util.SplittableRandom(77);
          java.util.SplittableRandom again = new java.util.SplittableRandom(77);
          for (int i = 0; i < m; i++) {
            FlowTrajectory t = Sampler.sample(net, logits, eps, temp, draw);
            if (i < 50) {
              assertEquals(t, Sampler.sample(net, logits, eps, temp, again), "seeded draw " + i);
            }
            hist[t.last()] += 1.0 / m;
          }
          double l1 = Distances.l1(hist, exact);
          assertTrue(l1 < 0.05, "L1 " + l1 + " epsilon " + eps + " T " + temp);
        });
  }

  @Test
  void discreteEbmFlowMatchesItsClosedForm() {
    for (int d = 1; d <= 4; d++) {
      DiscreteEbm ebm = DiscreteEbm.of(d);
      TabularFlowNetwork<List<Integer>> net = ebm.network().tabulate();
      LogFlow f = Flows.logSpace(net, net.backward(BackwardPolicy.uniform()));
      for (int s = 0; s < net.size(); s++) {
        List<Integer> st = net.state(s);
        int k = 0;
        for (int v : st) {
          k += v >= 0 ? 1 : 0;
        }
        double sum = 0;
        for (int x = 0; x < (1 << d); x++) {
          boolean consistent = true;
          List<Integer> bits = new java.util.ArrayList<>();
          for (int i = 0; i < d; i++) {
            int bit = (x >> i) & 1;
            bits.add(bit);
            consistent &= st.get(i) < 0 || st.get(i) == bit;
          }
          if (consistent) {
            sum += Math.exp(ebm.logReward(bits));
          }
        }
        double binom = org.apache.commons.math3.util.CombinatoricsUtils.binomialCoefficientDouble(d, k);
        assertEquals(Math.log(sum / binom), f.logStateFlow()[s], 1e-12, "F(" + st + ")");
      }
    }
  }
}
