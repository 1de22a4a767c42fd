package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Operators;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.mirror.EntropyRegularised;
import dev.fixpoint.tabular.mirror.RegularisedMirrorDescent;
import dev.fixpoint.tabular.operators.DoubleInterpreter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Entropy-regularised MDPs on random models (spec A3, A6.5, A6.6): the soft optimum is a fixed
 * point of T_tau and satisfies Q_tau* - tau log pi_tau* = V_tau* row by row; evaluating pi_tau*
 * returns V_tau*; Cen et al.'s NPG at its largest step is soft policy iteration; Lan's PMD equals
 * Cen's under eta_Cen/(1-gamma) = eta_Lan/(1 + eta_Lan tau).
 */
class RegularisedMirrorProperties {
  static final MdpSpec DOUBLES = MdpSpec.doubles().withStates(1, 6);
  static final List<Double> TAUS = List.of(0.05, 0.3, 1.0, 4.0);

  record Case(RandomMdp m, TabularPolicy<Integer, Integer> start, double tau, double frac) {
    @Override
    public String toString() {
      return m + "\npi_0 " + start + "\ntau " + tau + ", step fraction " + frac;
    }
  }

  static Generator<Case> cases() {
    Generator<RandomMdp> mdps = Generators.mdps(DOUBLES);
    return Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      return new Case(m, Generators.stochasticPolicies(m.tabular(), Tier.DOUBLE).next(rng),
          TAUS.get(rng.nextInt(TAUS.size())), List.of(0.1, 0.5, 1.0).get(rng.nextInt(3)));
    });
  }

  // Seen failing with pi_tau* = exp(Q* - V*) (no division by tau).
  @Test
  void softOptimumIsTheFixedPointWithItsIdentities() {
    qt().withFixedSeed(711).withExamples(150).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          var opt = EntropyRegularised.softOptimal(t, c.tau());
          double[] q = opt.q().toArray();
          double[] v = opt.values().toArray();
          double scale = Math.max(1, MirrorProperties.maxAbs(q));
          double[] tq = DoubleInterpreter.apply(Operators.soft(Rationals.fromDouble(c.tau())), t,
              q);
          // ||T q - q|| <= ||T q - Q*|| + ||Q* - q|| <= (1 + gamma) bound
          assertArrayEquals(q, tq, (1 + t.discount()) * opt.errorBound() + 1e-12 * scale,
              "T_tau Q* = Q*");
          double[] pi = opt.policy().toArray();
          for (int r = 0; r < t.numRows(); r++) {
            assertEquals(v[t.rowState(r)], q[r] - c.tau() * Math.log(pi[r]), 1e-9 * scale,
                "Q* - tau log pi* = V* at row " + r);
          }
          // pi from an approximate Q*: V_tau^{pi} is within about 2 ||dQ||/(1 - gamma) of V_tau*
          double[] w = EntropyRegularised.evaluate(t, opt.policy(), c.tau()).values().toArray();
          assertArrayEquals(v, w, 4 * opt.errorBound() / (1 - t.discount()) + 1e-9 * scale,
              "V_tau^{pi_tau*} = V_tau*");
        });
  }

  // Seen failing with Cen's exponent 1 - eta tau instead of 1 - eta tau/(1 - gamma).
  @Test
  void cenAtTheLargestStepIsSoftPolicyIteration() {
    qt().withFixedSeed(712).withExamples(150).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          var run = RegularisedMirrorDescent.softPolicyIteration(c.tau(), t.discount())
              .run(t, c.start(), 5);
          for (int k = 0; k + 1 < run.iterates().size(); k++) {
            double[] q = run.iterates().get(k).q().toArray();
            double[] v = EntropyRegularised.softValues(t, q, c.tau());
            double[] expected = new double[q.length];
            for (int r = 0; r < q.length; r++) {
              expected[r] = Math.exp((q[r] - v[t.rowState(r)]) / c.tau());
            }
            assertArrayEquals(expected, run.iterates().get(k + 1).policy().toArray(), 1e-9,
                "pi_" + (k + 1) + " = softmax(Q_tau^{pi_" + k + "}/tau)");
          }
        });
  }

  // Seen failing with Lan's exponent eta/(1 + eta tau) on pi instead of 1/(1 + eta tau).
  @Test
  void lanEqualsCenUnderTheStepMap() {
    qt().withFixedSeed(713).withExamples(150).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          double gamma = t.discount();
          double etaCen = c.frac() * (1 - gamma) / c.tau();
          // eta_Cen/(1-gamma) = x = eta_Lan/(1 + eta_Lan tau)  =>  eta_Lan = x/(1 - x tau)
          double x = etaCen / (1 - gamma);
          if (x * c.tau() >= 1) {
            return; // soft policy iteration: Lan's step would be infinite
          }
          double etaLan = x / (1 - x * c.tau());
          var cen = RegularisedMirrorDescent.cen(c.tau(), etaCen).run(t, c.start(), 5);
          var lan = RegularisedMirrorDescent.lan(c.tau(), etaLan).run(t, c.start(), 5);
          for (int k = 0; k < cen.iterates().size(); k++) {
            assertArrayEquals(cen.iterates().get(k).policy().toArray(),
                lan.iterates().get(k).policy().toArray(), 1e-9, "iterate " + k);
          }
        });
  }
}
