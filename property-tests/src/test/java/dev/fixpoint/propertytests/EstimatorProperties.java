package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ope.Dataset;
import dev.fixpoint.dsl.ope.Estimator;
import dev.fixpoint.dsl.ope.Estimators;
import dev.fixpoint.dsl.ope.TimeIndexedQ;
import dev.fixpoint.tabular.ope.OpeDouble;
import dev.fixpoint.tabular.ope.OpeExact;
import dev.fixpoint.tabular.ope.OpeExact.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Off-policy estimators on random exact models (spec estimators.md section 6): exact
 * unbiasedness of IS, PDIS, DR and MIS with exact ratios (Precup, Sutton, Singh 2000; Jiang and
 * Li 2016; Xie, Ma, Wang 2019), WIS with one trajectory estimating J(mu), the DR variance
 * recursion, the on-policy variance gap of DR, the per-step Rao-Blackwell inequality of MIS,
 * clipping, and the agreement of the double interpreter, the backward recursion and the
 * enumeration. Models: 1..3 states, up to 2 actions and 2 successors, rewards that may depend on
 * the next state, gamma in {0, 1/10, ..., 9/10} or 1, horizon 1..3; mu positive on every action.
 */
class EstimatorProperties {
  static final MdpSpec SPEC = MdpSpec.exact().withStates(1, 3).withMaxActions(2)
      .withMaxBranching(2).withUndiscounted(true);

  record Case(RandomMdp m, TabularPolicy<Integer, Integer> pi, TabularPolicy<Integer, Integer> mu,
      int horizon, TimeIndexedQ q) {
    OpeExact<Integer, Integer> exact() {
      return OpeExact.of(pi, mu, horizon);
    }

    @Override
    public String toString() {
      return m + "\npi " + pi + "\nmu " + mu + "\nH = " + horizon;
    }
  }

  /** An exact policy with integer weights in [lo, 4] per action (some positive) normalised. */
  static TabularPolicy<Integer, Integer> policy(TabularMdp<Integer, Integer> m, int lo,
      RandomGenerator rng) {
    BigFraction[] p = new BigFraction[m.numRows()];
    for (int s = 0; s < m.numStates(); s++) {
      int from = m.rowStart(s);
      int to = m.rowEnd(s);
      if (from == to) {
        continue;
      }
      int[] w = new int[to - from];
      int sum = 0;
      for (int i = 0; i < w.length; i++) {
        w[i] = rng.nextInt(lo, 5);
        sum += w[i];
      }
      if (sum == 0) {
        w[rng.nextInt(w.length)] = 1;
        sum = 1;
      }
      for (int i = 0; i < w.length; i++) {
        p[from + i] = new BigFraction(w[i], sum);
      }
    }
    return TabularPolicy.ofExact(m, p);
  }

  /** w_{0:t} of a trajectory. */
  static BigFraction weight(Case c, Path p, int t) {
    BigFraction w = BigFraction.ONE;
    for (int u = 0; u <= t; u++) {
      w = w.multiply(new BigFraction(1).multiply(c.pi().toExactArray()[p.rows()[u]])
          .divide(c.mu().toExactArray()[p.rows()[u]]));
    }
    return w;
  }

  static TimeIndexedQ randomQ(TabularMdp<?, ?> m, int horizon, RandomGenerator rng) {
    BigFraction[][] q = new BigFraction[horizon][m.numRows()];
    for (int t = 0; t < horizon; t++) {
      for (int r = 0; r < m.numRows(); r++) {
        q[t][r] = new BigFraction(rng.nextInt(-8, 9), 2);
      }
    }
    return TimeIndexedQ.ofExact(q);
  }

