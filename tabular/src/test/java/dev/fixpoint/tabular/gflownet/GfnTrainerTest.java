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
}
