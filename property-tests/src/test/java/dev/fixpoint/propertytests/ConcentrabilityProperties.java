package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.features.DataDistribution;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.theory.realizability.BellmanToValue;
import dev.fixpoint.theory.realizability.Concentrability;
import dev.fixpoint.theory.realizability.DataWeights;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Concentrability coefficients and the Bellman-error-to-value-error identities (spec B8.6-B8.7):
 * C^pi &lt;= C_all &lt;= C_CJ(H) + gamma^{H+1}/min mu; dmax is the maximum of d_rho^pi over all
 * deterministic policies (checked by enumeration); C^pi &gt;= 1 with equality iff mu = d_rho^pi; the
 * OPE identity holds exactly; the B5 bounds hold on random f; the approximate-VI bound holds along
 * noisy value-iteration runs.
 */
class ConcentrabilityProperties {
  static final MdpSpec SPEC = MdpSpec.exact().withStates(1, 4).withTerminals(false);

  record Case(RandomMdp m, TabularPolicy<Integer, Integer> pi, BigFraction[] mu) {
    TabularMdp<Integer, Integer> t() {
      return m.tabular();
    }

    DataWeights weights() {
      return DataWeights.of(t(), DataDistribution.exact(mu));
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(m.toString()).append("\npi ").append(pi)
          .append("\nmu ");
      for (BigFraction x : mu) {
        sb.append(Rationals.format(x)).append(' ');
      }
      return sb.toString();
    }
  }

