package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.features.DataDistribution;
import dev.fixpoint.dsl.features.Features;
import dev.fixpoint.theory.realizability.DataWeights;
import dev.fixpoint.theory.realizability.LinearEvaluation;
import dev.fixpoint.theory.realizability.LinearFeatures;
import dev.fixpoint.theory.realizability.LinearMdps;
import dev.fixpoint.theory.realizability.PopulationIterates;
import dev.fixpoint.theory.realizability.Realizability;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Realizability and the TD fixed point for linear classes (spec Part B, properties B8.1, B8.3-B8.5;
 * B8.2 and B8.8 are in InherentBellmanErrorProperties):
 * one-hot features are realizable and complete; a class that contains Q^pi has an exact TD fixed
 * point for every mu with invertible A (no completeness needed); the error identity of B3.3 holds
 * exactly; ||Phi theta_TD - Q^pi||_mu &lt;= kappa_TD eps_real; kappa_TD &lt;= 1/sqrt(1 - gamma^2 c)
 * with c = 1 on-policy and c &lt;= 1/gamma for the discounted occupancy; and the two-state
 * off-policy counterexample of Sutton and Barto (2018, section 11.2) flips exactly where A = 0.
 */
class RealizabilityProperties {
  static final MdpSpec SPEC = MdpSpec.exact().withStates(1, 4).withTerminals(false);

