package dev.fixpoint.propertytests;

import static dev.fixpoint.propertytests.RealizabilityProperties.cases;
import static dev.fixpoint.propertytests.RealizabilityProperties.positiveDistribution;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.features.DataDistribution;
import dev.fixpoint.theory.realizability.DataWeights;
import dev.fixpoint.theory.realizability.InherentBellmanError;
import dev.fixpoint.theory.realizability.LinearEvaluation;
import dev.fixpoint.theory.realizability.LinearFeatures;
import dev.fixpoint.theory.realizability.LinearMdps;
import dev.fixpoint.theory.realizability.PopulationIterates;
import dev.fixpoint.theory.realizability.Realizability;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Bellman completeness and the inherent Bellman error (spec B2; properties B8.2 and B8.8): the
 * linear-MDP construction P = Phi M, r = Phi w is complete with IBE 0 for T^pi and T; on random
 * classes the rank test agrees with IBE_B &gt; 0; the trust-region solution is the maximum over the
 * sphere (checked against a 20000-point sweep of the circle), including constructed hard cases.
 */
class InherentBellmanErrorProperties {
  static Generator<LinearMdps.WithFeatures> linearMdps() {
    return Generator.of(rng -> {
      int states = rng.nextInt(1, 5);
      int actions = rng.nextInt(1, 4);
      int d = rng.nextInt(1, 4);
      BigFraction[][] phi = new BigFraction[states * actions][];
      for (int i = 0; i < phi.length; i++) {
        phi[i] = distribution(d, rng);
      }
      BigFraction[][] m = new BigFraction[d][];
      for (int k = 0; k < d; k++) {
        m[k] = distribution(states, rng);
      }
      BigFraction[] w = new BigFraction[d];
      for (int k = 0; k < d; k++) {
        w[k] = new BigFraction(rng.nextInt(-3, 4), 2);
      }
      return LinearMdps.linear(states, actions, phi, m, w, new BigFraction(rng.nextInt(0, 10), 10));
    });
  }

  /** A distribution with some zeros: weights in {0, ..., 3}, at least one positive. */
  static BigFraction[] distribution(int n, RandomGenerator rng) {
    long[] w = new long[n];
    long sum = 0;
    for (int i = 0; i < n; i++) {
      w[i] = rng.nextInt(0, 4);
      sum += w[i];
    }
    if (sum == 0) {
      w[rng.nextInt(n)] = 1;
      sum = 1;
    }
    BigFraction[] out = new BigFraction[n];
    for (int i = 0; i < n; i++) {
      out[i] = new BigFraction(w[i], sum);
    }
    return out;
  }

  @Test
  void linearMdpIsBellmanCompleteWithZeroInherentBellmanError() {
    AtomicInteger checked = new AtomicInteger();
    qt().withFixedSeed(808).withExamples(100).forAll(QuickTheoriesGen.of(linearMdps()))
        .checkAssert(lm -> {
          TabularMdp<Integer, Integer> m = lm.mdp();
          LinearFeatures phi = lm.features();
          TabularPolicy<Integer, Integer> pi = TabularPolicy.uniform(m);
          DataWeights mu = DataWeights.of(m, DataDistribution.exact(
              positiveDistribution(m.numRows(), new java.util.SplittableRandom(m.numRows()))));
          assertTrue(Realizability.isCompleteForOptimality(m, phi), "linear MDP: complete for T");
          LinearEvaluation e;
          try {
            e = Realizability.evaluate(m, phi, mu, pi);
          } catch (ModelException dependentFeatures) {
            return;
          }
          checked.incrementAndGet();
          assertTrue(e.isComplete(), "linear MDP: complete for T^pi");
          for (double b : new double[] {0.5, 3}) {
            InherentBellmanError.Ball ball = InherentBellmanError.evaluation(m, phi, mu, pi, b);
            assertEquals(0.0, ball.value(), 1e-12, "IBE_B(T^pi) of a linear MDP");
            for (Bound bd : InherentBellmanError.optimality(m, phi, mu, b, 3,
                new java.util.SplittableRandom(7))) {
              assertEquals(0.0, bd.value(), 1e-12, bd.explain());
            }
          }
        });
    assertTrue(checked.get() >= 30, "only " + checked + " linear MDPs with independent features");
  }

