package dev.fixpoint.tabular.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.learn.Trials;
import org.junit.jupiter.api.Test;

class MdpoTest {
  static final double E = Math.E;

  // PolicyMirrorDescentTest.bandit() (gamma 1/2, rewards 2, 1, 0): uniform pi_0 has A = (1, 0, -1).
  // With t = ln 2 the maximiser of <A, p> - KL(p || pi_0)/t is proportional to pi_0 2^A, i.e.
  // (2, 1, 1/2) normalised: (4/7, 2/7, 1/7).
  @Test
  void onPolicyExactStepByHand() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    var run = Mdpo.onPolicy(Math.log(2), 1, Mdpo.Critic.exact(), Mdpo.Inner.exact())
        .run(m, TabularPolicy.uniform(m), Trials.generator(1, 0));
    assertArrayEquals(new double[] {4.0 / 7, 2.0 / 7, 1.0 / 7}, run.last().policy().toArray(),
        1e-15);
  }

  // The same step by 4000 plain gradient steps on the logits (lr 1/2): the per-state objective is
  // maximised, so the iterate approaches the closed form.
  @Test
  void gradientInnerLoopReachesTheClosedForm() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    var run = Mdpo.onPolicy(Math.log(2), 1, Mdpo.Critic.exact(), Mdpo.Inner.gradient(4000, 0.5))
        .run(m, TabularPolicy.uniform(m), Trials.generator(1, 0));
    assertArrayEquals(new double[] {4.0 / 7, 2.0 / 7, 1.0 / 7}, run.last().policy().toArray(),
        1e-9);
  }

  // Off-policy with c = lambda = 1 (t = 1) is soft policy iteration (the SAC limit): from uniform,
  // pi_1 proportional to exp(Q_1^{pi_0}) = e^{1 + log 3} e^r, i.e. (e^2, e, 1)/(e^2 + e + 1)
  // (EntropyRegularisedTest).
  @Test
  void offPolicySacLimitByHand() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    var run = Mdpo.offPolicy(1, 1, 1, Mdpo.Critic.exact(), Mdpo.Inner.exact())
        .run(m, TabularPolicy.uniform(m), Trials.generator(1, 0));
    double z = E * E + E + 1;
    assertArrayEquals(new double[] {E * E / z, E / z, 1 / z}, run.last().policy().toArray(),
        1e-14);
  }

  // The off-policy gradient loop at c = lambda = 1 climbs <Q_1 - log pi_0, p> - KL(p || pi_0), whose
  // maximiser is the soft policy iteration step above.
  @Test
  void offPolicyGradientInnerLoopReachesTheSacStep() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    var run = Mdpo.offPolicy(1, 1, 1, Mdpo.Critic.exact(), Mdpo.Inner.gradient(4000, 0.5))
        .run(m, TabularPolicy.uniform(m), Trials.generator(1, 0));
    double z = E * E + E + 1;
    assertArrayEquals(new double[] {E * E / z, E / z, 1 / z}, run.last().policy().toArray(),
        1e-9);
  }

  @Test
  void sampledCriticsAreSeededAndImprove() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.small();
    Mdpo mc = Mdpo.onPolicy(0.05, 8, Mdpo.Critic.monteCarlo(100, 80), Mdpo.Inner.exact());
    var a = mc.run(m, TabularPolicy.uniform(m), Trials.generator(7, 0));
    var b = mc.run(m, TabularPolicy.uniform(m), Trials.generator(7, 0));
    for (int k = 0; k < a.iterates().size(); k++) {
      assertArrayEquals(a.iterates().get(k).policy().toArray(),
          b.iterates().get(k).policy().toArray(), 0.0, "same seed, iterate " + k);
    }
    for (int s = 0; s < 2; s++) {
      assertTrue(a.last().values().valueAt(s) > a.iterates().get(0).values().valueAt(s),
          "state " + s + ": " + a.last().values() + " vs " + a.iterates().get(0).values());
    }
    Mdpo replay = Mdpo.offPolicy(0.5, 1, 6, Mdpo.Critic.replay(2000, 50, 100),
        Mdpo.Inner.gradient(50, 0.5));
    var c = replay.run(m, TabularPolicy.uniform(m), Trials.generator(7, 1));
    var d = replay.run(m, TabularPolicy.uniform(m), Trials.generator(7, 1));
    assertArrayEquals(c.last().policy().toArray(), d.last().policy().toArray(), 0.0);
    for (int s = 0; s < 2; s++) {
      assertTrue(c.last().values().valueAt(s) > c.iterates().get(0).values().valueAt(s),
          "state " + s);
    }
  }

  @Test
  void refusesBadParameters() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.bandit();
    assertThrows(ModelException.class, () -> Mdpo.offPolicy(2, 1, 3, Mdpo.Critic.exact(),
        Mdpo.Inner.exact()));
    assertThrows(ModelException.class, () -> Mdpo.offPolicy(1, 1, 3,
        Mdpo.Critic.monteCarlo(1, 1), Mdpo.Inner.exact()));
    var ex = assertThrows(ModelException.class, () -> Mdpo.onPolicy(3, Mdpo.Critic.exact(),
        Mdpo.Inner.exact()).run(m, TabularPolicy.deterministic(m, new int[] {0}),
            Trials.generator(1, 0)));
    assertTrue(ex.getMessage().contains("state 0, action 1"), ex.getMessage());
  }

  // The sampled critics estimate what they claim: with plenty of data the Monte Carlo Q of the
  // uniform policy on small() (gamma 0.9, |Q| about 20) and the replay-fitted soft Q (lambda 1/2)
  // come within a few percent of the exact Q^pi and Q_lambda^pi.
  @Test
  void sampledCriticsApproachTheExactValues() {
    TabularMdp<Integer, Integer> m = PolicyMirrorDescentTest.small();
    TabularPolicy<Integer, Integer> u = TabularPolicy.uniform(m);
    double[] p = u.toArray();
    double[] exact = dev.fixpoint.tabular.solve.PolicyEvaluation.direct(m, u).q().toArray();
    double[] mc = Mdpo.monteCarloQ(m, p, new Mdpo.Critic.MonteCarlo(4000, 150),
        Trials.generator(11, 0));
    assertArrayEquals(exact, mc, 0.03 * 20);
    Mdpo off = Mdpo.offPolicy(0.5, 1, 1, Mdpo.Critic.replay(60_000, 200, 300),
        Mdpo.Inner.exact());
    double[] soft = EntropyRegularised.evaluate(m, u, 0.5).q().toArray();
    double[] fitted = off.replayQ(m, p, new Mdpo.Critic.Replay(60_000, 200, 300),
        new java.util.ArrayList<>(), Trials.generator(11, 1));
    assertArrayEquals(soft, fitted, 0.03 * 20);
  }
}
