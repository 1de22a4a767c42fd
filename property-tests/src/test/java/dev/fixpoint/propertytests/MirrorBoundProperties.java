package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.StepSize;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.mirror.EntropyRegularised;
import dev.fixpoint.tabular.mirror.MirrorIterate;
import dev.fixpoint.tabular.mirror.MirrorRun;
import dev.fixpoint.tabular.mirror.NaturalPolicyGradient;
import dev.fixpoint.tabular.mirror.PolicyMirrorDescent;
import dev.fixpoint.tabular.mirror.RegularisedMirrorDescent;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.theory.mirror.ExactMirrorBounds;
import dev.fixpoint.theory.mirror.MirrorBounds;
import dev.fixpoint.theory.mirror.Optimum;
import dev.fixpoint.theory.mirror.RegularisedBounds;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import dev.fixpoint.dsl.Rationals;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Every rate of spec A2 and A3 ({@link MirrorBounds}) holds at every iterate of its algorithm on
 * random models (spec A6.2, A6.6): random start distributions rho with full support, random,
 * uniform and skewed (0.9 on one action) starts, steps from 1/100 to 10 (1/50 and 1/10 included, the
 * instances on which a geometric bound without its (1-gamma) fails).
 */
class MirrorBoundProperties {
  static final MdpSpec DOUBLES = MdpSpec.doubles().withStates(1, 6);
  static final List<MirrorMap> MAPS = List.of(MirrorMap.kl(), MirrorMap.euclidean(),
      MirrorMap.tsallis(0.5), MirrorMap.tsallis(2));
  static final List<String> ETAS = List.of("1/100", "1/50", "1/10", "1", "10");
  static final int UPDATES = 15;

  record Case(RandomMdp m, double[] rho, TabularPolicy<Integer, Integer> start, MirrorMap map,
      StepSize step, double eta) {
    @Override
    public String toString() {
      return m + "\nrho " + java.util.Arrays.toString(rho) + "\npi_0 " + start + "\n" + map
          + ", " + step + ", eta " + eta;
    }
  }

