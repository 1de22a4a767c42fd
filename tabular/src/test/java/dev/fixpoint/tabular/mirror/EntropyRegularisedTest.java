package dev.fixpoint.tabular.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import org.junit.jupiter.api.Test;

/**
 * Hand calculations on PolicyMirrorDescentTest.bandit(): one state with a self-loop, rewards
 * r = (2, 1, 0), gamma = 1/2, at temperature tau = 1.
 */
class EntropyRegularisedTest {
  static final double E = Math.E;

  // Uniform pi: r_pi = 1, entropy log 3, so V_tau = (1 + log 3)/(1 - 1/2) = 2 + 2 log 3 and
  // Q_tau = r + (1/2) V_tau = r + 1 + log 3.
  @Test
  void uniformPolicyValuesByHand() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    var sv = EntropyRegularised.evaluate(m, TabularPolicy.uniform(m), 1);
    double l3 = Math.log(3);
    assertEquals(2 + 2 * l3, sv.values().valueAt(0), 1e-14);
    assertArrayEquals(new double[] {3 + l3, 2 + l3, 1 + l3}, sv.q().toArray(), 1e-14);
  }

  // Soft optimum: Q*(a) = r(a) + V*/2 and V* = log sum_a exp Q*(a) = V*/2 + log(e^2 + e + 1), so
  // V* = 2 log(e^2 + e + 1) and pi*(a) = exp(Q*(a) - V*) = e^{r(a)} / (e^2 + e + 1).
  @Test
  void softOptimumByHand() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    var opt = EntropyRegularised.softOptimal(m, 1);
    double z = E * E + E + 1;
    assertEquals(2 * Math.log(z), opt.values().valueAt(0), 1e-11);
    assertArrayEquals(new double[] {E * E / z, E / z, 1 / z}, opt.policy().toArray(), 1e-11);
    assertTrue(opt.errorBound() > 0 && opt.errorBound() < 1e-10, "bound " + opt.errorBound());
  }

  // Cen et al. at eta = (1 - gamma)/tau = 1/2 is soft policy iteration: from uniform pi_0,
  // pi_1 proportional to exp(Q_tau^{pi_0}) = e^{1 + log 3} e^r, i.e. pi_1 = pi*, on one state.
  @Test
  void softPolicyIterationReachesTheOneStateOptimumInOneStep() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    var run = RegularisedMirrorDescent.softPolicyIteration(1, 0.5)
        .run(m, TabularPolicy.uniform(m), 2);
    double z = E * E + E + 1;
    assertArrayEquals(new double[] {E * E / z, E / z, 1 / z},
        run.iterates().get(1).policy().toArray(), 1e-14);
    assertEquals(2 * Math.log(z), run.last().values().valueAt(0), 1e-13);
  }

  // Lan with 1 + eta tau = 1/gamma = 2: eta = 1, keep = 1/2, scale = 1/2; from uniform pi_0,
  // pi_1 proportional to exp(Q_tau^{pi_0}/2), proportional to e^{r/2} = (e, e^{1/2}, 1).
  @Test
  void lanLinearStepByHand() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    RegularisedMirrorDescent lan = RegularisedMirrorDescent.lanLinear(1, 0.5);
    assertEquals(1, lan.eta(), 1e-15);
    var run = lan.run(m, TabularPolicy.uniform(m), 1);
    double z = E + Math.sqrt(E) + 1;
    assertArrayEquals(new double[] {E / z, Math.sqrt(E) / z, 1 / z},
        run.last().policy().toArray(), 1e-14);
  }

  @Test
  void refusesBadInput() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    assertThrows(ModelException.class, () -> RegularisedMirrorDescent.cen(1, 0.6)
        .run(m, TabularPolicy.uniform(m), 1));
    var ex = assertThrows(ModelException.class, () -> RegularisedMirrorDescent.cen(1, 0.1)
        .run(m, TabularPolicy.deterministic(m, new int[] {0}), 1));
    assertTrue(ex.getMessage().contains("state 0, action 1"), ex.getMessage());
    assertThrows(ModelException.class, () -> EntropyRegularised.softOptimal(m, 0));
    TabularMdp<Integer, Integer> undiscounted = m.withDiscount(dev.fixpoint.dsl.Rationals.of(1));
    assertThrows(ModelException.class, () -> EntropyRegularised.softOptimal(undiscounted, 1));
  }
}
