package dev.fixpoint.tabular.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import org.junit.jupiter.api.Test;

class NaturalPolicyGradientTest {

  // Hand calculation on PolicyMirrorDescentTest.bandit() (gamma = 1/2, rewards 2, 1, 0): uniform
  // pi_0 has V = 2, Q = (3, 2, 1), A = (1, 0, -1). With eta = (ln 2)/2 the logit step is
  // eta/(1 - gamma) = ln 2, so theta_1 = log(1/3) + ln 2 (1, 0, -1) and pi_1 is proportional to
  // (2, 1, 1/2), i.e. (4/7, 2/7, 1/7); then r_pi1 = 8/7 + 2/7 = 10/7 and V^{pi_1} = 20/7.
  @Test
  void oneLogitStepOnTheBanditByHand() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    var run = NaturalPolicyGradient.of(Math.log(2) / 2).run(m, TabularPolicy.uniform(m), 1);
    assertArrayEquals(new double[] {4.0 / 7, 2.0 / 7, 1.0 / 7},
        run.last().policy().toArray(), 1e-15);
    assertEquals(20.0 / 7, run.last().values().valueAt(0), 1e-14);
    double l = Math.log(1.0 / 3);
    assertArrayEquals(new double[] {l + Math.log(2), l, l - Math.log(2)}, run.logitsAt(1),
        1e-15);
    assertEquals(Math.log(2), run.last().step(), 1e-15);
  }

  @Test
  void largeLogitsKeepTheSoftmax() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    // softmax is shift-invariant: (1000, 1000 - ln 2, 1000 - 2 ln 2) gives (4/7, 2/7, 1/7), up to
    // the rounding of 1000 - ln 2 (ulp(1000) is about 1.1e-13)
    double[] p = NaturalPolicyGradient.softmax(m, new double[] {1000, 1000 - Math.log(2),
        1000 - 2 * Math.log(2)});
    assertArrayEquals(new double[] {4.0 / 7, 2.0 / 7, 1.0 / 7}, p, 1e-12);
  }

  @Test
  void valuesIncreaseAndApproachTheOptimum() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.small();
    var run = NaturalPolicyGradient.of(1).run(m, TabularPolicy.uniform(m), 60);
    for (int t = 1; t < run.iterates().size(); t++) {
      for (int s = 0; s < 2; s++) {
        assertTrue(run.iterates().get(t).values().valueAt(s)
            >= run.iterates().get(t - 1).values().valueAt(s) - 1e-12);
      }
    }
    // published optimum of mdptoolbox.example.small(): (1825/43, 1550/43)
    assertArrayEquals(new double[] {1825.0 / 43, 1550.0 / 43}, run.last().values().toArray(),
        1e-6);
  }

  @Test
  void refusesZeroProbabilitiesAndBadSteps() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    var ex = assertThrows(ModelException.class, () -> NaturalPolicyGradient.of(1)
        .run(m, TabularPolicy.deterministic(m, new int[] {0}), 1));
    assertTrue(ex.getMessage().contains("state 0, action 1"), ex.getMessage());
    assertThrows(ModelException.class, () -> NaturalPolicyGradient.of(0));
    assertThrows(ModelException.class, () -> NaturalPolicyGradient.of(Double.NaN));
  }
}
