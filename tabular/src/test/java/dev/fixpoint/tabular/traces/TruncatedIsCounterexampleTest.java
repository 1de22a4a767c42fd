package dev.fixpoint.tabular.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TraceRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Counterexample 5.7 of Daley et al. (2023), off-policy truncated IS (spec {@code traces.md}
 * section 4.2): one state, two actions, mu = (1/2, 1/2), pi = (0.6, 0.4), so rho = (1.2, 0.8);
 * lambda = 1, gamma = 0.94. The authors' script {@code counterexamples/offpolicy_truncated_is.py}
 * prints ||Z||_inf = 1.14014 with Z = [[0.70451, -0.43563], [same]].
 */
class TruncatedIsCounterexampleTest {
  static final int HORIZON = 1500;

  /**
   * B_t[., a'] = 1/2 sum_{k=0}^{t-1} C(t-1, k) min(2^-(t-1), rho_a' 0.6^k 0.4^(t-1-k)): among
   * the first t - 1 actions, k are action 0 (each sequence has probability 2^-(t-1), and
   * 2^-(t-1) 1.2^k 0.8^(t-1-k) = 0.6^k 0.4^(t-1-k)); A_t = a' has probability 1/2. Log space.
   */
  static List<double[][]> layers() {
    double[] rho = {1.2, 0.8};
    List<double[][]> out = new ArrayList<>();
    out.add(new double[][] {{1, 0}, {0, 1}});
    for (int t = 1; t <= HORIZON; t++) {
      int n = t - 1;
      double[] col = new double[2];
      double logC = 0;
      for (int k = 0; k <= n; k++) {
        for (int a = 0; a < 2; a++) {
          double logTerm = Math.min(-n * Math.log(2),
              Math.log(rho[a]) + k * Math.log(0.6) + (n - k) * Math.log(0.4));
          col[a] += Math.exp(logC + logTerm);
        }
        logC += Math.log(n - k) - Math.log(k + 1);
      }
      out.add(new double[][] {{col[0] / 2, col[1] / 2}, {col[0] / 2, col[1] / 2}});
    }
    return out;
  }

  @Test
  void truncatedIsBreaksTheContractionAtGamma094() {
    double[][] pPi = {{0.6, 0.4}, {0.6, 0.4}};
    DoubleTraceOperator m = TraceOperators.fromLayers("truncated IS, counterexample 5.7", pPi,
        new double[2], 0.94, layers(), false);
    // truncation leaves out at most 2 * 0.94^1501 / 0.06, about 1e-39
    assertEquals(1.14014, m.norm(), 1e-4);
    assertEquals(0.70451, m.linear()[0][0], 1e-4);
    assertEquals(-0.43563, m.linear()[0][1], 1e-4);
    assertEquals(0.70451, m.linear()[1][0], 1e-4);
    ContractionCertificate c = m.certificate();
    assertFalse(c.conditionHolds());
    assertFalse(c.isContraction());
    assertTrue(c.explain().contains("condition violated"), c.explain());
    assertTrue(c.explain().contains("no contraction certificate"), c.explain());
  }

  @Test
  void theRuleItselfInDoubleGivesTheSameNorm() {
    // the same counterexample through TraceOperators.ofDouble on the model, truncated at horizon
    // 250: the occupancy left out is at most 0.94^251 / 0.06, about 3e-6 (the automatic horizon
    // for 1e-13, about 530, takes some 20 s here: entries grow about quadratically in double)
    TabularMdp<String, String> one = Mdp.<String, String>of(List.of("s"),
        s -> List.of("a0", "a1"), (s, a) -> Dist.dirac(Outcome.of("s", 0)), 0.94).tabulate();
    Policy<String, String> pi = Policy.stochastic(s -> Dist.ofDoubles(List.of("a0", "a1"),
        new double[] {0.6, 0.4}));
    DoubleTraceOperator m = TraceOperators.ofDouble(one, pi, Policy.uniform(),
        TraceRule.truncatedIs("1"), 250);
    assertTrue(m.tail() < 4e-6, "tail " + m.tail());
    assertEquals(1.14014, m.norm(), 1e-5 + m.certificate().normError());
    assertEquals(0.70451, m.linear()[0][0], 1e-5 + m.certificate().normError());
    assertFalse(m.certificate().isContraction());
    assertFalse(m.certificate().conditionHolds());
  }
}
