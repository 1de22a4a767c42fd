package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.TraceRule;
import dev.fixpoint.tabular.learn.Experience;
import dev.fixpoint.tabular.learn.OffPolicyTraces;
import dev.fixpoint.tabular.learn.TraceBuffer;
import dev.fixpoint.tabular.learn.TraceSteps;
import dev.fixpoint.tabular.learn.TraceUpdates;
import dev.fixpoint.tabular.learn.Trajectory;
import dev.fixpoint.tabular.traces.DoubleTraceOperator;
import dev.fixpoint.tabular.traces.ExactTraceOperator;
import dev.fixpoint.tabular.traces.TraceOperators;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Laws of off-policy eligibility traces (spec {@code traces.md} section 8; Daley, White, Amato and
 * Machado, ICML 2023) that the tabular example tests do not already cover: the sample-based
 * learners against the expected operator and against each other (items 13-18), the contraction
 * along iterates (6) and control (12). Items 1-3, 5, 7-11 and the operator form of 15 and 18 are
 * in {@code tabular/src/test/.../traces} ({@code TraceOperatorsTest}, {@code TraceRuleTest},
 * {@code RandomDagTraceTest}, the counterexample tests); item 4 (affinity, with M applied by its
 * trajectory-sum definition) is {@link TraceAffinityProperties}.
 *
 * <p>Mutations seen failing (spec 8.19 and ours): scatter without D_k (13, 14, 17); push before
 * advance, i.e. the entry's own ratio (13, 14, 17); no clear at done (13, 14, 16, 17); no reset
 * in the live-Q session (16); RBIS beta before Lambda (15, 18); the exact forward return reading
 * rho_{t-1} (15); per-pair decay without gamma (17); the certified norm halved (6); P_mu instead
 * of P_pi in the double operator (12); max instead of the expected target value in the
 * offline learner's deltas (15, spec 8.19).
 */
class TraceProperties {

  /** A layered terminating DAG model with exact policies and an exact Q. */
  record Dag(TabularMdp<Integer, Integer> m, BigFraction[] pi, BigFraction[] mu,
      BigFraction[] q, TraceRule rule, long seed) {
    @Override
    public String toString() {
      return m + "\npi " + Arrays.toString(pi) + "\nmu " + Arrays.toString(mu) + "\nQ "
          + Arrays.toString(q) + "\n" + rule;
    }

    TabularPolicy<Integer, Integer> target() {
      return TabularPolicy.ofExact(m, pi);
    }

    TabularPolicy<Integer, Integer> behaviour() {
      return TabularPolicy.ofExact(m, mu);
    }
  }

  static final BigFraction[] LAMBDAS = {Rationals.of(0, 1), Rationals.of(1, 4),
      Rationals.of(1, 2), Rationals.of(3, 4), Rationals.of(1, 1)};

  /** The seven rules and a user's rule (RBIS written as a state machine). */
  static List<TraceRule> rules(BigFraction l) {
    TraceRule mine = TraceRule.custom("user RBIS", BigFraction.ONE, (beta, t, rho, p) -> {
      BigFraction cap = l.pow(t);
      BigFraction next = rho.multiply(beta).compareTo(cap) < 0 ? rho.multiply(beta) : cap;
      return new TraceRule.Update(next, next);
    });
    return List.of(TraceRule.importanceSampling(l), TraceRule.qLambda(l), TraceRule.treeBackup(l),
        TraceRule.retrace(l), TraceRule.truncatedIs(l), TraceRule.recursiveRetrace(l),
        TraceRule.rbis(l), mine);
  }

  static TraceRule anyRule(RandomGenerator rng) {
    List<TraceRule> all = rules(LAMBDAS[rng.nextInt(LAMBDAS.length)]);
    return all.get(rng.nextInt(all.size()));
  }

