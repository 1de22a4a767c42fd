package dev.fixpoint.tabular.traces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Operators;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TraceRule;
import dev.fixpoint.tabular.operators.ExactInterpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Laws of the trace operator on seeded random terminating DAG models (spec {@code traces.md}
 * section 8, items 3, 6, 11, 18, and closed form = layered computation), where every quantity is
 * exact in rationals with no truncation. Seeded loops, not QuickTheories: the tabular module has
 * no QuickTheories dependency (the property-tests module is the place for shrinking versions).
 */
class RandomDagTraceTest {
  static final int MODELS = 60;

  /** A layered DAG: {@code depth} layers of {@code width} states, then the terminal state -1. */
  static TabularMdp<Integer, Integer> dag(SplittableRandom rng, int depth, int width) {
    List<Integer> states = new ArrayList<>();
    for (int i = 0; i < depth * width; i++) {
      states.add(i);
    }
    states.add(-1);
    BigFraction gamma = Rationals.of(rng.nextInt(1, 5), 4);
    // draw the dynamics once so the model is a fixed function
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
        (s, a) -> dyn.get(s).get(a), gamma).withTerminal(List.of(-1)).tabulate();
  }

  /** A random exact policy over actions {0, 1}; zeros are frequent (cuts and no coverage). */
  static Policy<Integer, Integer> policy(SplittableRandom rng, int numStates) {
    List<Dist<Integer>> table = new ArrayList<>();
    for (int s = 0; s < numStates; s++) {
      int k = rng.nextInt(0, 5);
      table.add(Dist.ofExact(List.of(0, 1), new BigFraction[] {Rationals.of(k, 4),
          Rationals.of(4 - k, 4)}));
    }
    return Policy.stochastic(s -> table.get(s));
  }

  static List<TraceRule> rules(BigFraction l) {
    return List.of(TraceRule.importanceSampling(l), TraceRule.qLambda(l), TraceRule.treeBackup(l),
        TraceRule.retrace(l), TraceRule.truncatedIs(l), TraceRule.recursiveRetrace(l),
        TraceRule.rbis(l));
  }

  @Test
  void lawsOnRandomDags() {
    SplittableRandom rng = new SplittableRandom(20231);
    for (int i = 0; i < MODELS; i++) {
      TabularMdp<Integer, Integer> m = dag(rng, rng.nextInt(1, 4), rng.nextInt(1, 3));
      Policy<Integer, Integer> pi = policy(rng, m.numStates());
      Policy<Integer, Integer> mu = policy(rng, m.numStates());
      BigFraction lambda = Rationals.of(rng.nextInt(0, 5), 4);
      String where = "model " + i + " " + m + ", lambda " + Rationals.format(lambda);
      BigFraction[] zero = new BigFraction[m.numRows()];
      java.util.Arrays.fill(zero, BigFraction.ZERO);
      BigFraction[] qPi = ExactInterpreter.apply(Operators.power(Operators.policy(pi),
          m.numStates() + 1), m, zero);
      BigFraction[] p = ExactTraces.tabulate(pi, m, "target");
      BigFraction[] b = ExactTraces.tabulate(mu, m, "behaviour");
      BigFraction[][] retraceZ = null;
      for (TraceRule rule : rules(lambda)) {
        String w = where + ", " + rule;
        ExactTraceOperator op = TraceOperators.exact(m, pi, mu, rule);
        // fixed point M Q^pi = Q^pi (spec (3)), for every rule
        assertArrayEquals(qPi, op.apply(qPi), w);
        if (rule.isPerDecision()) {
          // closed form and layered computation are independent paths to the same operator
          ExactTraceOperator layered = ExactTraces.layered(m, p, b, rule, "layered", 0);
          assertArrayEquals(op.linear(), layered.linear(), w);
          assertArrayEquals(op.offset(), layered.offset(), w);
          assertEquals(op.certificate().conditionHolds(),
              layered.certificate().conditionHolds(), w);
        }
        boolean covered = !(rule instanceof TraceRule.QLambda
            || rule instanceof TraceRule.TruncatedIs);
        if (covered) {
          // Condition 5.1 holds, so Z >= 0 and ||Z||_inf <= gamma (spec 4.1)
          assertTrue(op.certificate().conditionHolds(), w + ": " + op.certificate().explain());
          for (BigFraction[] row : op.linear()) {
            for (BigFraction v : row) {
              assertTrue(Rationals.signum(v) >= 0, w + ": negative entry " + v);
            }
          }
          assertTrue(op.norm().compareTo(m.exact().discount()) <= 0, w);
        }
        if (rule instanceof TraceRule.Retrace) {
          retraceZ = op.linear();
        }
        if (retraceZ != null && (rule instanceof TraceRule.Rbis
            || rule instanceof TraceRule.RecursiveRetrace)) {
          // larger traces, smaller rows of Z (spec 8.11): Retrace is pathwise smallest
          for (int r = 0; r < m.numRows(); r++) {
            assertTrue(rowSum(op.linear()[r]).compareTo(rowSum(retraceZ[r])) <= 0, w + " row " + r);
          }
        }
        // exact and double agree (spec 8.18)
        DoubleTraceOperator d = TraceOperators.ofDouble(m, pi, mu, rule);
        for (int r = 0; r < m.numRows(); r++) {
          assertArrayEquals(Rationals.toDoubles(op.linear()[r]), d.linear()[r], 1e-12, w);
        }
        assertArrayEquals(Rationals.toDoubles(op.offset()), d.offset(), 1e-12, w);
        assertEquals(op.certificate().conditionHolds(), d.certificate().conditionHolds(), w);
      }
    }
  }

  @Test
  void aCustomRuleWrittenAsRbisIsRbis() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 10; i++) {
      TabularMdp<Integer, Integer> m = dag(rng, 3, 2);
      Policy<Integer, Integer> pi = policy(rng, m.numStates());
      Policy<Integer, Integer> mu = policy(rng, m.numStates());
      BigFraction l = Rationals.of(3, 4);
      TraceRule mine = TraceRule.custom("my RBIS", BigFraction.ONE, (beta, t, rho, p) -> {
        BigFraction cap = l.pow(t);
        BigFraction next = rho.multiply(beta).compareTo(cap) < 0 ? rho.multiply(beta) : cap;
        return new TraceRule.Update(next, next);
      });
      ExactTraceOperator a = TraceOperators.exact(m, pi, mu, mine);
      ExactTraceOperator b = TraceOperators.exact(m, pi, mu, TraceRule.rbis(l));
      assertArrayEquals(b.linear(), a.linear());
      assertArrayEquals(b.offset(), a.offset());
      // the double tier runs a custom rule exactly on the doubles' exact values
      DoubleTraceOperator d = TraceOperators.ofDouble(m, pi, mu, mine);
      for (int r = 0; r < m.numRows(); r++) {
        assertArrayEquals(Rationals.toDoubles(b.linear()[r]), d.linear()[r], 1e-12);
      }
    }
  }

  private static BigFraction rowSum(BigFraction[] row) {
    BigFraction acc = BigFraction.ZERO;
    for (BigFraction v : row) {
      acc = acc.add(v);
    }
    return acc;
  }

  /**
   * The definition of M (spec 2.1) by enumerating every history of a DAG model from each start
   * pair: (M Q)(s, a) = Q(s, a) + sum over histories of probability x gamma^t beta_t delta_t, with
   * beta from the rule's state machine and delta_t = r(S_t, A_t) + gamma sum_a' pi(a'|S_{t+1})
   * Q(S_{t+1}, a') - Q(S_t, A_t). No occupancy matrices and no Z: an independent path (spec 8.15,
   * exact, no sampling tolerance).
   */
  @Test
  void operatorEqualsTheHistorySumOfItsDefinition() {
    SplittableRandom rng = new SplittableRandom(99);
    for (int i = 0; i < 25; i++) {
      TabularMdp<Integer, Integer> m = dag(rng, rng.nextInt(1, 4), rng.nextInt(1, 3));
      Policy<Integer, Integer> pi = policy(rng, m.numStates());
      Policy<Integer, Integer> mu = policy(rng, m.numStates());
      BigFraction lambda = Rationals.of(rng.nextInt(0, 5), 4);
      BigFraction[] q = new BigFraction[m.numRows()];
      for (int r = 0; r < q.length; r++) {
        q[r] = Rationals.of(rng.nextInt(-6, 7), rng.nextInt(1, 4));
      }
      BigFraction[] p = ExactTraces.tabulate(pi, m, "target");
      BigFraction[] b = ExactTraces.tabulate(mu, m, "behaviour");
      for (TraceRule rule : rules(lambda)) {
        BigFraction[] got = TraceOperators.exact(m, pi, mu, rule).apply(q);
        for (int r0 = 0; r0 < m.numRows(); r0++) {
          BigFraction want = q[r0].add(histories(m, p, b, q, rule, r0, 0, BigFraction.ONE,
              rule.initial(), BigFraction.ONE, BigFraction.ONE));
          assertEquals(want, got[r0], "model " + i + ", " + rule + ", row " + r0);
        }
      }
    }
  }

  /** sum over continuations of prob gamma^t beta_t delta_t, from row r at step t. */
  private static BigFraction histories(TabularMdp<Integer, Integer> m, BigFraction[] pi,
      BigFraction[] mu, BigFraction[] q, TraceRule rule, int r, int t, BigFraction beta,
      BigFraction stat, BigFraction prob, BigFraction discountT) {
    TabularMdp.Exact ex = m.exact();
    BigFraction g = ex.discount();
    BigFraction boot = BigFraction.ZERO;
    for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
      int s2 = m.next(k);
      for (int r2 = m.rowStart(s2); r2 < m.rowEnd(s2); r2++) {
        boot = boot.add(ex.prob()[k].multiply(pi[r2]).multiply(q[r2]));
      }
    }
    BigFraction delta = ex.reward()[r].add(g.multiply(boot)).subtract(q[r]);
    BigFraction acc = prob.multiply(discountT).multiply(beta).multiply(delta);
    for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
      int s2 = m.next(k);
      for (int r2 = m.rowStart(s2); r2 < m.rowEnd(s2); r2++) {
        BigFraction w = prob.multiply(ex.prob()[k]).multiply(mu[r2]);
        if (Rationals.signum(w) == 0) {
          continue;
        }
        TraceRule.Update u = rule.step(stat, t + 1, pi[r2].divide(mu[r2]), pi[r2]);
        acc = acc.add(histories(m, pi, mu, q, rule, r2, t + 1, u.beta(), u.statistic(), w,
            discountT.multiply(g)));
      }
    }
    return acc;
  }
}
