package dev.fixpoint.tabular.gflownet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.Loss;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GfnTrainerTest {
  static final TabularFlowNetwork<Integer> TOY = ToyEnvironments.foundationsDag().tabulate();
  static final BackwardTable UNIFORM = TOY.backward(BackwardPolicy.uniform());

  @Test
  void sameSeedSameRunBitForBit() {
    GfnTrainer t = GfnTrainer.of(Loss.subTb()).withExploration(0.1, 1.5).withReplay(64, 8)
        .withBatch(8, 10);
    GfnRun a = t.run(TOY, UNIFORM, new int[] {TOY.indexOf(3)}, 800, 42);
    GfnRun b = t.run(TOY, UNIFORM, new int[] {TOY.indexOf(3)}, 800, 42);
    assertEquals(a.evaluations(), b.evaluations());
    assertArrayEquals(a.parameters().forwardLogits(), b.parameters().forwardLogits());
    assertEquals(11, a.evaluations().size()); // step 0, then every 10 of 100 steps
  }

  @Test
  void explorationIsScoredWithTheLearnersPolicySoLogZIsUnbiased() {
    // Half the actions come from the uniform policy; TB still learns log Z = log 112 and R/Z,
    // because residuals use the learner's P_F (torchgfn issue #148).
    GfnRun run = GfnTrainer.of(Loss.tb()).withLearningRates(0.05, 0.1).withExploration(0.5, 1)
        .run(TOY, UNIFORM, new int[0], 32_000, 7);
    assertTrue(run.last().logZError() < 0.05, run.last().toString());
    assertTrue(run.last().distance().tv() < 0.03, run.last().toString());
  }

  @Test
  void everyLossLearnsTheToyDag() {
    for (Loss loss : new Loss[] {Loss.tb(), Loss.db(), Loss.subTb(), Loss.fm(), Loss.zVar()}) {
      GfnRun run = GfnTrainer.of(loss).withLearningRates(0.05, 0.1)
          .run(TOY, UNIFORM, new int[0], 32_000, 3);
      assertTrue(run.last().distance().tv() < 0.05, loss + " " + run.last());
      assertTrue(run.last().distance().tv() < run.evaluations().get(0).distance().tv() / 4,
          loss + " " + run.last());
    }
  }

  @Test
  void sampledHistogramAgreesWithTheForwardPush() {
    // Bretagnolle-Huber-Carol: P(||p_hat - p||_1 >= eps) <= 2^K exp(-m eps^2 / 2); K = 6 terminal
    // states, m = 200000, eps = 0.02 gives 64 exp(-40) ~ 3e-16.
    SplittableRandom rng = new SplittableRandom(5);
    double[] logits = new double[TOY.actions()];
    for (int a = 0; a < logits.length; a++) {
      logits[a] = rng.nextDouble(-1, 1);
    }
    double[] exact = ForwardPush.ofLogits(TOY, logits);
    int m = 200_000;
    double[] hist = new double[TOY.size()];
    for (int i = 0; i < m; i++) {
      hist[Sampler.sample(TOY, logits, 0, 1, rng).last()] += 1.0 / m;
    }
    assertTrue(Distances.l1(hist, exact) < 0.02, Distances.l1(hist, exact) + "");
  }

  @Test
  void steppingTheFoldByHandGivesTheRunWhateverIsEvaluated() {
    GfnTrainer t = GfnTrainer.of(Loss.db()).withExploration(0.2, 1).withBatch(4, 25);
    GfnRun run = t.run(TOY, UNIFORM, new int[0], 400, 9);
    GfnTrainer.Training fold = t.start(TOY, UNIFORM, new int[0], 9);
    for (int k = 0; k < 100; k++) {
      fold.evaluate(); // exact, draws nothing
      fold.step();
    }
    assertEquals(run.last(), fold.evaluate());
    assertArrayEquals(run.parameters().logFlow(), fold.parameters().logFlow());
  }

  @Test
  void learnedBackwardPolicyAndSgdAlsoReachTheTarget() {
    GfnRun learned = GfnTrainer.of(Loss.tb()).withLearningRates(0.05, 0.1)
        .withOptimizer(GfnTrainer.Optimizer.ADAM, true).run(TOY, UNIFORM, new int[0], 32_000, 11);
    assertTrue(learned.last().distance().tv() < 0.05, learned.last().toString());
    double[] start = UNIFORM.logProbabilities();
    boolean moved = false;
    for (int e = 0; e < start.length; e++) {
      moved |= Math.abs(learned.parameters().backwardLogits()[e] - start[e]) > 1e-3;
    }
    assertTrue(moved, "P_B logits never moved");
    GfnRun fixed = GfnTrainer.of(Loss.tb()).withLearningRates(0.05, 0.1)
        .run(TOY, UNIFORM, new int[0], 3200, 11);
    assertArrayEquals(start, fixed.parameters().backwardLogits());
    GfnRun sgd = GfnTrainer.of(Loss.subTb()).withLearningRates(0.5, 0.5)
        .withOptimizer(GfnTrainer.Optimizer.SGD, false).run(TOY, UNIFORM, new int[0], 32_000, 11);
    assertTrue(sgd.last().distance().tv() < 0.05, sgd.last().toString());
  }

  @Test
  void exploringTemperedSamplerDrawsFromItsBehaviourPolicy() {
    // beta(a|s) = (1 - eps) softmax(theta / T) + eps / |A(s)|, eps = 0.3, T = 2; the histogram of
    // 200000 draws must match the forward push of beta (BHC bound as above, eps_L1 = 0.02).
    SplittableRandom rng = new SplittableRandom(8);
    double[] logits = new double[TOY.actions()];
    for (int a = 0; a < logits.length; a++) {
      logits[a] = rng.nextDouble(-2, 2);
    }
    double[] tempered = new double[logits.length];
    for (int a = 0; a < logits.length; a++) {
      tempered[a] = logits[a] / 2;
    }
    double[] beta = ForwardPush.softmax(TOY, tempered);
    int[] as = TOY.csr().actionStart();
    for (int s = 0; s < TOY.size(); s++) {
      int k = as[s + 1] - as[s];
      for (int a = as[s]; a < as[s + 1]; a++) {
        beta[a] = 0.7 * beta[a] + 0.3 / k;
      }
    }
    double[] exact = ForwardPush.of(TOY, beta);
    int m = 200_000;
    double[] hist = new double[TOY.size()];
    for (int i = 0; i < m; i++) {
      hist[Sampler.sample(TOY, logits, 0.3, 2, rng).last()] += 1.0 / m;
    }
    assertTrue(Distances.l1(hist, exact) < 0.02, Distances.l1(hist, exact) + "");
    assertTrue(Distances.l1(exact, ForwardPush.ofLogits(TOY, logits)) > 0.1,
        "the behaviour policy should differ from the learner's here");
  }

  static double stepNorm(GfnParameters a, GfnParameters b) {
    double ss = (a.logZ() - b.logZ()) * (a.logZ() - b.logZ());
    double[][] x = {a.forwardLogits(), a.logFlow(), a.edgeLogFlow()};
    double[][] y = {b.forwardLogits(), b.logFlow(), b.edgeLogFlow()};
    for (int k = 0; k < x.length; k++) {
      for (int i = 0; i < x[k].length; i++) {
        ss += (x[k][i] - y[k][i]) * (x[k][i] - y[k][i]);
      }
    }
    return Math.sqrt(ss);
  }

  @Test
  void gradientClippingBoundsTheSgdStepByTheClipNorm() {
    // Norm clipping (Pascanu et al. 2013): g <- g * min(1, c / ||g||). With SGD and both rates 1
    // the step is -g, so its Euclidean norm is exactly min(||g||, c). At all-zero parameters the
    // TB residual is log Z + zeta = -log R(x) + (log P_F - log P_B) terms, far from 0, so ||g|| > c
    // for c = 0.25, and the step must have norm 0.25.
    GfnTrainer sgd = GfnTrainer.of(Loss.tb()).withOptimizer(GfnTrainer.Optimizer.SGD, false)
        .withLearningRates(1, 1);
    var free = sgd.start(TOY, UNIFORM, new int[0], 11);
    GfnParameters before = free.parameters();
    free.step();
    double raw = stepNorm(before, free.parameters());
    assertTrue(raw > 0.25, "unclipped step " + raw);
    var clipped = sgd.withGradientClip(0.25).start(TOY, UNIFORM, new int[0], 11);
    clipped.step();
    assertEquals(0.25, stepNorm(before, clipped.parameters()), 1e-12);
    // A clip above the raw norm changes nothing, bit for bit.
    var loose = sgd.withGradientClip(raw * 2).start(TOY, UNIFORM, new int[0], 11);
    loose.step();
    assertArrayEquals(free.parameters().forwardLogits(), loose.parameters().forwardLogits());
    assertEquals(free.parameters().logZ(), loose.parameters().logZ());
  }

  @Test
  void flowLearningRateZeroFreezesTheStateLogFlows() {
    GfnRun run = GfnTrainer.of(Loss.db()).withLearningRates(0.05, 0.1).withFlowLearningRate(0)
        .run(TOY, UNIFORM, new int[0], 800, 3);
    assertArrayEquals(new double[TOY.csr().n()], run.parameters().logFlow());
    assertTrue(run.parameters().forwardLogits()[0] != 0);
  }

  @Test
  void dbWithTheExactLogFlowsFrozenLearnsHyperGridPolicyFast() {
    // The explanation of tabular DB's slow HyperGrid curve (docs/gflownet.md section 7): with
    // log F(s) given exactly by the backward DP and frozen, DB is a per-state regression of P_F
    // onto F(s->c)/F(s) and converges like TB; the gap comes from learning log F. Checked
    // against the DP's own target R/Z (8x8, 4,000 trajectories, lr 0.03, seed 0).
    HyperGrid grid = HyperGrid.of(2, 8);
    TabularFlowNetwork<java.util.List<Integer>> net = grid.tabulate();
    BackwardTable pb = net.backward(BackwardPolicy.uniform());
    GfnParameters exact = GfnParameters.of(net, pb, Flows.logSpace(net, pb));
    GfnParameters zero = GfnParameters.zeros(net);
    GfnParameters init = new GfnParameters(zero.forwardLogits(), pb.logProbabilities(), 0,
        exact.logFlow(), zero.edgeLogFlow());
    GfnTrainer t = GfnTrainer.of(Loss.db()).withLearningRates(0.03, 0.1);
    GfnRun frozen = t.withFlowLearningRate(0).run(net, init, grid.modes(), 4_000, 0);
    GfnRun learned = t.run(net, pb, grid.modes(), 4_000, 0);
    assertTrue(frozen.last().distance().tv() < 0.05, frozen.last().toString());
    assertTrue(frozen.last().distance().tv() < learned.last().distance().tv() / 2,
        frozen.last() + " vs " + learned.last());
  }

  @Test
  void warmStartAtTheExactSolutionStaysThere() {
    // Every balance loss and its gradient vanish at the exact parameters (up to rounding, ~1e-17),
    // so SGD stays there. (Adam does not: its step lr g / (|g| + 1e-8) amplifies a rounding-size
    // gradient by lr / 1e-8, and the run drifts to TV ~ 1e-2 within a few steps; docs section 7.)
    GfnParameters exact = GfnParameters.of(TOY, UNIFORM, Flows.logSpace(TOY, UNIFORM));
    GfnRun run = GfnTrainer.of(Loss.db()).withOptimizer(GfnTrainer.Optimizer.SGD, false)
        .withLearningRates(0.05, 0.1).run(TOY, exact, new int[0], 1_600, 5);
    assertTrue(run.last().distance().tv() < 1e-9, run.last().toString());
    assertTrue(run.evaluations().get(0).distance().tv() < 1e-9);
  }
}