  /** depth layers of width states, actions {0, 1}, reward per (s, a), then terminal -1. */
  static TabularMdp<Integer, Integer> dagModel(RandomGenerator rng, int depth, int width) {
    List<Integer> states = new ArrayList<>();
    for (int i = 0; i < depth * width; i++) {
      states.add(i);
    }
    states.add(-1);
    BigFraction gamma = Rationals.of(rng.nextInt(1, 5), 4);
    List<List<Dist<Outcome<Integer>>>> dyn = new ArrayList<>();
    for (int s = 0; s < depth * width; s++) {
      int layer = s / width;
      List<Dist<Outcome<Integer>>> perAction = new ArrayList<>();
      for (int a = 0; a < 2; a++) {
        List<Outcome<Integer>> outs = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        long reward = rng.nextInt(-2, 3);
        if (layer + 1 < depth) {
          for (int j = 0; j < width; j++) {
            int w = rng.nextInt(0, 3);
            if (w > 0) {
              outs.add(Outcome.of((layer + 1) * width + j, reward));
              weights.add(w);
            }
          }
        }
        outs.add(Outcome.of(-1, reward));
        weights.add(rng.nextInt(0, 2) + (outs.size() == 1 ? 1 : 0));
        int total = weights.stream().mapToInt(Integer::intValue).sum();
        BigFraction[] p = new BigFraction[outs.size()];
        for (int i = 0; i < p.length; i++) {
          p[i] = Rationals.of(weights.get(i), total);
        }
        perAction.add(Dist.ofExact(outs, p));
      }
      dyn.add(perAction);
    }
    return Mdp.<Integer, Integer>of(states, s -> s < 0 ? List.of() : List.of(0, 1),
        (s, a) -> dyn.get(s).get(a), gamma).withTerminal(List.of(-1))
        .withInitial(Dist.dirac(0)).tabulate();
  }

  /** Probabilities k/4 per state over its two rows; zeros only where allowed. */
  static BigFraction[] exactPolicy(RandomGenerator rng, TabularMdp<?, ?> m, boolean positive) {
    BigFraction[] p = new BigFraction[m.numRows()];
    for (int s = 0; s < m.numStates(); s++) {
      if (m.isTerminal(s)) {
        continue;
      }
      int k = positive ? rng.nextInt(1, 4) : rng.nextInt(0, 5);
      p[m.rowStart(s)] = Rationals.of(k, 4);
      p[m.rowStart(s) + 1] = Rationals.of(4 - k, 4);
    }
    return p;
  }

  static Generator<Dag> dags(boolean positiveBehaviour) {
    return Generator.of(rng -> {
      TabularMdp<Integer, Integer> m = dagModel(rng, rng.nextInt(1, 4), rng.nextInt(1, 3));
      BigFraction[] q = new BigFraction[m.numRows()];
      for (int r = 0; r < q.length; r++) {
        q[r] = Rationals.of(rng.nextInt(-6, 7), rng.nextInt(1, 4));
      }
      return new Dag(m, exactPolicy(rng, m, false), exactPolicy(rng, m, positiveBehaviour), q,
          anyRule(rng), rng.nextLong());
    });
  }

  // ------------------------------------------------------------------ 15: exact unbiasedness

