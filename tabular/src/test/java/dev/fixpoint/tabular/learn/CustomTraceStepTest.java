package dev.fixpoint.tabular.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TraceRule;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** A user's rule with a double step: the learners use it, with no exact step per entry. */
class CustomTraceStepTest {
  static final BigFraction HALF = Rationals.of(1, 2);

  /** RBIS(1/2) written by a user, exact step counted, with or without its double twin. */
  static TraceRule userRbis(AtomicInteger exactCalls, boolean withFast) {
    TraceRule.Step exact = (beta, t, rho, p) -> {
      exactCalls.incrementAndGet();
      BigFraction cap = HALF.pow(t);
      BigFraction next = rho.multiply(beta).compareTo(cap) < 0 ? rho.multiply(beta) : cap;
      return new TraceRule.Update(next, next);
    };
    if (!withFast) {
      return TraceRule.custom("user RBIS", BigFraction.ONE, exact);
    }
    return TraceRule.custom("user RBIS", BigFraction.ONE, exact, (beta, t, rho, p, out) -> {
      double next = Math.min(Math.pow(0.5, t), rho * beta);
      out[0] = next;
      out[1] = next;
    });
  }

  // By hand, RBIS(1/2) (Daley et al. 2023): rho_1 = 2 gives beta_1 = min(1/2, 2 * 1) = 1/2;
  // rho_2 = 1/2 gives beta_2 = min(1/4, 1/2 * 1/2) = 1/4; rho_3 = 0 gives 0.
  @Test
  void theDoubleStepRunsInsteadOfTheExactOne() {
    AtomicInteger calls = new AtomicInteger();
    TraceBuffer b = TraceBuffer.create(userRbis(calls, true), 1.0);
    b.push(0);
    b.advance(2, 1);
    assertEquals(0.5, b.beta(0));
    b.advance(0.5, 1);
    assertEquals(0.25, b.beta(0));
    b.advance(0, 1);
    assertEquals(0, b.beta(0));
    assertEquals(0, calls.get(), "the exact step ran in the learner");
  }

  // The same stream through the built-in RBIS, the user's exact step and the user's double step.
  @Test
  void doubleStepAgreesWithTheExactStepAndTheBuiltInRule() {
    SplittableRandom rng = new SplittableRandom(7);
    int n = 200;
    int[] rows = new int[n];
    double[] rho = new double[n];
    double[] pi = new double[n];
    double[] delta = new double[n];
    boolean[] done = new boolean[n];
    for (int t = 0; t < n; t++) {
      rows[t] = rng.nextInt(5);
      rho[t] = rng.nextInt(9) / 4.0;
      pi[t] = rng.nextInt(5) / 4.0;
      delta[t] = rng.nextDouble(-1, 1);
      done[t] = rng.nextInt(25) == 0;
    }
    done[n - 1] = true;
    TraceSteps steps = new TraceSteps(rows, rho, pi, delta, done);
    AtomicInteger exactCalls = new AtomicInteger();
    AtomicInteger fastCalls = new AtomicInteger();
    double[] builtIn = TraceUpdates.backward(TraceRule.rbis(HALF), 0.9, steps, 5);
    double[] exact = TraceUpdates.backward(userRbis(exactCalls, false), 0.9, steps, 5);
    double[] fast = TraceUpdates.backward(userRbis(fastCalls, true), 0.9, steps, 5);
    for (int r = 0; r < 5; r++) {
      assertEquals(builtIn[r], exact[r], 1e-12, "exact, row " + r);
      assertEquals(builtIn[r], fast[r], 1e-12, "fast, row " + r);
    }
    assertTrue(exactCalls.get() > 0);
    assertEquals(0, fastCalls.get());
  }

  @Test
  void aNegativeDoubleTraceIsRefusedWithItsPlace() {
    TraceRule bad = TraceRule.custom("bad", BigFraction.ONE,
        (beta, t, rho, p) -> new TraceRule.Update(beta, beta),
        (beta, t, rho, p, out) -> {
          out[0] = -rho;
          out[1] = beta;
        });
    TraceBuffer b = TraceBuffer.create(bad, 1.0);
    b.push(3);
    ModelException e = assertThrows(ModelException.class, () -> b.advance(0.5, 1));
    assertTrue(e.getMessage().contains("beta = -0.5 at t = 1"), e.getMessage());
  }
}