  record Case(RandomMdp m, TabularPolicy<Integer, Integer> pi, BigFraction[] mu,
      BigFraction[][] phi) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(m.toString()).append("\npi ").append(pi);
      sb.append("\nmu ");
      for (BigFraction x : mu) {
        sb.append(Rationals.format(x)).append(' ');
      }
      sb.append("\nPhi ");
      for (BigFraction[] row : phi) {
        sb.append('[');
        for (BigFraction x : row) {
          sb.append(Rationals.format(x)).append(' ');
        }
        sb.append(']');
      }
      return sb.toString();
    }

    TabularMdp<Integer, Integer> t() {
      return m.tabular();
    }

    LinearEvaluation evaluate() {
      return Realizability.evaluate(t(), LinearFeatures.fromExact(phi, "random"),
          DataWeights.of(t(), DataDistribution.exact(mu)), pi);
    }
  }

  static BigFraction[] positiveDistribution(int n, RandomGenerator rng) {
    long[] w = new long[n];
    long sum = 0;
    for (int i = 0; i < n; i++) {
      w[i] = rng.nextLong(1, 6);
      sum += w[i];
    }
    BigFraction[] mu = new BigFraction[n];
    for (int i = 0; i < n; i++) {
      mu[i] = new BigFraction(w[i], sum);
    }
    return mu;
  }

  static BigFraction[][] randomPhi(int n, int d, RandomGenerator rng) {
    BigFraction[][] phi = new BigFraction[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        phi[i][j] = new BigFraction(rng.nextInt(-3, 4), 2);
      }
    }
    return phi;
  }

  static Generator<Case> cases() {
    Generator<RandomMdp> mdps = Generators.mdps(SPEC);
    return Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      int n = m.tabular().numRows();
      TabularPolicy<Integer, Integer> pi = Generators.policies(m.tabular(), Tier.EXACT).next(rng);
      BigFraction[][] phi;
      do {
        phi = randomPhi(n, rng.nextInt(1, n + 1), rng);
      } while (rank(phi) < phi[0].length);
      return new Case(m, pi, positiveDistribution(n, rng), phi);
    });
  }

  /** Exact rank by row reduction (an independent copy for the generator). */
  static int rank(BigFraction[][] a) {
    BigFraction[][] w = new BigFraction[a.length][];
    for (int i = 0; i < a.length; i++) {
      w[i] = a[i].clone();
    }
    int rank = 0;
    for (int c = 0; c < w[0].length && rank < w.length; c++) {
      int p = rank;
      while (p < w.length && w[p][c].getNumerator().signum() == 0) {
        p++;
      }
      if (p == w.length) {
        continue;
      }
      BigFraction[] t = w[p];
      w[p] = w[rank];
      w[rank] = t;
      for (int i = rank + 1; i < w.length; i++) {
        BigFraction f = w[i][c].divide(w[rank][c]);
        for (int j = c; j < w[0].length; j++) {
          w[i][j] = w[i][j].subtract(f.multiply(w[rank][j]));
        }
      }
      rank++;
    }
    return rank;
  }

  static double[][] toDoubles(BigFraction[][] a) {
    double[][] d = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      d[i] = Rationals.toDoubles(a[i]);
    }
    return d;
  }

  static BigFraction[][] oneHot(int n) {
    BigFraction[][] e = new BigFraction[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        e[i][j] = i == j ? BigFraction.ONE : BigFraction.ZERO;
      }
    }
    return e;
  }

  @Test
  void oneHotFeaturesAreRealizableCompleteAndTdIsExact() {
    qt().withFixedSeed(801).withExamples(100).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          Case one = new Case(c.m(), c.pi(), c.mu(), oneHot(c.t().numRows()));
          LinearEvaluation e = one.evaluate();
          assertEquals(BigFraction.ZERO, e.realizabilityError2().exact().get());
          assertTrue(e.isRealizable(), "one-hot is realizable");
          assertTrue(e.isComplete(), "one-hot is complete for T^pi");
          assertTrue(Realizability.isCompleteForOptimality(c.t(),
              LinearFeatures.fromExact(one.phi(), "one-hot")), "one-hot is complete for T");
          assertTrue(e.hasFixedPoint());
          BigFraction[] theta = e.tdFixedPointExact().get();
          BigFraction[] q = e.qExact().get();
          for (int i = 0; i < q.length; i++) {
            assertEquals(q[i], theta[i], "theta_TD = Q^pi at row " + i);
          }
          assertTrue(Double.isFinite(e.kappa()), "kappa_TD finite");
        });
  }

  @Test
  void realizableButIncompleteClassHasAnExactTdFixedPoint() {
    AtomicInteger incomplete = new AtomicInteger();
    AtomicInteger checked = new AtomicInteger();
    qt().withFixedSeed(802).withExamples(150).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          LinearEvaluation base = new Case(c.m(), c.pi(), c.mu(), oneHot(c.t().numRows()))
              .evaluate();
          LinearFeatures withQ = LinearFeatures.fromExact(c.phi(), "random")
              .withColumn(base.q(), base.qExact().get());
          LinearEvaluation e;
          try {
            e = Realizability.evaluate(c.t(), withQ,
                DataWeights.of(c.t(), DataDistribution.exact(c.mu())), c.pi());
          } catch (ModelException singularSigma) {
            return; // Q^pi already in span of the random columns: Phi | Q is rank deficient
          }
          assertTrue(e.isRealizable(), "Q^pi appended is realizable");
          assertEquals(BigFraction.ZERO, e.realizabilityError2().exact().get());
          if (e.hasFixedPoint()) {
            checked.incrementAndGet();
            assertEquals(BigFraction.ZERO, e.tdError2().exact().get(),
                "realizable + invertible A => Phi theta_TD = Q^pi exactly (B3.2)");
          }
          if (!e.isComplete()) {
            incomplete.incrementAndGet();
          }
        });
    assertTrue(checked.get() >= 50, "only " + checked + " cases had an invertible A");
    assertTrue(incomplete.get() >= 20, "only " + incomplete + " realizable classes were "
        + "incomplete: the property did not exercise the interesting case");
  }

  @Test
  void errorIdentityHoldsExactlyAndTheTdErrorIsAtMostKappaTimesEpsReal() {
    qt().withFixedSeed(803).withExamples(150).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          LinearEvaluation e;
          try {
            e = c.evaluate();
          } catch (ModelException singularSigma) {
            return;
          }
          if (!e.hasFixedPoint()) {
            return;
          }
          assertEquals(BigFraction.ZERO, e.identityGap2().exact().get(), "B3.3 identity");
          Bound b = e.tdErrorBound();
          assertTrue(b.holds(e.tdError(), 1e-9 * (1 + e.tdError())), b.explain()
              + "\nactual " + e.tdError());
          Bound k = e.kappaBound();
          assertTrue(k.holds(e.kappa(), 1e-9), k.explain() + "\nkappa " + e.kappa());
          Bound s = e.shiftBound();
          assertTrue(s.holds(e.tdError(), 1e-9 * (1 + e.tdError())), s.explain());
        });
  }

  @Test
  void exactAndDoubleTiersAgree() {
    qt().withFixedSeed(804).withExamples(80).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          LinearEvaluation e;
          try {
            e = c.evaluate();
          } catch (ModelException singularSigma) {
            return;
          }
          LinearEvaluation d = Realizability.evaluate(c.t(),
              LinearFeatures.of(c.t(), Features.matrix(toDoubles(c.phi()))),
              DataWeights.of(c.t(), DataDistribution.given(Rationals.toDoubles(c.mu()))), c.pi());
          assertFalse(d.isExact());
          double eps = e.realizabilityError2().value();
          assertEquals(eps, d.realizabilityError2().value(), 1e-9 * (1 + eps));
          assertEquals(e.isRealizable(), d.isRealizable());
          if (e.hasFixedPoint() && d.hasFixedPoint()) {
            double t = e.tdError2().value();
            assertEquals(t, d.tdError2().value(), 1e-7 * (1 + t));
            assertTrue(d.identityGap2().value() <= 1e-12 * (1 + t), "double identity gap "
                + d.identityGap2().value());
          }
        });
  }

  @Test
  void onPolicyKappaIsAtMostOneOverSqrtOneMinusGammaSquared() {
    AtomicInteger checked = new AtomicInteger();
    qt().withFixedSeed(805).withExamples(150).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          LinearEvaluation e;
          try {
            e = Realizability.evaluate(c.t(), LinearFeatures.fromExact(c.phi(), "random"),
                DataWeights.of(c.t(), DataDistribution.stationary(c.pi())), c.pi());
          } catch (ModelException noUniqueStationaryOrSingularSigma) {
            return;
          }
          assertEquals(BigFraction.ONE, e.shift().exact().getOrElse(BigFraction.ZERO),
              "stationary mu: mu^T P^pi = mu^T, c = 1");
          if (Double.isFinite(e.kappa())) {
            checked.incrementAndGet();
            double g = e.gamma().value();
            assertTrue(e.kappa() <= 1 / Math.sqrt(1 - g * g) + 1e-9, "kappa " + e.kappa()
                + " > 1/sqrt(1 - gamma^2) at gamma " + g);
          }
        });
    assertTrue(checked.get() >= 30, "only " + checked + " on-policy cases with full support");
  }

  @Test
  void occupancyKappaIsAtMostOneOverSqrtOneMinusGamma() {
    AtomicInteger checked = new AtomicInteger();
    qt().withFixedSeed(806).withExamples(150).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          LinearEvaluation e;
          try {
            e = Realizability.evaluate(c.t(), LinearFeatures.fromExact(c.phi(), "random"),
                DataWeights.of(c.t(), DataDistribution.occupancy(c.pi())), c.pi());
          } catch (ModelException singularSigma) {
            return;
          }
          double g = e.gamma().value();
          if (g > 0 && e.shift().exact().isDefined()) {
            BigFraction bound = BigFraction.ONE.divide(c.t().exact().discount());
            assertTrue(e.shift().exact().get().compareTo(bound) <= 0,
                "occupancy: c = " + e.shift().value() + " > 1/gamma");
          }
          if (Double.isFinite(e.kappa())) {
            checked.incrementAndGet();
            assertTrue(e.kappa() <= 1 / Math.sqrt(1 - g) + 1e-9, "kappa " + e.kappa()
                + " > 1/sqrt(1 - gamma) at gamma " + g);
          }
        });
    assertTrue(checked.get() >= 30, "only " + checked + " occupancy cases with full support");
  }

  record Chain(BigFraction gamma, BigFraction mu1) {}

  @Test
  void twoStateCounterexampleFlipsExactlyWhereAVanishes() {
    Generator<Chain> chains = Generator.of(rng -> new Chain(new BigFraction(rng.nextInt(1, 20), 20),
        new BigFraction(rng.nextInt(1, 40), 40)));
    qt().withFixedSeed(807).withExamples(200).forAll(QuickTheoriesGen.of(chains))
        .checkAssert(ch -> {
          BigFraction one = BigFraction.ONE;
          BigFraction zero = BigFraction.ZERO;
          TabularMdp<Integer, Integer> m = LinearMdps.dense("two-state",
              new BigFraction[][][] {{{zero, one}}, {{zero, one}}},
              new BigFraction[][] {{zero}, {zero}}, ch.gamma(), new BigFraction[] {one, zero});
          BigFraction mu1 = ch.mu1();
          BigFraction mu2 = one.subtract(mu1);
          LinearEvaluation e = Realizability.evaluate(m,
              Features.parse(new String[][] {{"1"}, {"2"}}),
              DataDistribution.exact(new BigFraction[] {mu1, mu2}),
              TabularPolicy.ofExact(m, new BigFraction[] {one, one}));
          // A = mu1 (1 - 2 gamma) + 4 mu2 (1 - gamma), by hand
          BigFraction g = ch.gamma();
          BigFraction a = mu1.multiply(one.subtract(g.multiply(2)))
              .add(mu2.multiply(4).multiply(one.subtract(g)));
          int sign = Rationals.signum(a);
          assertEquals(sign != 0, e.hasFixedPoint());
          assertEquals(Rationals.toDouble(a), e.matrixA()[0][0], 1e-12);
          double rho = e.fqeSpectralRadius();
          if (sign > 0) {
            assertTrue(rho < 1, "A > 0 but FQE radius " + rho);
          } else if (sign < 0) {
            assertTrue(rho > 1, "A < 0 but FQE radius " + rho);
          } else {
            assertEquals(1.0, rho, 1e-12);
          }
          double[][] td = PopulationIterates.expectedTd0(e, 0.5, new double[] {1}, 40);
          double last = PopulationIterates.norm(td[40]);
          if (sign < 0) {
            // theta_k = (1 - alpha A)^k theta_0 grows geometrically
            assertEquals(Math.pow(1 - 0.5 * Rationals.toDouble(a), 40), last, 1e-9 * last);
            assertTrue(last > 1, "TD(0) should diverge");
          } else if (sign > 0) {
            assertTrue(last < 1, "TD(0) should contract towards theta_TD = 0");
          }
        });
  }

  @Test
  void supNormErrorLiesBetweenTheMuErrorAndTheTdErrorAndVanishesIffRealizable() {
    qt().withFixedSeed(811).withExamples(120).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          LinearEvaluation e = c.evaluate();
          BigFraction sup = Realizability.supNormError(e).exact().get();
          BigFraction eps2 = e.realizabilityError2().exact().get();
          assertTrue(sup.multiply(sup).compareTo(eps2) >= 0, "||.||_mu <= ||.||_inf when mu sums"
              + " to 1: sup " + Rationals.format(sup) + ", eps^2 " + Rationals.format(eps2));
          assertEquals(e.isRealizable(), Rationals.signum(sup) == 0, "zero iff realizable");
          BigFraction[] q = e.qExact().get();
          BigFraction qmax = BigFraction.ZERO;
          for (BigFraction x : q) {
            qmax = Rationals.max(qmax, Rationals.abs(x));
          }
          assertTrue(sup.compareTo(qmax) <= 0, "theta = 0 is feasible");
          if (e.hasFixedPoint()) {
            BigFraction[] th = e.tdFixedPointExact().get();
            BigFraction worst = BigFraction.ZERO;
            for (int i = 0; i < q.length; i++) {
              BigFraction v = q[i].negate();
              for (int j = 0; j < th.length; j++) {
                v = v.add(c.phi()[i][j].multiply(th[j]));
              }
              worst = Rationals.max(worst, Rationals.abs(v));
            }
            assertTrue(sup.compareTo(worst) <= 0, "theta_TD is feasible");
          }
          if (c.phi()[0].length == 1) {
            assertEquals(oneDimensionalChebyshev(c.phi(), q), sup, "d = 1 enumeration");
          }
        });
  }

  /**
   * min_theta max_i |phi_i theta - q_i| for one feature, by enumeration: the objective is convex
   * piecewise linear, so its minimum is at a point where two pieces +-(phi_i theta - q_i) cross.
   */
  static BigFraction oneDimensionalChebyshev(BigFraction[][] phi, BigFraction[] q) {
    java.util.List<BigFraction> candidates = new java.util.ArrayList<>();
    candidates.add(BigFraction.ZERO);
    int n = q.length;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int sign : new int[] {1, -1}) {
          // phi_i t - q_i = sign (phi_j t - q_j)
          BigFraction den = phi[i][0].subtract(phi[j][0].multiply(sign));
          if (den.getNumerator().signum() != 0) {
            candidates.add(q[i].subtract(q[j].multiply(sign)).divide(den));
          }
        }
      }
    }
    BigFraction best = null;
    for (BigFraction t : candidates) {
      BigFraction worst = BigFraction.ZERO;
      for (int i = 0; i < n; i++) {
        worst = Rationals.max(worst, Rationals.abs(phi[i][0].multiply(t).subtract(q[i])));
      }
      if (best == null || worst.compareTo(best) < 0) {
        best = worst;
      }
    }
    return best;
  }

  @Test
  void onPolicyConditioningIsAtLeastOneMinusGamma() {
    AtomicInteger checked = new AtomicInteger();
    qt().withFixedSeed(812).withExamples(150).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          LinearEvaluation e;
          try {
            e = Realizability.evaluate(c.t(), LinearFeatures.fromExact(c.phi(), "random"),
                DataWeights.of(c.t(), DataDistribution.stationary(c.pi())), c.pi());
          } catch (ModelException noUniqueStationaryOrSingularSigma) {
            return;
          }
          checked.incrementAndGet();
          double g = e.gamma().value();
          // x^T A x >= (1 - gamma) x^T Sigma x on-policy (spec B6)
          assertTrue(e.conditioning() >= 1 - g - 1e-9, "zeta " + e.conditioning() + " < 1 - gamma "
              + (1 - g));
        });
    assertTrue(checked.get() >= 30, "only " + checked + " on-policy cases");
  }

  @Test
  void conditioningIsAtLeastOneMinusGammaSqrtCAndBoundsTheDistanceToTheFixedPoint() {
    AtomicInteger lower = new AtomicInteger();
    AtomicInteger distance = new AtomicInteger();
    qt().withFixedSeed(814).withExamples(120).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          java.util.List<LinearEvaluation> evs = new java.util.ArrayList<>();
          try {
            evs.add(c.evaluate());
          } catch (ModelException singularSigma) {
            // the on-policy case below may still apply
          }
          try {
            evs.add(Realizability.evaluate(c.t(), LinearFeatures.fromExact(c.phi(), "random"),
                DataWeights.of(c.t(), DataDistribution.stationary(c.pi())), c.pi()));
          } catch (ModelException noUniqueStationaryOrSingularSigma) {
            // nothing to check
          }
          for (LinearEvaluation e : evs) {
            Bound z = e.conditioningBound();
            assertTrue(z.holds(e.conditioning(), 1e-9), z.explain());
            if (z instanceof Bound.Lower) {
              lower.incrementAndGet();
            }
            if (!e.hasFixedPoint()) {
              continue;
            }
            double[] td = e.tdFixedPoint().get();
            double[][] phi = e.phi();
            double[] mu = e.mu();
            SplittableRandom rng = new SplittableRandom(td.length * 31L + phi.length);
            for (int trial = 0; trial < 5; trial++) {
              double[] theta = td.clone();
              for (int j = 0; j < theta.length; j++) {
                theta[j] += rng.nextDouble(-1, 1);
              }
              double d2 = 0;
              for (int i = 0; i < phi.length; i++) {
                double v = 0;
                for (int j = 0; j < theta.length; j++) {
                  v += phi[i][j] * (theta[j] - td[j]);
                }
                d2 += mu[i] * v * v;
              }
              double dist = Math.sqrt(d2);
              Bound b = e.fixedPointDistanceBound(theta);
              assertTrue(b.holds(dist, 1e-9 * (1 + dist)), b.explain() + "\nactual " + dist);
              if (b instanceof Bound.Upper) {
                distance.incrementAndGet();
              }
            }
            Bound zero = e.fixedPointDistanceBound(td);
            assertTrue(zero.value() <= 1e-6, zero.explain());
          }
        });
    assertTrue(lower.get() >= 30, "only " + lower + " non-vacuous zeta bounds");
    assertTrue(distance.get() >= 100, "only " + distance + " distance bounds");
  }

  @Test
  void linearMdpRealizesQStarAndItsTdFixedPointIsExact() {
    AtomicInteger checked = new AtomicInteger();
    qt().withFixedSeed(813).withExamples(80).forAll(QuickTheoriesGen.of(InherentBellmanErrorProperties.linearMdps()))
        .checkAssert(lm -> {
          TabularMdp<Integer, Integer> m = lm.mdp();
          DataWeights mu = DataWeights.of(m, DataDistribution.exact(
              positiveDistribution(m.numRows(), new java.util.SplittableRandom(m.numRows()))));
          LinearEvaluation e;
          try {
            e = Realizability.control(m, lm.features(), mu);
          } catch (ModelException dependentFeatures) {
            return;
          }
          checked.incrementAndGet();
          assertTrue(e.isRealizable(), "Q* = Phi (w + gamma M V*) is in the span");
          assertEquals(BigFraction.ZERO, e.realizabilityError2().exact().get());
          if (e.hasFixedPoint()) {
            assertEquals(BigFraction.ZERO, e.tdError2().exact().get());
          }
        });
    assertTrue(checked.get() >= 30, "only " + checked + " linear MDPs with independent features");
  }

  @Test
  void underCompletenessEveryPopulationFqeStepIsAnExactBellmanBackup() {
    AtomicInteger checked = new AtomicInteger();
    qt().withFixedSeed(814).withExamples(80).forAll(QuickTheoriesGen.of(InherentBellmanErrorProperties.linearMdps()))
        .checkAssert(lm -> {
          TabularMdp<Integer, Integer> m = lm.mdp();
          TabularPolicy<Integer, Integer> pi = TabularPolicy.uniform(m);
          DataWeights mu = DataWeights.of(m, DataDistribution.exact(
              positiveDistribution(m.numRows(), new java.util.SplittableRandom(m.numRows()))));
          LinearEvaluation e;
          try {
            e = Realizability.evaluate(m, lm.features(), mu, pi);
          } catch (ModelException dependentFeatures) {
            return;
          }
          checked.incrementAndGet();
          double[][] phi = e.phi();
          double[] theta0 = new double[phi[0].length];
          java.util.Arrays.fill(theta0, 1.0);
          double[][] it = PopulationIterates.fqe(e, theta0, 5);
          double[] f = times(phi, theta0);
          for (int k = 1; k <= 5; k++) {
            double[] res = dev.fixpoint.theory.realizability.BellmanToValue.bellmanResidual(m, pi,
                f);
            for (int i = 0; i < f.length; i++) {
              f[i] += res[i]; // f <- T^pi f
            }
            double[] g = times(phi, it[k]);
            for (int i = 0; i < f.length; i++) {
              assertEquals(f[i], g[i], 1e-9 * (1 + Math.abs(f[i])), "step " + k + ", row " + i
                  + ": Phi theta_k = (T^pi)^k Phi theta_0 under completeness (B3.7)");
            }
          }
        });
    assertTrue(checked.get() >= 30, "only " + checked + " linear MDPs with independent features");
  }

  static double[] times(double[][] phi, double[] theta) {
    double[] out = new double[phi.length];
    for (int i = 0; i < phi.length; i++) {
      for (int j = 0; j < theta.length; j++) {
        out[i] += phi[i][j] * theta[j];
      }
    }
    return out;
  }
}