  static Generator<Case> cases() {
    Generator<RandomMdp> mdps = Generators.mdps(SPEC);
    return Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      TabularPolicy<Integer, Integer> pi = Generators.policies(m.tabular(), Tier.EXACT).next(rng);
      return new Case(m, pi, RealizabilityProperties.positiveDistribution(
          m.tabular().numRows(), rng));
    });
  }

  /** All deterministic policies, as row choices. */
  static java.util.List<int[]> deterministic(TabularMdp<?, ?> m) {
    java.util.List<int[]> out = new java.util.ArrayList<>();
    int sn = m.numStates();
    int[] c = new int[sn];
    for (int s = 0; s < sn; s++) {
      c[s] = m.rowStart(s);
    }
    while (true) {
      out.add(c.clone());
      int s = 0;
      while (s < sn && ++c[s] == m.rowEnd(s)) {
        c[s] = m.rowStart(s);
        s++;
      }
      if (s == sn) {
        return out;
      }
    }
  }

  @Test
  void coefficientsAreOrderedAndDmaxIsTheEnumeratedMaximum() {
    qt().withFixedSeed(861).withExamples(100).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.t();
          BigFraction[] dmax = Concentrability.maxOccupancyExact(t);
          BigFraction[] best = new BigFraction[t.numRows()];
          java.util.Arrays.fill(best, BigFraction.ZERO);
          for (int[] rows : deterministic(t)) {
            BigFraction[] d = DataWeights.occupancy(t, TabularPolicy.deterministic(t, rows))
                .toExactArray().get();
            for (int j = 0; j < d.length; j++) {
              best[j] = Rationals.max(best[j], d[j]);
            }
          }
          for (int j = 0; j < dmax.length; j++) {
            assertEquals(best[j], dmax[j], "dmax at row " + j + " vs enumeration");
          }
          BigFraction[] dpi = DataWeights.occupancy(t, c.pi()).toExactArray().get();
          for (int j = 0; j < dmax.length; j++) {
            assertTrue(dpi[j].compareTo(dmax[j]) <= 0, "d^pi <= dmax at row " + j);
          }
          BigFraction cpi = Concentrability.single(t, c.pi(), c.weights()).exact().get();
          BigFraction call = Concentrability.all(t, c.weights()).exact().get();
          assertTrue(cpi.compareTo(BigFraction.ONE) >= 0, "C^pi >= 1");
          assertTrue(cpi.compareTo(call) <= 0, "C^pi <= C_all");
          int h = 30;
          Bound cj = Concentrability.perStep(t, c.weights(), h);
          double minMu = Double.POSITIVE_INFINITY;
          for (BigFraction x : c.mu()) {
            minMu = Math.min(minMu, Rationals.toDouble(x));
          }
          double slack = Math.pow(Rationals.toDouble(t.exact().discount()), h + 1) / minMu;
          assertTrue(Rationals.toDouble(call) <= cj.value() + slack + 1e-12,
              "C_all " + Rationals.toDouble(call) + " > C_CJ(H) + gamma^{H+1}/min mu = "
                  + cj.value() + " + " + slack);
          var munos = Concentrability.munos(t, c.weights(), 20);
          assertTrue(munos.get(0).value() <= munos.get(1).value() + 1e-12);
          // exact tier equals double tier
          DataWeights dmu = DataWeights.of(t, DataDistribution.given(Rationals.toDoubles(c.mu())));
          double cpiD = Concentrability.single(t, c.pi(), dmu).value();
          assertEquals(Rationals.toDouble(cpi), cpiD, 1e-9 * Rationals.toDouble(cpi));
          assertEquals(Rationals.toDouble(call), Concentrability.all(t, dmu).value(),
              1e-9 * Rationals.toDouble(call));
        });
  }

  @Test
  void singlePolicyCoefficientIsOneExactlyWhenMuIsTheOccupancy() {
    qt().withFixedSeed(862).withExamples(100).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.t();
          DataWeights occ = DataWeights.occupancy(t, c.pi());
          assertEquals(BigFraction.ONE, Concentrability.single(t, c.pi(), occ).exact().get());
          BigFraction[] d = occ.toExactArray().get();
          boolean same = java.util.Arrays.equals(d, c.mu());
          BigFraction cpi = Concentrability.single(t, c.pi(), c.weights()).exact().get();
          assertEquals(same, cpi.equals(BigFraction.ONE), "C^pi = 1 iff mu = d_rho^pi");
        });
  }

  @Test
  void opeIdentityIsExactAndTheB5BoundsHold() {
    qt().withFixedSeed(863).withExamples(100).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.t();
          RandomGenerator rng = new SplittableRandom(t.numRows() * 31L + c.mu().length);
          BigFraction[] f = new BigFraction[t.numRows()];
          double[] fd = new double[f.length];
          for (int i = 0; i < f.length; i++) {
            f[i] = new BigFraction(rng.nextInt(-20, 21), 4);
            fd[i] = Rationals.toDouble(f[i]);
          }
          BigFraction[] sides = BellmanToValue.opeIdentityExact(t, c.pi(), f);
          assertEquals(sides[0], sides[1], "OPE identity (B5.1)");
          // |V^pi(rho) - <rho_pi, f>| against its bound
          double actual = Math.abs(Rationals.toDouble(sides[0]));
          Bound ope = BellmanToValue.opeBound(t, c.pi(), fd, c.weights());
          assertTrue(ope.holds(actual, 1e-9), ope.explain() + "\nactual " + actual);
          // sup-norm evaluation bound
          double[] q = PolicyEvaluation.exact(t, c.pi()).q().toArray();
          double dist = 0;
          for (int i = 0; i < q.length; i++) {
            dist = Math.max(dist, Math.abs(fd[i] - q[i]));
          }
          Bound sup = BellmanToValue.supNormEvaluation(t, c.pi(), fd);
          assertTrue(sup.holds(dist, 1e-9), sup.explain() + "\nactual " + dist);
          // control bound
          var opt = PolicyIteration.solveExact(t);
          double[] vstar = opt.values().toArray();
          TabularPolicy<Integer, Integer> pf = BellmanToValue.greedy(t, fd);
          double[] vf = PolicyEvaluation.exact(t, pf).values().toArray();
          double gap = 0;
          for (int s = 0; s < vstar.length; s++) {
            gap += t.initial(s) * (vstar[s] - vf[s]);
          }
          Bound ctl = BellmanToValue.controlBound(t, fd, c.weights());
          assertTrue(ctl.holds(gap, 1e-9), ctl.explain() + "\nactual " + gap);
          // greedy loss (Singh and Yee)
          double[] qs = opt.q().toArray();
          double dq = 0;
          for (int i = 0; i < qs.length; i++) {
            dq = Math.max(dq, Math.abs(fd[i] - qs[i]));
          }
          double loss = 0;
          for (int s = 0; s < vstar.length; s++) {
            loss = Math.max(loss, vstar[s] - vf[s]);
          }
          Bound gl = BellmanToValue.greedyLoss(t.discount(), dq);
          assertTrue(gl.holds(loss, 1e-9), gl.explain() + "\nactual " + loss);
        });
  }

  @Test
  void approximateValueIterationBoundHoldsAlongNoisyRuns() {
    qt().withFixedSeed(864).withExamples(60).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.t();
          var opt = PolicyIteration.solveExact(t);
          double[] qs = opt.q().toArray();
          double[] vstar = opt.values().toArray();
          RandomGenerator rng = new SplittableRandom(qs.length * 7L + 3);
          double eps = rng.nextDouble(0, 1);
          double[] qk = new double[qs.length];
          double q0 = 0;
          for (int i = 0; i < qs.length; i++) {
            q0 = Math.max(q0, Math.abs(qk[i] - qs[i]));
          }
          for (int k = 1; k <= 25; k++) {
            double[] next = BellmanToValue.optimalityBackup(t, qk);
            for (int i = 0; i < next.length; i++) {
              next[i] += rng.nextDouble(-eps, eps);
            }
            qk = next;
            double[] vg = PolicyEvaluation.exact(t, BellmanToValue.greedy(t, qk)).values()
                .toArray();
            double loss = 0;
            for (int s = 0; s < vg.length; s++) {
              loss = Math.max(loss, vstar[s] - vg[s]);
            }
            Bound b = BellmanToValue.approximateValueIteration(t.discount(), k, q0, eps);
            assertTrue(b.holds(loss, 1e-9), b.explain() + "\nactual " + loss);
          }
        });
  }
}
