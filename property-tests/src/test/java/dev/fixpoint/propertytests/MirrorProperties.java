package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.StepSize;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.internal.Bellman;
import dev.fixpoint.tabular.mirror.MirrorIterate;
import dev.fixpoint.tabular.mirror.MirrorRun;
import dev.fixpoint.tabular.mirror.MirrorUpdates;
import dev.fixpoint.tabular.mirror.NaturalPolicyGradient;
import dev.fixpoint.tabular.mirror.PolicyMirrorDescent;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Policy mirror descent on random models (spec A6): every iterate improves on the last in every
 * state, V^{pi_{k+1}} &gt;= V^{pi_k} (three-point lemma with p = pi_k plus the performance-difference
 * lemma; Xiao 2022, Lan 2022), for every mirror map and step schedule; exact Euclidean PMD agrees
 * with the double run; and at a large enough step one Euclidean update is one policy-iteration
 * improvement step (Howard 1960; Puterman 1994, sec. 6.4). NPG on softmax logits is KL-PMD with
 * the step eta/(1 - gamma) (Agarwal et al. 2021; spec A6.4).
 */
class MirrorProperties {
  static final MdpSpec SPEC = MdpSpec.exact().withStates(1, 4);
  static final MdpSpec DOUBLES = MdpSpec.doubles().withStates(1, 6);
  static final List<MirrorMap> MAPS = List.of(MirrorMap.kl(), MirrorMap.euclidean(),
      MirrorMap.tsallis(0.5), MirrorMap.tsallis(2));
  static final List<String> ETAS = List.of("1/100", "1/10", "1", "10");

  record Case(RandomMdp m, TabularPolicy<Integer, Integer> start, PolicyMirrorDescent pmd) {
    @Override
    public String toString() {
      return m + "\npi_0 " + start + "\n" + pmd;
    }
  }

  static StepSize step(RandomGenerator rng) {
    String eta = ETAS.get(rng.nextInt(ETAS.size()));
    return switch (rng.nextInt(4)) {
      case 0 -> StepSize.constant(eta);
      case 1 -> StepSize.geometric(eta);
      case 2 -> StepSize.adaptive(eta);
      default -> StepSize.infinite();
    };
  }

  static Generator<Case> cases(boolean euclideanExact) {
    Generator<RandomMdp> mdps = Generators.mdps(SPEC);
    Generator<RandomMdp> doubles = Generators.mdps(DOUBLES);
    return Generator.of(rng -> {
      RandomMdp m = euclideanExact || rng.nextBoolean() ? mdps.next(rng) : doubles.next(rng);
      MirrorMap map = euclideanExact ? MirrorMap.euclidean() : MAPS.get(rng.nextInt(MAPS.size()));
      TabularPolicy<Integer, Integer> start = euclideanExact
          ? Generators.policies(m.tabular(), Tier.EXACT).next(rng)
          : Generators.stochasticPolicies(m.tabular(), Tier.DOUBLE).next(rng);
      return new Case(m, start, PolicyMirrorDescent.of(map, step(rng)));
    });
  }

  @Test
  void everyMirrorMapAndStepImprovesEveryState() {
    qt().withFixedSeed(701).withExamples(200).forAll(QuickTheoriesGen.of(cases(false)))
        .checkAssert(c -> {
          MirrorRun<Integer, Integer> run = c.pmd().run(c.m().tabular(), c.start(), 6);
          List<MirrorIterate<Integer, Integer>> it = run.iterates();
          for (int k = 0; k + 1 < it.size(); k++) {
            double[] v = it.get(k).values().toArray();
            double[] w = it.get(k + 1).values().toArray();
            for (int s = 0; s < v.length; s++) {
              double tol = 1e-9 * Math.max(1, Math.abs(v[s]));
              assertTrue(w[s] >= v[s] - tol, "V^{pi_" + (k + 1) + "}(" + s + ") = " + w[s]
                  + " < V^{pi_" + k + "}(" + s + ") = " + v[s]);
            }
          }
        });
  }

