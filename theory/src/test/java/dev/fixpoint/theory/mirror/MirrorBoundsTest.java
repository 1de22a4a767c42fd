package dev.fixpoint.theory.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Rates computed by hand on a one-state bandit: a self-loop with actions 0, 1, 2 of rewards 2, 1,
 * 0 and gamma = 1/2. V* = 2/(1 - 1/2) = 4 (action 0); the uniform policy has V = 1/(1 - 1/2) = 2;
 * rho = d* = (1); R = 2 - 0 = 2.
 */
class MirrorBoundsTest {
  static TabularMdp<Integer, Integer> bandit() {
    List<Integer> actions = List.of(0, 1, 2);
    return Mdp.<Integer, Integer>of(List.of(0), s -> actions,
        (s, a) -> Dist.dirac(Outcome.of(0, (long) (2 - a))), "1/2").withName("bandit").tabulate();
  }

  // NPG from uniform: log 3/(eta T) + R/((1-gamma)^2 T) = log 3 / 2 + 2 * 4 / 2 at eta = 1, T = 2.
  @Test
  void npgRateByHand() {
    TabularMdp<Integer, Integer> m = bandit();
    Bound b = MirrorBounds.npg(Optimum.of(m, new double[] {1}), 1, TabularPolicy.uniform(m), 2);
    assertEquals(Math.log(3) / 2 + 4, b.value(), 1e-14);
    assertTrue(b.source() instanceof Bound.Source.Confirmed, b.explain());
    assertTrue(b.explain().contains("log|A| = " + Math.log(3)), b.explain());
  }

  // Euclidean, uniform start: D_0* = (1/2)||(1,0,0) - (1/3,1/3,1/3)||^2 = (1/2)(4/9 + 1/9 + 1/9)
  // = 1/3. Constant eta = 1/6, k = 1: (D_0*/eta + R/(1-gamma)) / ((1-gamma) k) = (2 + 4) * 2 = 12.
  // Geometric eta_0 = 1/6: theta = 1/(1-gamma) = 2, Delta_0 = 2, so the bound at k is
  // (1/2)^k (2 + (1/3) / ((1/2)(1/6)(2 - 1))) = 6 / 2^k.
  @Test
  void euclideanRatesByHandInBothTiers() {
    TabularMdp<Integer, Integer> m = bandit();
    TabularPolicy<Integer, Integer> u = TabularPolicy.uniform(m);
    Optimum<Integer, Integer> o = Optimum.of(m, new double[] {1});
    assertEquals(1.0 / 3, MirrorBounds.startDivergence(o, MirrorMap.euclidean(), u), 1e-15);
    assertEquals(12, MirrorBounds.pmdConstant(o, MirrorMap.euclidean(), 1.0 / 6, u, 1).value(),
        1e-12);
    assertEquals(3, MirrorBounds.pmdGeometric(o, MirrorMap.euclidean(), 1.0 / 6, u, 1).value(),
        1e-12);
    var ref = ExactMirrorBounds.Reference.of(m, new BigFraction[] {BigFraction.ONE});
    assertEquals(new BigFraction(12), ExactMirrorBounds.pmdConstant(ref, Rationals.parse("1/6"),
        u, 1).exact().get());
    assertEquals(new BigFraction(3, 4), ExactMirrorBounds.pmdGeometric(ref, Rationals.parse("1/6"),
        u, 3).exact().get());
    // policy iteration: gamma^k ||V* - V^{pi_0}|| = 2 / 2^k; adaptive c_0 = 1 adds
    // gamma^k c_0 (1 - gamma^k)/(1 - gamma) = (1/2)(1/2)(2) = 1/2 at k = 1
    assertEquals(BigFraction.ONE, ExactMirrorBounds.policyIteration(ref, u, 1).exact().get());
    assertEquals(new BigFraction(3, 2), ExactMirrorBounds.adaptive(ref, BigFraction.ONE, u, 1)
        .exact().get());
    assertEquals(1.5, MirrorBounds.adaptive(o, 1, u, 1).value(), 1e-14);
  }

  // Entropy bias: tau log 3 / (1 - gamma) = 2 tau log 3.
  @Test
  void entropyBiasByHand() {
    TabularMdp<Integer, Integer> m = bandit();
    assertEquals(2 * 0.5 * Math.log(3), RegularisedBounds.entropyBias(Optimum.of(m,
        new double[] {1}), 0.5).value(), 1e-15);
  }
}
