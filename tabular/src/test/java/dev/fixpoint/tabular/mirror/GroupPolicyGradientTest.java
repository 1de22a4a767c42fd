package dev.fixpoint.tabular.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.tabular.learn.Trials;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class GroupPolicyGradientTest {

  @Test
  void advantagesByHand() {
    double[] r = {1, 0, 0, 1};
    assertArrayEquals(new double[] {0.5, -0.5, -0.5, 0.5},
        GroupPolicyGradient.Baseline.mean().advantages(r), 0);
    assertArrayEquals(new double[] {0}, GroupPolicyGradient.Baseline.mean()
        .advantages(new double[] {3}), 0);
    // tau = 1, r = (0, ln 3): b = log((1 + 3)/2) = ln 2
    assertArrayEquals(new double[] {-Math.log(2), Math.log(3) - Math.log(2)},
        GroupPolicyGradient.Baseline.logAvgExp(1).advantages(new double[] {0, Math.log(3)}),
        1e-15);
    assertArrayEquals(new double[] {0}, GroupPolicyGradient.Baseline.logAvgExp(1)
        .advantages(new double[] {3}), 0);
    // AsymRE: b = mean + delta = 0.5 - 0.1
    assertArrayEquals(new double[] {0.6, -0.4, -0.4, 0.6},
        GroupPolicyGradient.Baseline.shifted(-0.1).advantages(r), 1e-15);
  }

  // With a fixed baseline V the expected update is the Euler step of the AsymRE ODE:
  // l + lr (mu (r - V) - pi (V^mu - V)) (spec A5).
  @Test
  void expectedStepWithAFixedBaselineIsTheOdeStep() {
    double[] mu = {0.4, 0.3, 0.2, 0.1};
    double[] r = {1, 0.2, 0.8, 0};
    double[] l = {0.3, -0.2, 0.1, 0};
    double v = 0.3;
    var g = new GroupPolicyGradient(GroupPolicyGradient.Baseline.fixed(v), 3, 0.25, 1, 0);
    double[] pi = GroupPolicyGradient.softmax(l);
    double vmu = 0.62;
    double[] expected = new double[4];
    for (int y = 0; y < 4; y++) {
      expected[y] = l[y] + 0.25 * (mu[y] * (r[y] - v) - pi[y] * (vmu - v));
    }
    assertArrayEquals(expected, g.expectedStep(r, l, mu), 1e-14);
  }

  // mu = (0.4, 0.3, 0.2, 0.1), r = (1, 0.2, 0.8, 0), V = 0.3: V^mu = 0.62, b = 0.32,
  // a = mu (r - V) = (0.28, -0.03, 0.1, -0.03), a/b = (0.875, -0.09375, 0.3125, -0.09375);
  // (0.875 - c) + (0.3125 - c) = 1 gives c = 0.09375, so pi_inf = (0.78125, 0, 0.21875, 0),
  // whose expected reward 0.95625 beats V^mu = 0.62.
  @Test
  void asymreDynamicsReachTheWaterFillingLimitByHand() {
    double[] mu = {0.4, 0.3, 0.2, 0.1};
    double[] r = {1, 0.2, 0.8, 0};
    double[] limit = {0.78125, 0, 0.21875, 0};
    assertArrayEquals(limit, GroupPolicyGradient.waterFilling(mu, r, 0.3), 1e-15);
    var g = new GroupPolicyGradient(GroupPolicyGradient.Baseline.fixed(0.3), 1, 0.5, 1, 0);
    double[] l = new double[4];
    for (int t = 0; t < 20_000; t++) {
      l = g.expectedStep(r, l, mu);
    }
    assertArrayEquals(limit, GroupPolicyGradient.softmax(l), 1e-6);
  }

  // The mean of sampled updates from fixed logits tends to the enumerated expectation.
  @Test
  void sampledStepsAverageToTheExpectedStep() {
    double[] mu = {0.5, 0.3, 0.2};
    double[] r = {0, 1, 0.5};
    double[] l = {0.2, 0, -0.1};
    for (var g : List.of(GroupPolicyGradient.opmd(1, GroupPolicyGradient.Baseline.mean(), 4, 1, 0),
        GroupPolicyGradient.opmd(1, GroupPolicyGradient.Baseline.logAvgExp(0.5), 4, 1, 0),
        GroupPolicyGradient.asymre(-0.1, 4, 1, 0))) {
      double[] exp = g.expectedStep(r, l, mu);
      RandomGenerator rng = Trials.generator(3, 0);
      int n = 100_000;
      double[] mean = new double[3];
      for (int i = 0; i < n; i++) {
        double[] s = g.step(r, l, mu, rng);
        for (int y = 0; y < 3; y++) {
          mean[y] += s[y] / n;
        }
      }
      // each update coordinate is bounded by about 1; 5 standard errors of the mean
      assertArrayEquals(exp, mean, 5.0 / Math.sqrt(n), g.toString());
    }
  }

  @Test
  void staleAsymreRunIsSeededAndImproves() {
    double[] r = {0, 1, 0.5, 0.2};
    var g = GroupPolicyGradient.asymre(-0.1, 8, 0.5, 3);
    var a = g.run(r, new double[4], 300, Trials.generator(5, 0));
    var b = g.run(r, new double[4], 300, Trials.generator(5, 0));
    assertArrayEquals(a.get(300), b.get(300), 0);
    double v0 = 0;
    double v1 = 0;
    for (int y = 0; y < 4; y++) {
      v0 += a.get(0)[y] * r[y];
      v1 += a.get(300)[y] * r[y];
    }
    assertTrue(v1 > v0 + 0.3, v0 + " -> " + v1);
    assertEquals(1, a.get(300)[0] + a.get(300)[1] + a.get(300)[2] + a.get(300)[3], 1e-12);
  }

  // Spec A6.8: the gradient of the pairwise loss at theta_old, by central finite differences,
  // equals the group-mean REINFORCE gradient; away from theta_old the regulariser term differs.
  @Test
  void pairwiseLossGradientAtTheOldLogitsIsGroupMeanReinforce() {
    double[] old = {0.4, -0.3, 0.1, 0.0};
    int[] ys = {0, 2, 2, 3, 1};
    double[] r = {1, 0.5, 0.5, 0, 0.2};
    double[] adv = GroupPolicyGradient.Baseline.mean().advantages(r);
    double[] expected = GroupPolicyGradient.reinforceGradient(old, ys, adv);
    double h = 1e-6;
    for (double tau : new double[] {0.1, 1, 10}) {
      double[] fd = new double[4];
      for (int y = 0; y < 4; y++) {
        double[] up = old.clone();
        double[] down = old.clone();
        up[y] += h;
        down[y] -= h;
        fd[y] = (GroupPolicyGradient.pairwiseLoss(up, old, ys, r, tau)
            - GroupPolicyGradient.pairwiseLoss(down, old, ys, r, tau)) / (2 * h);
      }
      assertArrayEquals(expected, fd, 1e-8, "tau " + tau);
    }
    // at other logits the spread regulariser contributes: the loss exceeds its linear part
    double[] moved = {1.4, -0.3, 0.1, 0.0};
    double linear = GroupPolicyGradient.pairwiseLoss(moved, old, ys, r, 0);
    assertTrue(GroupPolicyGradient.pairwiseLoss(moved, old, ys, r, 1) > linear);
  }
}