  @Test
  void exactEuclideanImprovesExactlyAndMatchesTheDoubleRun() {
    qt().withFixedSeed(702).withExamples(80).forAll(QuickTheoriesGen.of(cases(true)))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          MirrorRun<Integer, Integer> exact = c.pmd().runExact(t, c.start(), 4);
          MirrorRun<Integer, Integer> dbl = c.pmd().run(t, c.start(), 4);
          List<MirrorIterate<Integer, Integer>> it = exact.iterates();
          for (int k = 0; k + 1 < it.size(); k++) {
            BigFraction[] v = it.get(k).values().toExactArray();
            BigFraction[] w = it.get(k + 1).values().toExactArray();
            for (int s = 0; s < v.length; s++) {
              assertTrue(w[s].compareTo(v[s]) >= 0, "exact V^{pi_" + (k + 1) + "}(" + s + ") = "
                  + Rationals.format(w[s]) + " < " + Rationals.format(v[s]));
            }
          }
          // a run may stop earlier in doubles or exactly (ties): compare the common prefix
          int n = Math.min(it.size(), dbl.iterates().size());
          for (int k = 0; k < n; k++) {
            assertArrayEquals(Rationals.toDoubles(it.get(k).values().toExactArray()),
                dbl.iterates().get(k).values().toArray(), 1e-12 * Math.max(1,
                    maxAbs(dbl.iterates().get(k).values().toArray())), "iterate " + k);
          }
        });
  }

  record DetCase(RandomMdp m, TabularPolicy<Integer, Integer> pi) {
    @Override
    public String toString() {
      return m + "\npi " + pi;
    }
  }

  @Test
  void largeEuclideanStepIsOnePolicyIterationStep() {
    Generator<RandomMdp> mdps = Generators.mdps(SPEC);
    Generator<DetCase> gen = Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      return new DetCase(m, Generators.deterministicPolicies(m.tabular()).next(rng));
    });
    qt().withFixedSeed(703).withExamples(200).forAll(QuickTheoriesGen.of(gen)).checkAssert(c -> {
      TabularMdp<Integer, Integer> t = c.m().tabular();
      BigFraction[] p = c.pi().toExactArray();
      BigFraction[] q = PolicyEvaluation.exact(t, c.pi()).q().toExactArray();
      // gap = smallest distance from max_a Q(s, a) to a non-maximising Q(s, b), over all states;
      // with a deterministic pi every non-greedy action leaves the projection once eta gap >= 2
      @Nullable BigFraction gap = null;
      for (int s = 0; s < t.numStates(); s++) {
        @Nullable BigFraction mx = null;
        for (int r = t.rowStart(s); r < t.rowEnd(s); r++) {
          mx = mx == null ? q[r] : Rationals.max(mx, q[r]);
        }
        for (int r = t.rowStart(s); r < t.rowEnd(s); r++) {
          BigFraction d = mx.subtract(q[r]);
          if (Rationals.signum(d) > 0 && (gap == null || d.compareTo(gap) < 0)) {
            gap = d;
          }
        }
      }
      BigFraction eta = gap == null ? BigFraction.ONE : new BigFraction(2).divide(gap)
          .add(BigFraction.ONE);
      BigFraction[] step = MirrorUpdates.updateEuclideanExact(t, Optional.of(eta), p, q);
      BigFraction[] limit = MirrorUpdates.updateEuclideanExact(t, Optional.empty(), p, q);
      assertArrayEquals(limit, step, "eta = " + Rationals.format(eta));
      // policy iteration's improvement: the first greedy row where it is strictly better
      int[] greedy = Bellman.greedyRowsExact(t, q);
      for (int s = 0; s < t.numStates(); s++) {
        if (t.isTerminal(s)) {
          continue;
        }
        int current = -1;
        int ties = 0;
        boolean currentGreedy = false;
        for (int r = t.rowStart(s); r < t.rowEnd(s); r++) {
          current = p[r].equals(BigFraction.ONE) ? r : current;
        }
        for (int r = t.rowStart(s); r < t.rowEnd(s); r++) {
          if (q[r].equals(q[greedy[s]])) {
            ties++;
            currentGreedy |= r == current;
          }
        }
        int pi = q[greedy[s]].compareTo(q[current]) > 0 ? greedy[s] : current;
        for (int r = t.rowStart(s); r < t.rowEnd(s); r++) {
          BigFraction expected;
          if (ties == 1 || currentGreedy) {
            expected = r == pi ? BigFraction.ONE : BigFraction.ZERO;
          } else {
            // tied greedy actions, none of them pi's: the projection of 0 is uniform on the ties
            expected = q[r].equals(q[greedy[s]]) ? new BigFraction(1, ties) : BigFraction.ZERO;
          }
          assertEquals(expected, step[r], "state " + s + ", row " + r + ", eta "
              + Rationals.format(eta));
        }
      }
    });
  }

  record NpgCase(RandomMdp m, TabularPolicy<Integer, Integer> start, double eta) {
    @Override
    public String toString() {
      return m + "\npi_0 " + start + "\neta " + eta;
    }
  }

  // Seen failing with the NPG logit step eta instead of eta/(1 - gamma).
  @Test
  void npgOnLogitsIsKlMirrorDescentWithStepEtaOverOneMinusGamma() {
    Generator<RandomMdp> mdps = Generators.mdps(DOUBLES);
    Generator<NpgCase> gen = Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      double eta = Rationals.toDouble(Rationals.parse(ETAS.get(rng.nextInt(ETAS.size()))));
      return new NpgCase(m, Generators.stochasticPolicies(m.tabular(), Tier.DOUBLE).next(rng),
          eta);
    });
    qt().withFixedSeed(704).withExamples(150).forAll(QuickTheoriesGen.of(gen)).checkAssert(c -> {
      TabularMdp<Integer, Integer> t = c.m().tabular();
      var npg = NaturalPolicyGradient.of(c.eta()).run(t, c.start(), 6);
      BigFraction step = Rationals.fromDouble(c.eta())
          .divide(BigFraction.ONE.subtract(Rationals.fromDouble(t.discount())));
      var pmd = PolicyMirrorDescent.of(MirrorMap.kl(), StepSize.constant(step))
          .run(t, c.start(), 6);
      int n = Math.min(npg.iterates().size(), pmd.iterates().size());
      for (int k = 0; k < n; k++) {
        assertArrayEquals(pmd.iterates().get(k).policy().toArray(),
            npg.iterates().get(k).policy().toArray(), 1e-9, "iterate " + k);
      }
      // a PMD run stops early only when an update left the policy unchanged: NPG stays there too
      for (int k = n; k < npg.iterates().size(); k++) {
        assertArrayEquals(pmd.last().policy().toArray(), npg.iterates().get(k).policy().toArray(),
            1e-9, "iterate " + k + " after PMD stopped");
      }
    });
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