  /**
   * Spec 8.15 for the learner's forward view: on a DAG model, the probability-weighted sum over
   * every trajectory from (s, a) (A_t ~ mu for t &gt;= 1) of the forward-view return
   * sum_t gamma^t beta_t delta_t ({@link TraceUpdates#forwardReturn}, exact) equals (M Q - Q)(s, a)
   * of the exact operator, with no tolerance; and on every trajectory the double forward view
   * ({@link TraceUpdates#forward}, what the offline learner adds) agrees with it to 1e-12.
   */
  @Test
  void forwardViewIsAnUnbiasedSampleOfTheOperator() {
    qt().withFixedSeed(1501).withExamples(150).forAll(QuickTheoriesGen.of(dags(false)))
        .checkAssert(d -> {
          TabularMdp<Integer, Integer> m = d.m();
          BigFraction[] mq = TraceOperators.exact(m, d.target().asPolicy(),
              d.behaviour().asPolicy(), d.rule()).apply(d.q());
          for (int r0 = 0; r0 < m.numRows(); r0++) {
            List<Path> paths = new ArrayList<>();
            enumerate(d, new Path(BigFraction.ONE, List.of(r0)), paths);
            BigFraction sum = BigFraction.ZERO;
            for (Path p : paths) {
              BigFraction ret = exactReturn(d, p.rows());
              sum = sum.add(p.prob().multiply(ret));
              double[] u = TraceUpdates.forward(d.rule(), m.discount(), doubleSteps(d, p.rows()),
                  m.numRows());
              // a DAG path visits each row once, so u at the start row is the k = 0 return
              assertEquals(Rationals.toDouble(ret), u[r0],
                  1e-12 * Math.max(1, Math.abs(u[r0])), "path " + p.rows());
              if (Rationals.signum(d.mu()[r0]) > 0) {
                // the offline learner's own deltas and ratios on the recorded path
                OffPolicyTraces l = OffPolicyTraces.evaluation(d.rule(), 1, d.target(),
                    d.behaviour());
                double[] q = Rationals.toDoubles(d.q());
                double[] v = l.forward(m, q, trajectory(m, p.rows()));
                assertEquals(Rationals.toDouble(ret), v[r0] - q[r0],
                    1e-12 * Math.max(1, Math.abs(v[r0])), "learner on path " + p.rows());
              }
            }
            assertEquals(mq[r0].subtract(d.q()[r0]), sum, "row " + r0);
          }
        });
  }

  record Path(BigFraction prob, List<Integer> rows) {}

  /** The path as a terminated episode (rewards per row, ending in the terminal state). */
  static Trajectory trajectory(TabularMdp<Integer, Integer> m, List<Integer> rows) {
    int n = rows.size();
    int[] states = new int[n + 1];
    int[] rs = new int[n];
    double[] rewards = new double[n];
    for (int t = 0; t < n; t++) {
      rs[t] = rows.get(t);
      states[t] = m.rowState(rs[t]);
      rewards[t] = m.reward(rs[t]);
    }
    states[n] = m.states().indexOf(-1);
    return new Trajectory(states, rs, rewards, true);
  }