  @Test
  void completenessRankTestAgreesWithTheInherentBellmanError() {
    AtomicInteger incomplete = new AtomicInteger();
    qt().withFixedSeed(809).withExamples(120).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          LinearFeatures phi = LinearFeatures.fromExact(c.phi(), "random");
          DataWeights mu = DataWeights.of(c.t(), DataDistribution.exact(c.mu()));
          LinearEvaluation e = Realizability.evaluate(c.t(), phi, mu, c.pi());
          InherentBellmanError.Ball ball = InherentBellmanError.evaluation(c.t(), phi, mu, c.pi(), 1);
          if (e.isComplete()) {
            assertEquals(0.0, ball.value(), 1e-9, "complete but IBE_1 = " + ball.value());
          } else {
            incomplete.incrementAndGet();
            assertTrue(ball.value() > 1e-9, "incomplete but IBE_1 = " + ball.value());
          }
          assertTrue(ball.upper().holds(ball.value(), 1e-9), ball.upper().explain());
        });
    assertTrue(incomplete.get() >= 30, "only " + incomplete + " incomplete random classes");
  }

  record Trs(double[] u, double[][] k, double radius, boolean hard) {
    @Override
    public String toString() {
      return "u " + java.util.Arrays.toString(u) + "\nK " + java.util.Arrays.deepToString(k)
          + "\nB " + radius + (hard ? " (built for the hard case)" : "");
    }
  }

  /** Random subproblems in d = 2; half built for the hard case: u orthogonal to K v_top, small. */
  static Generator<Trs> planarSubproblems() {
    return Generator.of(rng -> {
      int n = rng.nextInt(2, 6);
      double[][] k = new double[n][2];
      for (double[] row : k) {
        row[0] = rng.nextDouble(-2, 2);
        row[1] = rng.nextDouble(-2, 2);
      }
      double[] u = new double[n];
      for (int i = 0; i < n; i++) {
        u[i] = rng.nextDouble(-2, 2);
      }
      boolean hard = rng.nextBoolean();
      if (hard) {
        // top right-singular vector of K from the 2 x 2 Gram matrix, by the closed form
        double a = 0;
        double b = 0;
        double c = 0;
        for (double[] row : k) {
          a += row[0] * row[0];
          b += row[0] * row[1];
          c += row[1] * row[1];
        }
        double lambda = (a + c) / 2 + Math.sqrt((a - c) * (a - c) / 4 + b * b);
        double[] v = Math.abs(b) > 1e-12 ? new double[] {b, lambda - a}
            : (a >= c ? new double[] {1, 0} : new double[] {0, 1});
        double[] kv = new double[n];
        double nn = 0;
        for (int i = 0; i < n; i++) {
          kv[i] = k[i][0] * v[0] + k[i][1] * v[1];
          nn += kv[i] * kv[i];
        }
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += u[i] * kv[i];
        }
        for (int i = 0; i < n; i++) {
          u[i] = 1e-3 * (u[i] - dot / nn * kv[i]);
        }
      }
      return new Trs(u, k, rng.nextDouble(0.1, 3), hard);
    });
  }

  @Test
  void trustRegionValueIsTheMaximumOverTheSphereIncludingTheHardCase() {
    AtomicInteger hardCases = new AtomicInteger();
    qt().withFixedSeed(810).withExamples(300).forAll(QuickTheoriesGen.of(planarSubproblems()))
        .checkAssert(t -> {
          InherentBellmanError.Ball ball = InherentBellmanError.solve(
              new InherentBellmanError.Problem(t.u(), t.k()), t.radius());
          if (ball.hardCase()) {
            hardCases.incrementAndGet();
          }
          double brute = 0;
          for (int i = 0; i < 20000; i++) {
            double ang = 2 * Math.PI * i / 20000;
            double[] th = {t.radius() * Math.cos(ang), t.radius() * Math.sin(ang)};
            brute = Math.max(brute, InherentBellmanError.Ball.objective(t.u(), t.k(), th));
          }
          assertTrue(ball.value() >= brute - 1e-9 * (1 + brute), "TRS " + ball.value()
              + " < sampled boundary value " + brute);
          assertTrue(ball.value() <= brute * (1 + 1e-6) + 1e-12, "TRS " + ball.value()
              + " exceeds the maximum over the circle " + brute);
          assertTrue(ball.upper().holds(ball.value(), 1e-9), ball.upper().explain());
          assertEquals(t.radius(), PopulationIterates.norm(ball.theta()), 1e-9 * t.radius());
        });
    assertTrue(hardCases.get() >= 50, "hard case exercised only " + hardCases + " times");
  }

}
