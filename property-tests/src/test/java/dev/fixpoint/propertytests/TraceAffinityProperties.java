package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.traces.ExactTraceOperator;
import dev.fixpoint.tabular.traces.TraceOperators;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Spec {@code traces.md} section 8 item 4, affinity of the trace operator (Daley, White, Amato and
 * Machado, ICML 2023, equation (3): M Q = Q + E_mu[sum_t gamma^t beta_t delta_t], with traces that
 * never read Q). Here M is applied <em>by its definition</em>: the probability-weighted sum over
 * every trajectory of a terminating DAG model of the exact forward-view return ({@link
 * dev.fixpoint.tabular.learn.TraceUpdates#forwardReturn}, the rule's own state machine), not
 * through the stored form b + Z Q, so neither law below holds by construction.
 *
 * <p>Mutations seen failing: TD errors clipped at 0 in the exact forward return (a non-affine
 * rule application: law 1 and 2 fail); P_mu instead of P_pi in the layered Z (law 2 fails, law 1
 * still holds, as it must).
 */
class TraceAffinityProperties {

  /** M Q by the definition: Q(s, a) + sum over trajectories from (s, a) of P(path) G(path). */
  static BigFraction[] byDefinition(TraceProperties.Dag d, BigFraction[] q) {
    TraceProperties.Dag withQ = new TraceProperties.Dag(d.m(), d.pi(), d.mu(), q, d.rule(),
        d.seed());
    TabularMdp<Integer, Integer> m = d.m();
    BigFraction[] out = new BigFraction[m.numRows()];
    for (int r0 = 0; r0 < m.numRows(); r0++) {
      List<TraceProperties.Path> paths = new ArrayList<>();
      TraceProperties.enumerate(withQ, new TraceProperties.Path(BigFraction.ONE, List.of(r0)),
          paths);
      BigFraction sum = q[r0];
      for (TraceProperties.Path p : paths) {
        sum = sum.add(p.prob().multiply(TraceProperties.exactReturn(withQ, p.rows())));
      }
      out[r0] = sum;
    }
    return out;
  }

  /** A weight a in {-3/2, -1/3, 0, 1/4, 2/3, 1, 5/2}: affinity is for every rational a. */
  static final BigFraction[] WEIGHTS = {Rationals.of(-3, 2), Rationals.of(-1, 3),
      BigFraction.ZERO, Rationals.of(1, 4), Rationals.of(2, 3), BigFraction.ONE,
      Rationals.of(5, 2)};

  /**
   * Law 1: M(a Q + (1 - a) Q') = a M Q + (1 - a) M Q', exactly in rationals, for M by its
   * definition, every rule (condition-breaking ones included) and rational a (not only in [0,
   * 1]). Law 2 (the spec's wording): b = M 0 and the columns M e_j - M 0 of M on basis vectors
   * equal the offset and the Z that {@link TraceOperators#exact} builds from the layered B_t
   * (spec 2.2, formula (2)), so M Q - M Q' = Z (Q - Q').
   */
  @Test
  void traceOperatorIsAffineWithTheLayeredZ() {
    qt().withFixedSeed(401).withExamples(80)
        .forAll(QuickTheoriesGen.of(TraceProperties.dags(false)))
        .checkAssert(d -> {
          TabularMdp<Integer, Integer> m = d.m();
          int n = m.numRows();
          java.util.SplittableRandom rng = new java.util.SplittableRandom(d.seed());
          BigFraction[] q2 = new BigFraction[n];
          for (int r = 0; r < n; r++) {
            q2[r] = Rationals.of(rng.nextInt(-6, 7), rng.nextInt(1, 4));
          }
          BigFraction a = WEIGHTS[rng.nextInt(WEIGHTS.length)];
          BigFraction b = BigFraction.ONE.subtract(a);
          BigFraction[] mix = new BigFraction[n];
          for (int r = 0; r < n; r++) {
            mix[r] = a.multiply(d.q()[r]).add(b.multiply(q2[r]));
          }
          BigFraction[] mq = byDefinition(d, d.q());
          BigFraction[] mq2 = byDefinition(d, q2);
          BigFraction[] mmix = byDefinition(d, mix);
          for (int r = 0; r < n; r++) {
            assertEquals(a.multiply(mq[r]).add(b.multiply(mq2[r])), mmix[r],
                "law 1, a = " + a + ", row " + r);
          }
          ExactTraceOperator op = TraceOperators.exact(m, d.target().asPolicy(),
              d.behaviour().asPolicy(), d.rule());
          BigFraction[] zero = new BigFraction[n];
          java.util.Arrays.fill(zero, BigFraction.ZERO);
          BigFraction[] m0 = byDefinition(d, zero);
          for (int r = 0; r < n; r++) {
            assertEquals(op.offset()[r], m0[r], "law 2, b at row " + r);
          }
          for (int j = 0; j < n; j++) {
            BigFraction[] e = zero.clone();
            e[j] = BigFraction.ONE;
            BigFraction[] me = byDefinition(d, e);
            for (int r = 0; r < n; r++) {
              assertEquals(op.linear()[r][j], me[r].subtract(m0[r]),
                  "law 2, Z[" + r + "][" + j + "]");
            }
          }
        });
  }
}