  /** Every continuation of a path, with its probability under P and mu (start row given). */
  static void enumerate(Dag d, Path p, List<Path> out) {
    TabularMdp<Integer, Integer> m = d.m();
    int r = p.rows().get(p.rows().size() - 1);
    boolean extended = false;
    for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
      int s2 = m.next(k);
      if (m.isTerminal(s2)) {
        continue;
      }
      for (int r2 = m.rowStart(s2); r2 < m.rowEnd(s2); r2++) {
        BigFraction w = p.prob().multiply(m.exact().prob()[k]).multiply(d.mu()[r2]);
        if (Rationals.signum(w) == 0) {
          continue;
        }
        List<Integer> rows = new ArrayList<>(p.rows());
        rows.add(r2);
        enumerate(d, new Path(w, rows), out);
        extended = true;
      }
    }
    // the path may also end: the mass that goes to the terminal state
    BigFraction end = BigFraction.ZERO;
    for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
      if (m.isTerminal(m.next(k))) {
        end = end.add(m.exact().prob()[k]);
      }
    }
    if (Rationals.signum(end) > 0 || !extended) {
      out.add(new Path(p.prob().multiply(end), p.rows()));
    }
  }

  /** delta_t = r(S_t, A_t) + gamma E_pi Q(S_{t+1}) - Q(S_t, A_t), the next state given by the path. */
  static BigFraction[] deltas(Dag d, List<Integer> rows) {
    TabularMdp<Integer, Integer> m = d.m();
    BigFraction g = m.exact().discount();
    int n = rows.size();
    BigFraction[] delta = new BigFraction[n];
    for (int t = 0; t < n; t++) {
      int r = rows.get(t);
      BigFraction boot = BigFraction.ZERO;
      if (t + 1 < n) {
        int s2 = m.rowState(rows.get(t + 1));
        for (int r2 = m.rowStart(s2); r2 < m.rowEnd(s2); r2++) {
          boot = boot.add(d.pi()[r2].multiply(d.q()[r2]));
        }
      }
      delta[t] = m.exact().reward()[r].add(g.multiply(boot)).subtract(d.q()[r]);
    }
    return delta;
  }

  static BigFraction exactReturn(Dag d, List<Integer> rows) {
    int n = rows.size();
    BigFraction[] rho = new BigFraction[n];
    BigFraction[] pi = new BigFraction[n];
    for (int t = 0; t < n; t++) {
      int r = rows.get(t);
      pi[t] = d.pi()[r];
      rho[t] = t == 0 ? BigFraction.ONE : d.pi()[r].divide(d.mu()[r]);
    }
    return TraceUpdates.forwardReturn(d.rule(), d.m().exact().discount(), rho, pi,
        deltas(d, rows));
  }

  static TraceSteps doubleSteps(Dag d, List<Integer> rows) {
    int n = rows.size();
    int[] rs = new int[n];
    double[] rho = new double[n];
    double[] pi = new double[n];
    double[] delta = Rationals.toDoubles(deltas(d, rows));
    boolean[] done = new boolean[n];
    for (int t = 0; t < n; t++) {
      int r = rows.get(t);
      rs[t] = r;
      pi[t] = Rationals.toDouble(d.pi()[r]);
      rho[t] = t == 0 ? 1 : Rationals.toDouble(d.pi()[r].divide(d.mu()[r]));
    }
    done[n - 1] = true;
    return new TraceSteps(rs, rho, pi, delta, done);
  }

  // ------------------------------------------------------------------ random step streams

  record Stream(TraceRule rule, double gamma, TraceSteps steps, int rows) {}

  static final double[] RATIOS = {0, 0.25, 0.5, 1, 1.5, 2};

  static TraceSteps randomSteps(RandomGenerator rng, int n, int rows, double pDone,
      boolean endDone) {
    int[] r = new int[n];
    double[] rho = new double[n];
    double[] pi = new double[n];
    double[] delta = new double[n];
    boolean[] done = new boolean[n];
    for (int t = 0; t < n; t++) {
      r[t] = rng.nextInt(rows);
      rho[t] = RATIOS[rng.nextInt(RATIOS.length)];
      pi[t] = rng.nextInt(5) / 4.0;
      delta[t] = rng.nextInt(-8, 9) / 4.0 + rng.nextDouble();
      done[t] = rng.nextDouble() < pDone || (endDone && t == n - 1);
    }
    return new TraceSteps(r, rho, pi, delta, done);
  }

  static Generator<Stream> streams(boolean perDecisionOnly) {
    return Generator.of(rng -> {
      TraceRule rule = anyRule(rng);
      while (perDecisionOnly && !rule.isPerDecision()) {
        rule = anyRule(rng);
      }
      int rows = rng.nextInt(1, 6);
      return new Stream(rule, rng.nextInt(0, 5) / 4.0,
          randomSteps(rng, rng.nextInt(0, 15), rows, 0.15, false), rows);
    });
  }

  static void close(double[] want, double[] got, String where) {
    double scale = 1;
    for (double w : want) {
      scale = Math.max(scale, Math.abs(w));
    }
    assertArrayEquals(want, got, 1e-10 * scale, where);
  }

  /** Spec 8.13: per-step storage on fixed deltas equals the direct forward sums. */
  @Test
  void backwardRecursionEqualsForwardSums() {
    qt().withFixedSeed(1301).withExamples(400).forAll(QuickTheoriesGen.of(streams(false)))
        .checkAssert(s -> close(TraceUpdates.forward(s.rule(), s.gamma(), s.steps(), s.rows()),
            TraceUpdates.backward(s.rule(), s.gamma(), s.steps(), s.rows()), s.rule()
                + " on " + Arrays.toString(s.steps().rows())));
  }

  /**
   * Spec 8.14 (the repository's test): when delta ignores Q, online updates over several
   * episodes back to back (alpha = 1, traces reset at each done) equal the offline per-episode
   * forward views, summed.
   */
  @Test
  void onlineEqualsOfflineAcrossEpisodesWhenDeltaIgnoresQ() {
    qt().withFixedSeed(1401).withExamples(200).forAll(QuickTheoriesGen.of(Generator.of(rng -> {
      TraceRule rule = anyRule(rng);
      List<TraceSteps> eps = new ArrayList<>();
      for (int e = rng.nextInt(1, 5); e > 0; e--) {
        eps.add(randomSteps(rng, rng.nextInt(1, 8), 4, 0, true));
      }
      return new Object[] {rule, rng.nextInt(0, 5) / 4.0, eps};
    }))).checkAssert(c -> {
      TraceRule rule = (TraceRule) c[0];
      double gamma = (Double) c[1];
      @SuppressWarnings("unchecked")
      List<TraceSteps> eps = (List<TraceSteps>) c[2];
      double[] offline = new double[4];
      TraceSteps all = eps.get(0);
      for (int e = 0; e < eps.size(); e++) {
        if (e > 0) {
          all = all.concat(eps.get(e));
        }
        double[] u = TraceUpdates.forward(rule, gamma, eps.get(e), 4);
        for (int r = 0; r < 4; r++) {
          offline[r] += u[r];
        }
      }
      close(offline, TraceUpdates.backward(rule, gamma, all, 4), rule.toString());
    });
  }

  /**
   * Spec 8.16: no leakage across done. Two episodes back to back give the sum of the two
   * processed separately (fixed deltas), and the live-Q learner's kernel fed the two episodes'
   * transitions in a row is, bit for bit, the learner replaying them one after the other.
   */
  @Test
  void episodesResetTheTraces() {
    qt().withFixedSeed(1601).withExamples(200).forAll(QuickTheoriesGen.of(dags(true)))
        .checkAssert(d -> {
          TabularMdp<Integer, Integer> m = d.m();
          SplittableRandom rng = new SplittableRandom(d.seed());
          Trajectory e1 = Experience.episode(m, d.behaviour(), rng);
          Trajectory e2 = Experience.episode(m, d.behaviour(), rng);
          OffPolicyTraces l = OffPolicyTraces.evaluation(d.rule(), 0.5, d.target(),
              d.behaviour());
          double[] q0 = Rationals.toDoubles(d.q());
          TraceSteps s1 = l.frozenSteps(m, q0, e1);
          TraceSteps s2 = l.frozenSteps(m, q0, e2);
          double[] a = TraceUpdates.backward(d.rule(), m.discount(), s1, m.numRows());
          double[] b = TraceUpdates.backward(d.rule(), m.discount(), s2, m.numRows());
          double[] sum = new double[a.length];
          for (int r = 0; r < a.length; r++) {
            sum[r] = a[r] + b[r];
          }
          close(sum, TraceUpdates.backward(d.rule(), m.discount(), s1.concat(s2), m.numRows()),
              d.rule().toString());
          double[] q = q0.clone();
          OffPolicyTraces.Session session = l.session(m);
          for (Trajectory e : List.of(e1, e2)) {
            for (int t = 0; t < e.length(); t++) {
              session.learn(q, e.state(t), e.row(t), e.reward(t), e.state(t + 1));
            }
          }
          assertArrayEquals(l.replay(m, l.replay(m, q0, e1), e2), q);
        });
  }

  /**
   * Spec 8.17: for per-decision rules the per-step storage equals the classic per-pair trace
   * table, on fixed deltas and in the live-Q learner (epsilon-greedy behaviour and target).
   */
  @Test
  void perDecisionRulesHaveAPerPairTable() {
    qt().withFixedSeed(1701).withExamples(300).forAll(QuickTheoriesGen.of(streams(true)))
        .checkAssert(s -> close(TraceUpdates.backward(s.rule(), s.gamma(), s.steps(), s.rows()),
            TraceUpdates.perPair(s.rule(), s.gamma(), s.steps(), s.rows()), s.rule().toString()));
    qt().withFixedSeed(1702).withExamples(100).forAll(QuickTheoriesGen.of(dags(true)))
        .checkAssert(d -> {
          TraceRule rule = d.rule();
          if (!rule.isPerDecision()) {
            return;
          }
          TabularMdp<Integer, Integer> m = d.m();
          OffPolicyTraces l = OffPolicyTraces.control(rule, 0.5, 0.3, 0.1);
          double[] q = Rationals.toDoubles(d.q());
          SplittableRandom rng = new SplittableRandom(d.seed());
          for (int e = 0; e < 5; e++) {
            Trajectory tr = Experience.episode(m, d.behaviour(), rng);
            double[] a = l.replay(m, q, tr);
            double[] b = l.withStorage(OffPolicyTraces.Storage.PER_PAIR).replay(m, q, tr);
            close(a, b, rule + " episode " + e);
            q = a;
          }
        });
  }

  /**
   * Spec 8.18 for the learner's traces: the double per-step buffer (log-space products for IS
   * and truncated IS) follows the exact state machine of the rule to 1e-12 relative.
   */
  @Test
  void doubleTracesFollowTheExactRule() {
    qt().withFixedSeed(1801).withExamples(400).forAll(QuickTheoriesGen.of(Generator.of(rng -> {
      TraceRule rule = anyRule(rng);
      int n = rng.nextInt(1, 25);
      int[] num = new int[n];
      int[] den = new int[n];
      for (int t = 0; t < n; t++) {
        den[t] = rng.nextInt(1, 5);
        num[t] = rng.nextInt(0, 5);
      }
      return new Object[] {rule, num, den};
    }))).checkAssert(c -> {
      TraceRule rule = (TraceRule) c[0];
      int[] num = (int[]) c[1];
      int[] den = (int[]) c[2];
      TraceBuffer b = TraceBuffer.create(rule, 1);
      b.push(0);
      BigFraction stat = rule.initial();
      for (int t = 0; t < num.length; t++) {
        // pi = num/4, mu = den/4 so rho = num/den, from 0 to 4
        BigFraction pi = Rationals.of(num[t], 4);
        BigFraction rho = Rationals.of(num[t], den[t]);
        TraceRule.Update u = rule.step(stat, t + 1, rho, pi);
        stat = u.statistic();
        b.advance(Rationals.toDouble(rho), Rationals.toDouble(pi));
        double want = Rationals.toDouble(u.beta());
        assertEquals(want, b.beta(0), 1e-12 * Math.max(1, want), rule + " at t = " + (t + 1));
      }
    });
  }

  // ------------------------------------------------------------------ 6 and 12: iterates

  /**
   * Spec 8.6 along iterates: for the rules covered by Condition 5.1, ||Q_{k+1} - Q^pi||_inf &lt;=
   * ||Z||_inf ||Q_k - Q^pi||_inf for Q_{k+1} = M Q_k, exactly, on DAG models.
   */
  @Test
  void iteratesContractByTheCertifiedModulus() {
    qt().withFixedSeed(601).withExamples(100).forAll(QuickTheoriesGen.of(dags(false)))
        .checkAssert(d -> {
          TraceRule rule = d.rule();
          if (rule instanceof TraceRule.QLambda || rule instanceof TraceRule.TruncatedIs) {
            return;
          }
          ExactTraceOperator op = TraceOperators.exact(d.m(), d.target().asPolicy(),
              d.behaviour().asPolicy(), rule);
          assertTrue(op.certificate().conditionHolds(), op.certificate().explain());
          BigFraction[] qPi = d.q();
          for (int i = 0; i < d.m().numStates() + 1; i++) {
            qPi = op.apply(qPi);
          }
          BigFraction[] q = d.q();
          for (int k = 0; k < 4; k++) {
            BigFraction[] next = op.apply(q);
            assertTrue(dist(next, qPi).compareTo(op.norm().multiply(dist(q, qPi))) <= 0,
                "iterate " + k);
            q = next;
          }
        });
  }

  static BigFraction dist(BigFraction[] a, BigFraction[] b) {
    BigFraction m = BigFraction.ZERO;
    for (int i = 0; i < a.length; i++) {
      BigFraction d = a[i].subtract(b[i]).abs();
      if (d.compareTo(m) > 0) {
        m = d;
      }
    }
    return m;
  }

  /**
   * Spec 8.12 (control, Munos et al. 2016 Theorem 2 in the form of spec 4.3): Q_{k+1} = M_k Q_k
   * with target pi_k = eps_k-greedy(Q_k), eps_k = 2^-k, and behaviour mu_k = 0.3-greedy(Q_k),
   * converges to Q* (Bellman optimality iterated to convergence) for RBIS, recursive Retrace and
   * Retrace on random cyclic models (double tier, the rule's tail carried below 1e-13).
   */
  @Test
  void greedyInTheLimitTargetsFindTheOptimalValues() {
    MdpSpec spec = MdpSpec.doubles().withStates(1, 3).withMaxActions(2)
        .withDiscounts(Rationals.of(1, 4), Rationals.of(1, 2), 4);
    qt().withFixedSeed(1201).withExamples(30).forAll(QuickTheoriesGen.of(Generator.of(rng -> {
      RandomMdp m = Generators.mdps(spec).next(rng);
      BigFraction l = LAMBDAS[rng.nextInt(1, LAMBDAS.length)];
      List<TraceRule> rs = List.of(TraceRule.rbis(l), TraceRule.recursiveRetrace(l),
          TraceRule.retrace(l));
      return new Object[] {m, rs.get(rng.nextInt(3))};
    }))).checkAssert(c -> {
      TabularMdp<Integer, Integer> m = ((RandomMdp) c[0]).tabular();
      TraceRule rule = (TraceRule) c[1];
      double[] qStar = optimal(m);
      double[] q = new double[m.numRows()];
      for (int k = 0; k < 30; k++) {
        TabularPolicy<Integer, Integer> pi = epsGreedy(m, q, Math.pow(0.5, k));
        TabularPolicy<Integer, Integer> mu = epsGreedy(m, q, 0.3);
        DoubleTraceOperator op = TraceOperators.ofDouble(m, pi.asPolicy(), mu.asPolicy(), rule);
        q = op.apply(q);
      }
      double scale = 1;
      for (double v : qStar) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertArrayEquals(qStar, q, 1e-6 * scale, m + "\n" + rule);
    });
  }

  static TabularPolicy<Integer, Integer> epsGreedy(TabularMdp<Integer, Integer> m, double[] q,
      double eps) {
    double[] p = new double[m.numRows()];
    for (int s = 0; s < m.numStates(); s++) {
      if (m.isTerminal(s)) {
        continue;
      }
      int best = m.rowStart(s);
      for (int r = best + 1; r < m.rowEnd(s); r++) {
        if (q[r] > q[best]) {
          best = r;
        }
      }
      int n = m.rowEnd(s) - m.rowStart(s);
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        p[r] = eps / n;
      }
      p[best] += 1 - eps;
    }
    return TabularPolicy.of(m, p);
  }

  /** Q* by iterating the Bellman optimality operator until it stops moving. */
  static double[] optimal(TabularMdp<Integer, Integer> m) {
    double[] q = new double[m.numRows()];
    double g = m.discount();
    for (int it = 0; it < 10_000; it++) {
      double[] next = new double[q.length];
      double change = 0;
      for (int r = 0; r < q.length; r++) {
        double v = m.reward(r);
        for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
          int s2 = m.next(k);
          if (m.isTerminal(s2) || m.rowStart(s2) == m.rowEnd(s2)) {
            continue;
          }
          double best = Double.NEGATIVE_INFINITY;
          for (int r2 = m.rowStart(s2); r2 < m.rowEnd(s2); r2++) {
            best = Math.max(best, q[r2]);
          }
          v += g * m.prob(k) * best;
        }
        next[r] = v;
        change = Math.max(change, Math.abs(v - q[r]));
      }
      q = next;
      if (change < 1e-14) {
        break;
      }
    }
    return q;
  }
}
