package dev.fixpoint.tabular.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TraceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Pathwise laws of the trace rules on seeded random ratio sequences (spec {@code traces.md}
 * section 3 and section 8, items 7, 8 and 9), exact in rationals. Expected values come from the
 * closed forms of the spec's table, not from the recursions under test.
 */
class TraceRuleTest {
  static final BigFraction[] PROBS = {Rationals.of(0, 1), Rationals.of(1, 4), Rationals.of(1, 2),
      Rationals.of(3, 4), Rationals.of(1, 1)};

  /** A history of (pi_t, mu_t) with mu_t &gt; 0; rho_t = pi_t / mu_t. */
  record Step(BigFraction pi, BigFraction mu) {
    BigFraction rho() {
      return pi.divide(mu);
    }
  }

  static List<Step> history(SplittableRandom rng, int length) {
    List<Step> h = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      BigFraction pi = PROBS[rng.nextInt(rng.nextInt(4) == 0 ? 0 : 1, PROBS.length)];
      h.add(new Step(pi, PROBS[rng.nextInt(1, PROBS.length)]));
    }
    return h;
  }

  /** beta_0 .. beta_T by running the rule's state machine. */
  static List<BigFraction> betas(TraceRule rule, List<Step> h) {
    List<BigFraction> out = new ArrayList<>();
    out.add(BigFraction.ONE);
    BigFraction stat = rule.initial();
    for (int t = 1; t <= h.size(); t++) {
      TraceRule.Update u = rule.step(stat, t, h.get(t - 1).rho(), h.get(t - 1).pi());
      out.add(u.beta());
      stat = u.statistic();
    }
    return out;
  }

  static BigFraction prod(List<Step> h, int from, int to) {
    BigFraction p = BigFraction.ONE;
    for (int i = from; i <= to; i++) {
      p = p.multiply(h.get(i - 1).rho());
    }
    return p;
  }

  static BigFraction min(BigFraction a, BigFraction b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Test
  void recursionsEqualTheClosedForms() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int trial = 0; trial < 400; trial++) {
      List<Step> h = history(rng, rng.nextInt(1, 8));
      BigFraction l = PROBS[rng.nextInt(PROBS.length)];
      List<BigFraction> rbis = betas(TraceRule.rbis(l), h);
      List<BigFraction> tis = betas(TraceRule.truncatedIs(l), h);
      List<BigFraction> rr = betas(TraceRule.recursiveRetrace(l), h);
      for (int t = 1; t <= h.size(); t++) {
        String w = "lambda " + l + ", t " + t + ", history " + h;
        // RBIS: min over 0 <= k <= t of lambda^k prod_{i=k+1}^t rho_i
        BigFraction e = l.pow(0).multiply(prod(h, 1, t));
        for (int k = 1; k <= t; k++) {
          e = min(e, l.pow(k).multiply(prod(h, k + 1, t)));
        }
        assertEquals(e, rbis.get(t), "RBIS " + w);
        // truncated IS: lambda^t min(1, prod rho)
        assertEquals(l.pow(t).multiply(min(BigFraction.ONE, prod(h, 1, t))), tis.get(t), w);
        // recursive Retrace: min(lambda, lambda^2 rho_t, ..., lambda^t rho_2..rho_t,
        // lambda^t rho_1..rho_t)
        BigFraction r = l.pow(t).multiply(prod(h, 1, t));
        for (int j = 0; j < t; j++) {
          r = min(r, l.pow(j + 1).multiply(prod(h, t - j + 1, t)));
        }
        assertEquals(r, rr.get(t), "RR " + w);
      }
    }
  }

  @Test
  void conditionFiveOneHoldsPathwiseForTheCoveredRules() {
    SplittableRandom rng = new SplittableRandom(12);
    for (int trial = 0; trial < 400; trial++) {
      List<Step> h = history(rng, rng.nextInt(1, 8));
      BigFraction l = PROBS[rng.nextInt(PROBS.length)];
      for (TraceRule rule : List.of(TraceRule.importanceSampling(l), TraceRule.treeBackup(l),
          TraceRule.retrace(l), TraceRule.recursiveRetrace(l), TraceRule.rbis(l))) {
        List<BigFraction> b = betas(rule, h);
        for (int t = 1; t <= h.size(); t++) {
          assertTrue(Rationals.signum(b.get(t)) >= 0);
          assertTrue(b.get(t).compareTo(h.get(t - 1).rho().multiply(b.get(t - 1))) <= 0,
              rule + " at t " + t + " on " + h);
        }
      }
    }
  }

  @Test
  void conditionFiveOneWitnesses() {
    // spec 4.1: truncated IS on rho = (3, 1/2), lambda = 1: beta = (1, 1, 1) but rho_2 beta_1 = 1/2
    List<Step> h = List.of(new Step(Rationals.of(3, 4), Rationals.of(1, 4)),
        new Step(Rationals.of(1, 4), Rationals.of(1, 2)));
    assertEquals(List.of(BigFraction.ONE, BigFraction.ONE, BigFraction.ONE),
        betas(TraceRule.truncatedIs("1"), h));
    // Q(lambda) with rho_1 = 1/3 < lambda = 1/2: beta_1 = 1/2 > rho_1 beta_0
    List<Step> h2 = List.of(new Step(Rationals.of(1, 4), Rationals.of(3, 4)));
    assertEquals(Rationals.of(1, 2), betas(TraceRule.qLambda("1/2"), h2).get(1));
  }

  @Test
  void boundsAndIdentities() {
    SplittableRandom rng = new SplittableRandom(13);
    for (int trial = 0; trial < 400; trial++) {
      List<Step> h = history(rng, rng.nextInt(1, 8));
      BigFraction l = PROBS[rng.nextInt(PROBS.length)];
      List<BigFraction> rbis = betas(TraceRule.rbis(l), h);
      List<BigFraction> rr = betas(TraceRule.recursiveRetrace(l), h);
      List<BigFraction> tis = betas(TraceRule.truncatedIs(l), h);
      List<BigFraction> ret = betas(TraceRule.retrace(l), h);
      boolean cut = false;
      for (int t = 1; t <= h.size(); t++) {
        String w = "lambda " + l + ", t " + t + ", history " + h;
        assertTrue(rbis.get(t).compareTo(min(l.pow(t), prod(h, 1, t))) <= 0, w);
        assertTrue(rr.get(t).compareTo(l) <= 0, w);
        assertTrue(ret.get(t).compareTo(rr.get(t)) <= 0, w);
        assertTrue(ret.get(t).compareTo(tis.get(t)) <= 0, w);
        assertTrue(ret.get(t).compareTo(rbis.get(t)) <= 0, w);
        cut |= Rationals.signum(h.get(t - 1).rho()) == 0;
        if (cut) {
          for (List<BigFraction> b : List.of(rbis, rr, tis, ret)) {
            assertEquals(BigFraction.ZERO, b.get(t), "a zero ratio cuts for good: " + w);
          }
        }
      }
      assertEquals(betas(TraceRule.rbis("1"), h), betas(TraceRule.recursiveRetrace("1"), h));
    }
  }

  @Test
  void kindsAndLambdaRange() {
    for (TraceRule r : List.of(TraceRule.importanceSampling("1"), TraceRule.qLambda("1"),
        TraceRule.treeBackup("1"), TraceRule.retrace("1"))) {
      assertTrue(r.isPerDecision(), r.toString());
    }
    for (TraceRule r : List.of(TraceRule.truncatedIs("1"), TraceRule.recursiveRetrace("1"),
        TraceRule.rbis("1"), TraceRule.custom("c", BigFraction.ONE,
            (s, t, rho, p) -> new TraceRule.Update(s, s)))) {
      assertFalse(r.isPerDecision(), r.toString());
    }
    assertThrows(ModelException.class, () -> TraceRule.rbis("11/10"));
    assertThrows(ModelException.class, () -> TraceRule.retrace("-1/2"));
    assertThrows(ModelException.class, () -> new TraceRule.Update(Rationals.of(-1, 2),
        BigFraction.ONE));
  }
}