  static double[] distribution(RandomGenerator rng, int n) {
    double[] x = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      x[i] = 0.05 + rng.nextDouble();
      sum += x[i];
    }
    for (int i = 0; i < n; i++) {
      x[i] /= sum;
    }
    return x;
  }

  static TabularPolicy<Integer, Integer> start(RandomGenerator rng,
      TabularMdp<Integer, Integer> t) {
    return switch (rng.nextInt(3)) {
      case 0 -> TabularPolicy.uniform(t);
      case 1 -> Generators.stochasticPolicies(t, Tier.DOUBLE).next(rng);
      default -> {
        // skewed: 0.9 on one action, the rest spread evenly (spec A6.2)
        double[] p = new double[t.numRows()];
        for (int s = 0; s < t.numStates(); s++) {
          int n = t.rowEnd(s) - t.rowStart(s);
          if (n == 0) {
            continue;
          }
          int heavy = t.rowStart(s) + rng.nextInt(n);
          for (int r = t.rowStart(s); r < t.rowEnd(s); r++) {
            p[r] = n == 1 ? 1 : r == heavy ? 0.9 : 0.1 / (n - 1);
          }
        }
        yield TabularPolicy.of(t, p);
      }
    };
  }

  static Generator<Case> cases() {
    Generator<RandomMdp> mdps = Generators.mdps(DOUBLES);
    return Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      TabularMdp<Integer, Integer> t = m.tabular();
      String eta = ETAS.get(rng.nextInt(ETAS.size()));
      StepSize step = switch (rng.nextInt(4)) {
        case 0 -> StepSize.constant(eta);
        case 1 -> StepSize.geometric(eta);
        case 2 -> StepSize.adaptive(eta);
        default -> StepSize.infinite();
      };
      return new Case(m, distribution(rng, t.numStates()), start(rng, t),
          MAPS.get(rng.nextInt(MAPS.size())), step,
          Double.parseDouble(eta.contains("/") ? "" + 1.0 / Integer.parseInt(eta.substring(2))
              : eta));
    });
  }

  static double tolerance(Optimum<?, ?> o) {
    return 1e-9 * Math.max(1, MirrorProperties.maxAbs(o.vStar()));
  }

  static double actual(Optimum<Integer, Integer> o, Bound b, double[] v) {
    double[] vs = o.vStar();
    if (b.quantity().startsWith("||")) {
      double g = 0;
      for (int s = 0; s < v.length; s++) {
        g = Math.max(g, vs[s] - v[s]);
      }
      return g;
    }
    double[] rho = o.rho();
    double g = 0;
    for (int s = 0; s < v.length; s++) {
      g += rho[s] * (vs[s] - v[s]);
    }
    return g;
  }

  static void check(Bound b, double actual, double tol, int k, Object what) {
    assertTrue(b.holds(actual, tol), "iterate " + k + " of " + what + ": actual " + actual
        + " breaks\n" + b.explain());
  }

  @Test
  void everyPmdRateHoldsAtEveryIterate() {
    qt().withFixedSeed(721).withExamples(300).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          Optimum<Integer, Integer> o = Optimum.of(t, c.rho());
          PolicyMirrorDescent pmd = PolicyMirrorDescent.of(c.map(), c.step());
          MirrorRun<Integer, Integer> run = pmd.run(t, c.start(), UPDATES);
          for (MirrorIterate<Integer, Integer> it : run.iterates()) {
            Bound b = MirrorBounds.forRun(o, pmd, c.start(), it.index());
            check(b, actual(o, b, it.values().toArray()), tolerance(o), it.index(), pmd);
          }
        });
  }

  @Test
  void npgRateHoldsAtEveryIterate() {
    qt().withFixedSeed(722).withExamples(200).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          Optimum<Integer, Integer> o = Optimum.of(t, c.rho());
          var run = NaturalPolicyGradient.of(c.eta()).run(t, c.start(), UPDATES);
          for (MirrorIterate<Integer, Integer> it : run.iterates()) {
            Bound b = MirrorBounds.npg(o, c.eta(), c.start(), it.index());
            check(b, actual(o, b, it.values().toArray()), tolerance(o), it.index(), "NPG");
          }
        });
  }

  @Test
  void regularisedRatesAndTheEntropyBiasHold() {
    List<Double> taus = List.of(0.05, 0.3, 1.0, 4.0);
    qt().withFixedSeed(723).withExamples(200).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          double tau = taus.get((int) Math.floorMod(Double.doubleToLongBits(c.eta())
              + c.rho().length, taus.size()));
          double gamma = t.discount();
          Optimum<Integer, Integer> o = Optimum.of(t, c.rho());
          var opt = EntropyRegularised.softOptimal(t, tau);
          double tol = 1e-9 * Math.max(1, MirrorProperties.maxAbs(opt.q().toArray()))
              + 8 * opt.errorBound() / (1 - gamma + 1e-300);
          // entropy bias: 0 <= V* - V^{pi_tau*} <= tau log|A|/(1-gamma)
          double[] vTau = PolicyEvaluation.direct(t, opt.policy()).values().toArray();
          Bound bias = RegularisedBounds.entropyBias(o, tau);
          double worst = 0;
          for (int s = 0; s < vTau.length; s++) {
            worst = Math.max(worst, o.vStar()[s] - vTau[s]);
            assertTrue(o.vStar()[s] - vTau[s] >= -tolerance(o), "V* < V^{pi_tau*} at " + s);
          }
          check(bias, worst, tol, 0, "entropy bias");
          // Cen et al.: eta a fraction of (1-gamma)/tau
          double frac = List.of(0.1, 0.5, 1.0).get(c.rho().length % 3);
          RegularisedMirrorDescent cen = RegularisedMirrorDescent.cen(tau,
              frac * (1 - gamma) / tau);
          var run = cen.run(t, c.start(), 10);
          double[] qs = opt.q().toArray();
          double[] vs = opt.values().toArray();
          double[] ps = opt.policy().toArray();
          for (MirrorIterate<Integer, Integer> it : run.iterates()) {
            double[] q = it.q().toArray();
            double[] v = it.values().toArray();
            double[] p = it.policy().toArray();
            double dq = 0;
            double dl = 0;
            double dv = 0;
            for (int r = 0; r < q.length; r++) {
              dq = Math.max(dq, Math.abs(qs[r] - q[r]));
              dl = Math.max(dl, Math.abs(Math.log(ps[r]) - Math.log(p[r])));
            }
            for (int s = 0; s < v.length; s++) {
              dv = Math.max(dv, Math.abs(vs[s] - v[s]));
            }
            int k = it.index();
            check(RegularisedBounds.cenQ(opt, cen, c.start(), k), dq, tol, k, cen);
            check(RegularisedBounds.cenLogPolicy(opt, cen, c.start(), k), dl, tol / tau, k, cen);
            check(RegularisedBounds.cenV(opt, cen, c.start(), k), dv, tol, k, cen);
          }
          // Lan with 1 + eta tau = 1/gamma
          if (gamma > 0) {
            RegularisedMirrorDescent lan = RegularisedMirrorDescent.lanLinear(tau, gamma);
            double[] nu = RegularisedBounds.stationary(t, opt.policy());
            var lrun = lan.run(t, c.start(), 10);
            for (MirrorIterate<Integer, Integer> it : lrun.iterates()) {
              double phi = RegularisedBounds.lanPotential(opt, nu, it.policy());
              check(RegularisedBounds.lan(opt, lan, nu, c.start(), it.index()), phi, tol,
                  it.index(), lan);
            }
          }
        });
  }

  record ExactCase(RandomMdp m, BigFraction[] rho, TabularPolicy<Integer, Integer> start,
      StepSize step) {
    @Override
    public String toString() {
      return m + "\nrho " + java.util.Arrays.toString(rho) + "\npi_0 " + start + "\n" + step;
    }
  }

  // Exact Euclidean PMD against the exact rates, with no tolerance at all.
  @Test
  void exactEuclideanRatesHoldExactly() {
    Generator<RandomMdp> mdps = Generators.mdps(MdpSpec.exact().withStates(1, 4));
    Generator<ExactCase> gen = Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      TabularMdp<Integer, Integer> t = m.tabular();
      BigFraction[] rho = new BigFraction[t.numStates()];
      long total = 0;
      long[] w = new long[rho.length];
      for (int s = 0; s < w.length; s++) {
        w[s] = 1 + rng.nextInt(9);
        total += w[s];
      }
      for (int s = 0; s < w.length; s++) {
        rho[s] = new BigFraction(w[s], total);
      }
      String eta = ETAS.get(rng.nextInt(ETAS.size()));
      StepSize step = switch (rng.nextInt(4)) {
        case 0 -> StepSize.constant(eta);
        case 1 -> StepSize.geometric(eta);
        case 2 -> StepSize.adaptive(eta);
        default -> StepSize.infinite();
      };
      return new ExactCase(m, rho, Generators.policies(t, Tier.EXACT).next(rng), step);
    });
    qt().withFixedSeed(724).withExamples(150).forAll(QuickTheoriesGen.of(gen)).checkAssert(c -> {
      TabularMdp<Integer, Integer> t = c.m().tabular();
      var ref = ExactMirrorBounds.Reference.of(t, c.rho());
      PolicyMirrorDescent pmd = PolicyMirrorDescent.of(MirrorMap.euclidean(), c.step());
      var run = pmd.runExact(t, c.start(), 4);
      BigFraction[] vs = ref.vStar();
      for (MirrorIterate<Integer, Integer> it : run.iterates()) {
        Bound b = ExactMirrorBounds.forRun(ref, pmd, c.start(), it.index());
        if (b instanceof Bound.Vacuous) {
          continue;
        }
        BigFraction[] v = it.values().toExactArray();
        BigFraction actual = BigFraction.ZERO;
        for (int s = 0; s < v.length; s++) {
          BigFraction d = vs[s].subtract(v[s]);
          actual = b.quantity().startsWith("||") ? Rationals.max(actual, d)
              : actual.add(c.rho()[s].multiply(d));
        }
        BigFraction bound = b.exact().get();
        assertTrue(actual.compareTo(bound) <= 0, "iterate " + it.index() + ": exact gap "
            + Rationals.format(actual) + " > " + Rationals.format(bound) + "\n" + b.explain());
      }
    });
  }
}
