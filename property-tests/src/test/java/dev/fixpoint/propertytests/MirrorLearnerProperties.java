package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.StepSize;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.learn.Trials;
import dev.fixpoint.tabular.mirror.GroupPolicyGradient;
import dev.fixpoint.tabular.mirror.Mdpo;
import dev.fixpoint.tabular.mirror.MirrorIterate;
import dev.fixpoint.tabular.mirror.PolicyMirrorDescent;
import dev.fixpoint.tabular.mirror.RegularisedMirrorDescent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sample-based mirror learners reduce to their exact counterparts (spec A4, A5, A6.7, A6.8):
 * tabular on-policy MDPO with an exact critic and exact inner maximisation is KL-PMD with eta_k =
 * t_k; off-policy MDPO is Cen et al.'s regularised NPG with tau = lambda, eta = (1-gamma) t (with c
 * = lambda, soft policy iteration: the SAC limit); AsymRE's expected bandit dynamics with a fixed
 * baseline V &lt; V^mu reach the water-filling limit and beat V^mu there.
 */
class MirrorLearnerProperties {
  static final MdpSpec DOUBLES = MdpSpec.doubles().withStates(1, 6);

  record Case(RandomMdp m, TabularPolicy<Integer, Integer> start, double a, double b) {
    @Override
    public String toString() {
      return m + "\npi_0 " + start + "\nparameters " + a + ", " + b;
    }
  }

  static Generator<Case> cases(List<Double> as, List<Double> bs) {
    Generator<RandomMdp> mdps = Generators.mdps(DOUBLES);
    return Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      return new Case(m, Generators.stochasticPolicies(m.tabular(), Tier.DOUBLE).next(rng),
          as.get(rng.nextInt(as.size())), bs.get(rng.nextInt(bs.size())));
    });
  }

  static void samePolicies(List<? extends MirrorIterate<?, ?>> expected,
      List<? extends MirrorIterate<?, ?>> actual) {
    for (int k = 0; k < actual.size(); k++) {
      int i = Math.min(k, expected.size() - 1); // a PMD run stops when the policy stops moving
      assertArrayEquals(expected.get(i).policy().toArray(), actual.get(k).policy().toArray(),
          1e-9, "iterate " + k);
    }
  }

  // Seen failing with the on-policy closed form pi_k exp(A / t_k) instead of pi_k exp(t_k A).
  @Test
  void onPolicyMdpoWithExactCriticIsKlMirrorDescent() {
    qt().withFixedSeed(731).withExamples(150)
        .forAll(QuickTheoriesGen.of(cases(List.of(0.1, 0.5, 3.0), List.of(0.0))))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          var mdpo = Mdpo.onPolicy(c.a(), 5, Mdpo.Critic.exact(), Mdpo.Inner.exact())
              .run(t, c.start(), Trials.generator(1, 0));
          var pmd = PolicyMirrorDescent.of(MirrorMap.kl(),
              StepSize.constant(Rationals.fromDouble(c.a()))).run(t, c.start(), 5);
          samePolicies(pmd.iterates(), mdpo.iterates());
        });
  }

  // Seen failing without the linearised entropy term -lambda log pi_k in the off-policy target.
  @Test
  void offPolicyMdpoWithExactCriticIsCenNpgAndSacAtCEqualsLambda() {
    qt().withFixedSeed(732).withExamples(150)
        .forAll(QuickTheoriesGen.of(cases(List.of(0.1, 0.5, 2.0), List.of(0.2, 0.5, 1.0))))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          double lambda = c.a();
          double step = c.b() / lambda; // lambda t <= 1; c.b() = 1 is c = lambda (SAC)
          var mdpo = Mdpo.offPolicy(lambda, step, 5, Mdpo.Critic.exact(), Mdpo.Inner.exact())
              .run(t, c.start(), Trials.generator(1, 0));
          var cen = RegularisedMirrorDescent.cen(lambda, (1 - t.discount()) * step)
              .run(t, c.start(), 5);
          samePolicies(cen.iterates(), mdpo.iterates());
          if (c.b() == 1.0) {
            var spi = RegularisedMirrorDescent.softPolicyIteration(lambda, t.discount())
                .run(t, c.start(), 5);
            samePolicies(spi.iterates(), mdpo.iterates());
          }
        });
  }

  record Bandit(double[] mu, double[] r, double v) {
    @Override
    public String toString() {
      return "mu " + Arrays.toString(mu) + ", r " + Arrays.toString(r) + ", V " + v;
    }
  }

  // Seen failing with the limit a_+ / sum a_+ (no water level c).
  @Test
  void asymreExpectedDynamicsReachTheWaterFillingLimit() {
    Generator<Bandit> gen = Generator.of(rng -> {
      int n = 2 + rng.nextInt(4);
      double[] mu = new double[n];
      double[] r = new double[n];
      double sum = 0;
      double vmu = 0;
      for (int y = 0; y < n; y++) {
        mu[y] = 0.1 + rng.nextDouble();
        sum += mu[y];
        r[y] = rng.nextDouble();
      }
      for (int y = 0; y < n; y++) {
        mu[y] /= sum;
        vmu += mu[y] * r[y];
      }
      return new Bandit(mu, r, vmu - 0.05 - 0.5 * rng.nextDouble());
    });
    qt().withFixedSeed(733).withExamples(100).forAll(QuickTheoriesGen.of(gen)).checkAssert(b -> {
      int n = b.mu().length;
      var g = new GroupPolicyGradient(GroupPolicyGradient.Baseline.fixed(b.v()), 1, 0.5, 1, 0);
      double[] l = new double[n];
      for (int t = 0; t < 40_000; t++) {
        l = g.expectedStep(b.r(), l, b.mu());
      }
      double[] limit = GroupPolicyGradient.waterFilling(b.mu(), b.r(), b.v());
      assertArrayEquals(limit, GroupPolicyGradient.softmax(l), 2e-3);
      double vmu = 0;
      double vinf = 0;
      for (int y = 0; y < n; y++) {
        vmu += b.mu()[y] * b.r()[y];
        vinf += limit[y] * b.r()[y];
      }
      assertTrue(vinf >= vmu - 1e-12, "E_{pi_inf} r = " + vinf + " < V^mu = " + vmu);
    });
  }
}