  static Generator<Case> cases(int maxHorizon, boolean onPolicy) {
    Generator<RandomMdp> mdps = Generators.mdps(SPEC);
    return Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      TabularMdp<Integer, Integer> t = m.tabular();
      TabularPolicy<Integer, Integer> mu = policy(t, 1, rng);
      TabularPolicy<Integer, Integer> pi = onPolicy ? mu : policy(t, 0, rng);
      int h = rng.nextInt(1, maxHorizon + 1);
      return new Case(m, pi, mu, h, randomQ(t, h, rng));
    });
  }

  static void check(int seed, int examples, int maxHorizon, boolean onPolicy,
      java.util.function.Consumer<Case> property) {
    qt().withFixedSeed(seed).withExamples(examples)
        .forAll(QuickTheoriesGen.of(cases(maxHorizon, onPolicy))).checkAssert(property);
  }

  @Test
  void isPdisDrAndExactMisAreExactlyUnbiased() {
    check(901, 60, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      for (Estimator e : List.of(Estimators.is(), Estimators.pdis(), Estimators.dr(c.q()),
          Estimators.mis(x.ratios()))) {
        assertEquals(BigFraction.ZERO, x.moments(e).bias(), e.name());
      }
    });
  }

  @Test
  void backwardRecursionAndLayeredDpEqualEnumeration() {
    check(902, 40, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      for (Estimator e : List.of(Estimators.onPolicy(), Estimators.is(), Estimators.pdis(),
          Estimators.dm(c.q()), Estimators.dr(c.q()), Estimators.mis(x.ratios()))) {
        var rec = x.moments(e);
        var en = x.momentsByEnumeration(e, 1);
        assertEquals(en.mean(), rec.mean(), e.name());
        assertEquals(en.variance(), rec.variance(), e.name());
        BigFraction[] dp = x.layered(e);
        assertEquals(en.mean(), dp[0], e.name() + " layered");
        assertEquals(en.variance(), dp[1].subtract(dp[0].multiply(dp[0])), e.name() + " layered");
      }
      for (Estimator e : List.of(Estimators.clipped(1.5, Estimators.is()),
          Estimators.clipped(0.75, Estimators.pdis()))) {
        var en = x.momentsByEnumeration(e, 1);
        var dp = x.moments(e);
        assertEquals(en.mean(), dp.mean(), e.name());
        assertEquals(en.variance(), dp.variance(), e.name());
      }
    });
  }

  @Test
  void drVarianceRecursionEqualsTheExactVariance() {
    check(903, 60, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      for (TimeIndexedQ q : List.of(c.q(), x.qPi())) {
        assertEquals(x.momentsByEnumeration(Estimators.dr(q), 1).variance(), x.drVariance(q));
      }
    });
  }

  @Test
  void wisOfOneTrajectoryEstimatesTheBehaviourValue() {
    // pi > 0 wherever mu > 0 is not guaranteed (pi may put 0 on an action): in general
    // E[WIS_1] = E_mu[G 1{w > 0}] (spec property 2)
    check(904, 60, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      BigFraction expected = BigFraction.ZERO;
      for (Path p : x.paths()) {
        if (Rationals.signum(weight(c, p, p.length() - 1)) > 0) {
          expected = expected.add(p.probability().multiply(
              x.value(Estimators.onPolicy(), List.of(p))));
        }
      }
      assertEquals(expected, x.moments(Estimators.wis()).mean());
      boolean piPositive = true;
      for (int r = 0; r < c.m().tabular().numRows(); r++) {
        piPositive &= c.pi().probAt(r) > 0;
      }
      if (piPositive) {
        assertEquals(x.behaviourValue(), x.moments(Estimators.wis()).mean());
      }
    });
  }

  @Test
  void wdrWithTrueQIsUnbiasedForTwoTrajectories() {
    check(905, 25, 2, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      assertEquals(BigFraction.ZERO, x.moments(Estimators.wdr(x.qPi()), 2).bias());
    });
  }

  @Test
  void zeroModelGivesPdisAndWpdisPathwise() {
    check(906, 60, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      TimeIndexedQ zero = TimeIndexedQ.zero(c.m().tabular().numRows(), c.horizon());
      RandomGenerator rng = new java.util.SplittableRandom(c.horizon());
      List<Path> ps = x.paths();
      for (int trial = 0; trial < 5; trial++) {
        List<Path> data = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          data.add(ps.get(rng.nextInt(ps.size())));
        }
        assertEquals(x.value(Estimators.pdis(), data), x.value(Estimators.dr(zero), data));
        assertEquals(x.value(Estimators.wpdis(), data), x.value(Estimators.wdr(zero), data));
        assertEquals(x.value(Estimators.is(), data),
            x.value(Estimators.clipped(Double.POSITIVE_INFINITY, Estimators.is()), data));
      }
    });
  }

  @Test
  void doubleInterpreterEqualsExactOnTheSameData() {
    check(907, 60, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      TabularMdp<Integer, Integer> m = c.m().tabular();
      RandomGenerator rng = new java.util.SplittableRandom(7 * c.horizon());
      List<Path> ps = x.paths();
      List<Path> data = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        data.add(ps.get(rng.nextInt(ps.size())));
      }
      Dataset d = toDataset(m, c.mu(), c.horizon(), data);
      for (Estimator e : List.of(Estimators.onPolicy(), Estimators.is(), Estimators.pdis(),
          Estimators.wis(), Estimators.wpdis(), Estimators.dm(c.q()), Estimators.dr(c.q()),
          Estimators.wdr(c.q()), Estimators.mis(x.ratios()), Estimators.misCounts(),
          Estimators.discountedRatio(x.discountedRatio()),
          Estimators.clipped(1.5, Estimators.pdis()), Estimators.clipped(0.5, Estimators.is()))) {
        double exact = Rationals.toDouble(x.value(e, data));
        double fast = OpeDouble.estimate(e, c.pi(), c.mu(), d);
        assertEquals(exact, fast, 1e-9 * (1 + Math.abs(exact)), e.name());
      }
    });
  }

  static Dataset toDataset(TabularMdp<Integer, Integer> m, TabularPolicy<Integer, Integer> mu,
      int horizon, List<Path> data) {
    int steps = 0;
    for (Path p : data) {
      steps += p.length();
    }
    int[] start = new int[data.size() + 1];
    int[] s = new int[steps];
    int[] a = new int[steps];
    double[] r = new double[steps];
    double[] pr = new double[steps];
    int k = 0;
    for (int i = 0; i < data.size(); i++) {
      Path p = data.get(i);
      for (int t = 0; t < p.length(); t++) {
        s[k] = p.states()[t];
        a[k] = m.rowAction(p.rows()[t]);
        r[k] = Rationals.toDouble(p.rewards()[t]);
        pr[k] = mu.probAt(p.rows()[t]);
        k++;
      }
      start[i + 1] = k;
    }
    return Dataset.of(horizon, start, s, a, r, pr);
  }

  @Test
  void onPolicyDrGainsExactlyTheActionVariance() {
    // pi = mu: IS = PDIS = MC pathwise, and Var(MC) - Var(DR with Q^pi) = sum_t gamma^{2t}
    // E_mu[Var_{a ~ mu}(Q^pi_t(s_t, a) | s_t)] (spec property 3)
    check(908, 60, 3, true, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      for (Path p : x.paths()) {
        BigFraction mc = x.value(Estimators.onPolicy(), List.of(p));
        assertEquals(mc, x.value(Estimators.is(), List.of(p)));
        assertEquals(mc, x.value(Estimators.pdis(), List.of(p)));
      }
      TabularMdp<Integer, Integer> m = c.m().tabular();
      TimeIndexedQ q = x.qPi();
      BigFraction[][] d = x.stateMarginals(c.mu());
      BigFraction gamma = m.exact().discount();
      BigFraction gap = BigFraction.ZERO;
      BigFraction[] mu = c.mu().toExactArray();
      for (int t = 0; t < c.horizon(); t++) {
        BigFraction g2t = gamma.pow(2 * t);
        for (int s = 0; s < m.numStates(); s++) {
          BigFraction e1 = BigFraction.ZERO;
          BigFraction e2 = BigFraction.ZERO;
          for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
            e1 = e1.add(mu[r].multiply(q.exactValue(t, r)));
            e2 = e2.add(mu[r].multiply(q.exactValue(t, r)).multiply(q.exactValue(t, r)));
          }
          gap = gap.add(g2t.multiply(d[t][s]).multiply(e2.subtract(e1.multiply(e1))));
        }
      }
      assertEquals(gap, x.moments(Estimators.onPolicy()).variance()
          .subtract(x.moments(Estimators.dr(q)).variance()));
    });
  }

  @Test
  void misRaoBlackwellisesEachStep() {
    // Var(w-hat_t r_t) <= Var(w_{0:t} r_t) for each t (spec property 7); the total may reverse
    check(909, 60, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      var ratios = x.ratios();
      for (int t = 0; t < c.horizon(); t++) {
        BigFraction[] mis = new BigFraction[3];
        BigFraction[] pd = new BigFraction[3];
        java.util.Arrays.fill(mis, BigFraction.ZERO);
        java.util.Arrays.fill(pd, BigFraction.ZERO);
        for (Path p : x.paths()) {
          if (p.length() <= t) {
            continue;
          }
          BigFraction w = weight(c, p, t);
          BigFraction a = ratios.exactValue(t, p.rows()[t]).multiply(p.rewards()[t]);
          BigFraction b = w.multiply(p.rewards()[t]);
          mis[0] = mis[0].add(p.probability().multiply(a));
          mis[1] = mis[1].add(p.probability().multiply(a).multiply(a));
          pd[0] = pd[0].add(p.probability().multiply(b));
          pd[1] = pd[1].add(p.probability().multiply(b).multiply(b));
        }
        assertEquals(pd[0], mis[0]);
        BigFraction vMis = mis[1].subtract(mis[0].multiply(mis[0]));
        BigFraction vPd = pd[1].subtract(pd[0].multiply(pd[0]));
        assertTrue(vMis.compareTo(vPd) <= 0, "t = " + t + ": " + vMis + " > " + vPd);
      }
    });
  }

  @Test
  void clippingWithNonNegativeRewardsBiasesDownExactlyWhenAWeightExceedsC() {
    check(910, 60, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      BigFraction cut = new BigFraction(3, 2);
      boolean nonNegative = true;
      for (Path p : x.paths()) {
        for (BigFraction r : p.rewards()) {
          nonNegative &= Rationals.signum(r) >= 0;
        }
      }
      if (!nonNegative) {
        return;
      }
      boolean strict = false;
      for (Path p : x.paths()) {
        BigFraction g = x.value(Estimators.onPolicy(), List.of(p));
        strict |= Rationals.signum(g) > 0 && weight(c, p, p.length() - 1).compareTo(cut) > 0;
      }
      BigFraction bias = x.moments(Estimators.clipped(1.5, Estimators.is())).bias();
      assertTrue(Rationals.signum(bias) <= 0);
      assertEquals(strict, Rationals.signum(bias) < 0);
    });
  }

  @Test
  void exactMomentsAgreeWithSeededMonteCarlo() {
    // One dataset of n = 4000 trajectories per case; per-trajectory estimators must lie within
    // 5 standard errors of their exact mean (two-sided normal tail 5.7e-7 per check, 30 cases x 3
    // estimators: family false-alarm rate below 1e-4 under the CLT). WIS, consistent but biased,
    // must lie within 6 delta-method standard deviations of J(pi) plus the delta-method bias.
    check(911, 30, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      int n = 4000;
      Dataset d = dev.fixpoint.tabular.ope.Logging.draw(c.m().tabular(), c.mu(), c.horizon(), n,
          new java.util.SplittableRandom(c.horizon() * 31L + c.m().numStates()));
      for (Estimator e : List.of(Estimators.is(), Estimators.pdis(), Estimators.dr(c.q()))) {
        var exact = x.moments(e, n);
        double mean = Rationals.toDouble(exact.mean());
        double se = Math.sqrt(Rationals.toDouble(exact.variance()));
        double got = OpeDouble.estimate(e, c.pi(), c.mu(), d);
        assertTrue(Math.abs(got - mean) <= 5 * se + 1e-9 * (1 + Math.abs(mean)),
            e.name() + ": " + got + " vs exact " + mean + " (se " + se + ")");
      }
      var delta = x.wisDeltaMethod(n);
      double j = Rationals.toDouble(x.truth());
      double wis = OpeDouble.estimate(Estimators.wis(), c.pi(), c.mu(), d);
      double sd = Math.sqrt(Rationals.toDouble(delta.variance()));
      assertTrue(Math.abs(wis - j) <= 6 * sd + Math.abs(Rationals.toDouble(delta.bias())) + 1e-9,
          "WIS " + wis + " vs J " + j + " (sd " + sd + ")");
    });
  }

  /**
   * Every estimator of spec section 2 against seeded Monte Carlo at n = 2, where the exact law of
   * the estimate is known for all of them (backward recursion, layered DP or multiset
   * enumeration): the mean of R = 3000 independent estimates, each from its own dataset of two
   * trajectories, must lie within 5 standard errors sqrt(Var_2 / R) of the exact E_2, Var_2 the
   * exact variance at n = 2 (no tolerance fitted to the data). Under the CLT (every estimate is
   * bounded on these models) a check fails falsely with probability 5.7e-7; 15 cases x 13
   * estimators give a family false-alarm rate below 1.2e-4.
   */
  @Test
  void everyEstimatorsExactMeanAgreesWithSeededMonteCarloAtTwoTrajectories() {
    check(4242, 15, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      int n = 2;
      int reps = 3000;
      List<Estimator> es = List.of(Estimators.onPolicy(), Estimators.is(), Estimators.pdis(),
          Estimators.wis(), Estimators.wpdis(), Estimators.dm(c.q()), Estimators.dr(c.q()),
          Estimators.wdr(c.q()), Estimators.mis(x.ratios()), Estimators.misCounts(),
          Estimators.discountedRatio(x.discountedRatio()),
          Estimators.clipped(1.5, Estimators.is()), Estimators.clipped(1.5, Estimators.pdis()));
      double[] sum = new double[es.size()];
      java.util.SplittableRandom rng = new java.util.SplittableRandom(
          c.horizon() * 1009L + c.m().numStates() * 31L + c.m().tabular().numRows());
      for (int k = 0; k < reps; k++) {
        Dataset d = dev.fixpoint.tabular.ope.Logging.draw(c.m().tabular(), c.mu(), c.horizon(),
            n, rng);
        for (int i = 0; i < es.size(); i++) {
          sum[i] += OpeDouble.estimate(es.get(i), c.pi(), c.mu(), d);
        }
      }
      for (int i = 0; i < es.size(); i++) {
        var exact = x.moments(es.get(i), n);
        double mean = Rationals.toDouble(exact.mean());
        double se = Math.sqrt(Rationals.toDouble(exact.variance()) / reps);
        double got = sum[i] / reps;
        assertTrue(Math.abs(got - mean) <= 5 * se + 1e-9 * (1 + Math.abs(mean)),
            es.get(i).name() + ": Monte Carlo " + got + " vs exact " + mean + " (se " + se
                + ", " + exact.method() + ")");
      }
    });
  }

  /**
   * The (w, G) law of WIS from the layered DP gives exactly the multiset-enumeration moments of
   * WIS over whole trajectories at n = 1, 2, 3, and its Laplace-transform moments agree with
   * them to 1e-11 (absolute, plus relative), zero weights included (pi may put 0 on actions).
   */
  @Test
  void wisLawEqualsTrajectoryEnumerationAndLaplaceAgrees() {
    check(5150, 25, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      var law = dev.fixpoint.tabular.ope.WisLaw.of(x);
      for (int n = 1; n <= 3; n++) {
        if (x.paths().size() > 40 && n == 3) {
          continue; // 3-multisets of more than 40 trajectories: too slow for a property
        }
        var byPaths = x.momentsByEnumeration(Estimators.wis(), n);
        var byLaw = law.moments(n);
        assertEquals(byPaths.mean(), byLaw.mean(), "n = " + n);
        assertEquals(byPaths.variance(), byLaw.variance(), "n = " + n);
        double[] l = law.laplace(n);
        double m = Rationals.toDouble(byLaw.mean());
        double v = Rationals.toDouble(byLaw.variance());
        assertEquals(m, l[0], 1e-11 * (1 + Math.abs(m)), "Laplace mean, n = " + n);
        assertEquals(v, l[1], 1e-11 * (1 + Math.abs(v)), "Laplace variance, n = " + n);
      }
    });
  }

  /**
   * The per-step (W, X) laws of WPDIS and WDR give exactly the multiset-enumeration mean of the
   * estimator over whole trajectories at n = 1, 2, 3, and their Laplace means agree with it to
   * 1e-11 (absolute, plus relative); WDR with a random Q-hat, zero weights included.
   */
  @Test
  void perDecisionLawMeanEqualsTrajectoryEnumeration() {
    check(5151, 25, 3, false, c -> {
      OpeExact<Integer, Integer> x = c.exact();
      var laws = List.of(dev.fixpoint.tabular.ope.PerDecisionLaw.wpdis(x),
          dev.fixpoint.tabular.ope.PerDecisionLaw.wdr(x, c.q()));
      var es = List.of(Estimators.wpdis(), Estimators.wdr(c.q()));
      for (int i = 0; i < 2; i++) {
        for (int n = 1; n <= 3; n++) {
          if (x.paths().size() > 40 && n == 3) {
            continue; // 3-multisets of more than 40 trajectories: too slow for a property
          }
          BigFraction byPaths = x.momentsByEnumeration(es.get(i), n).mean();
          assertEquals(byPaths, laws.get(i).exactMean(n), es.get(i).name() + ", n = " + n);
          double m = Rationals.toDouble(byPaths);
          assertEquals(m, laws.get(i).laplaceMean(n), 1e-11 * (1 + Math.abs(m)),
              es.get(i).name() + " Laplace mean, n = " + n);
        }
      }
    });
  }

  @Test
  void dualDicePopulationSolutionIsTheDiscountedRatio() {
    // gamma < 1 models, mu positive: the DualDICE normal equations give w = d^pi_gamma / d^D,
    // and (1/(1 - gamma)) E_{d^D}[w r] is the infinite-horizon value sum_s d_0(s) V^pi(s)
    // (Nachum et al. 2019), here against exact policy evaluation
    Generator<RandomMdp> mdps = Generators.mdps(MdpSpec.exact().withStates(1, 3)
        .withMaxActions(2).withMaxBranching(2));
    qt().withFixedSeed(912).withExamples(40).forAll(QuickTheoriesGen.of(Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      TabularMdp<Integer, Integer> t = m.tabular();
      return new Case(m, policy(t, 0, rng), policy(t, 1, rng), 1, randomQ(t, 1, rng));
    }))).checkAssert(c -> {
      TabularMdp<Integer, Integer> m = c.m().tabular();
      BigFraction[] dD = dev.fixpoint.tabular.ope.Occupancy.dataDistribution(c.mu());
      BigFraction[] w = dev.fixpoint.tabular.ope.Occupancy.discountedRatio(c.pi(), dD);
      assertEquals(java.util.Arrays.asList(w), java.util.Arrays.asList(
          dev.fixpoint.tabular.ope.Occupancy.dualDice(c.pi(), dD)));
      BigFraction gamma = m.exact().discount();
      BigFraction j = BigFraction.ZERO;
      for (int r = 0; r < m.numRows(); r++) {
        j = j.add(dD[r].multiply(w[r]).multiply(m.exact().reward()[r]));
      }
      j = j.divide(BigFraction.ONE.subtract(gamma));
      var v = dev.fixpoint.tabular.solve.PolicyEvaluation.exact(m, c.pi()).values();
      BigFraction expected = BigFraction.ZERO;
      for (int s = 0; s < m.numStates(); s++) {
        expected = expected.add(m.exact().initial()[s].multiply(v.toExactArray()[s]));
      }
      assertEquals(expected, j);
    });
  }

  @Test
  void rankingMetricsAreInvariantUnderIncreasingTransformsOfTheEstimates() {
    // spec property 8: Pi_k, Regret@k, best/worst/mean/std@k, SharpeRatio@k and Spearman depend on
    // the estimates only through their order (ties included, with a fixed tie rule)
    Generator<double[][]> sets = Generator.of(rng -> {
      int m = rng.nextInt(2, 8);
      double[][] x = new double[2][m];
      for (int i = 0; i < m; i++) {
        x[0][i] = rng.nextInt(0, 4); // small grid: ties are common
        x[1][i] = rng.nextInt(-5, 6);
      }
      return x;
    });
    qt().withFixedSeed(913).withExamples(300).forAll(QuickTheoriesGen.of(sets)).checkAssert(x -> {
      double[] est = x[0];
      double[] truth = x[1];
      double[] moved = new double[est.length];
      for (int i = 0; i < est.length; i++) {
        moved[i] = Math.exp(est[i]) * 3 - 7; // strictly increasing
      }
      for (var c : dev.fixpoint.tabular.ope.Selection.Convention.values()) {
        for (int k = 2; k <= est.length; k++) {
          var a = dev.fixpoint.tabular.ope.Selection.topK(est, truth, k, 0, c, false);
          var b = dev.fixpoint.tabular.ope.Selection.topK(moved, truth, k, 0, c, false);
          assertEquals(java.util.Arrays.toString(a.selected()),
              java.util.Arrays.toString(b.selected()));
          assertEquals(a.toString(), b.toString());
        }
      }
      boolean constant = true;
      boolean constantTruth = true;
      for (int i = 1; i < est.length; i++) {
        constant &= est[i] == est[0];
        constantTruth &= truth[i] == truth[0];
      }
      if (!constant && !constantTruth) {
        assertEquals(dev.fixpoint.tabular.ope.Selection.spearman(est, truth),
            dev.fixpoint.tabular.ope.Selection.spearman(moved, truth), 1e-12);
      }
    });
  }

  @Test
  void discountedRatioIsUnbiasedWhenEveryEpisodeHasLengthH() {
    // without terminal states every episode has length H, and then ((1 - gamma^H)/(1 - gamma))
    // E_{d^D}[w r] = sum_t gamma^t E_{d^pi_t}[r] = J(pi) (spec section 2); with terminal states
    // the mean over logged steps is a ratio estimator and is not asserted
    // (gamma = 1 models of the generator always have terminal states: gamma < 1 only here; the
    // first draft with them was falsified by an episode ending at t = 1 < H = 2, as predicted)
    Generator<RandomMdp> mdps = Generators.mdps(MdpSpec.exact().withStates(1, 3)
        .withMaxActions(2).withMaxBranching(2).withTerminals(false));
    qt().withFixedSeed(914).withExamples(40).forAll(QuickTheoriesGen.of(Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      TabularMdp<Integer, Integer> t = m.tabular();
      int h = rng.nextInt(1, 4);
      return new Case(m, policy(t, 0, rng), policy(t, 1, rng), h, randomQ(t, h, rng));
    }))).checkAssert(c -> {
      OpeExact<Integer, Integer> x = c.exact();
      assertEquals(BigFraction.ZERO,
          x.moments(Estimators.discountedRatio(x.discountedRatio())).bias());
    });
  }
}
