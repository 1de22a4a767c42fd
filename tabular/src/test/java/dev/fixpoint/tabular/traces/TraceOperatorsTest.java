package dev.fixpoint.tabular.traces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Operator;
import dev.fixpoint.dsl.Operators;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TraceRule;
import dev.fixpoint.tabular.operators.DoubleInterpreter;
import dev.fixpoint.tabular.operators.ExactInterpreter;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** Exact trace operators on small models whose values were computed by hand in fractions. */
class TraceOperatorsTest {
  /** One state s, actions a0 (reward 1) and a1 (reward 0), both stay in s; gamma 1/2. */
  static final TabularMdp<String, String> LOOP = Mdp.<String, String>of(List.of("s"),
      s -> List.of("a0", "a1"),
      (s, a) -> Dist.dirac(Outcome.of("s", a.equals("a0") ? 1 : 0)), "1/2").tabulate();

  /**
   * A terminating DAG: a -x-> b (reward 1), a -y-> b or end with 1/2 each (reward 0); b -x-> end
   * (reward 2), b -y-> a terminal end (reward -1); gamma 9/10. Rows: (a,x), (a,y), (b,x), (b,y).
   */
  static final TabularMdp<String, String> DAG = Mdp.<String, String>of(
      List.of("a", "b", "end"),
      s -> s.equals("end") ? List.of() : List.of("x", "y"),
      (s, a) -> switch (s + a) {
        case "ax" -> Dist.dirac(Outcome.of("b", 1));
        case "ay" -> Dist.uniform(Outcome.of("b", 0), Outcome.of("end", 0));
        case "bx" -> Dist.dirac(Outcome.of("end", 2));
        default -> Dist.dirac(Outcome.of("end", -1));
      }, "9/10").withTerminal(List.of("end")).tabulate();

  static Policy<String, String> policy(String p0, String p1) {
    return Policy.stochastic(s -> Dist.ofExact(List.of(s.equals("s") ? "a0" : "x",
        s.equals("s") ? "a1" : "y"), new BigFraction[] {Rationals.parse(p0),
            Rationals.parse(p1)}));
  }

  static BigFraction[] q(String... xs) {
    BigFraction[] out = new BigFraction[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = Rationals.parse(xs[i]);
    }
    return out;
  }

  static final Policy<String, String> PI = policy("3/4", "1/4");
  static final Policy<String, String> MU = policy("1/2", "1/2");

  static List<TraceRule> allRules(String lambda) {
    return List.of(TraceRule.importanceSampling(lambda), TraceRule.qLambda(lambda),
        TraceRule.treeBackup(lambda), TraceRule.retrace(lambda), TraceRule.truncatedIs(lambda),
        TraceRule.recursiveRetrace(lambda), TraceRule.rbis(lambda));
  }

  @Test
  void retraceOnTheLoopByHand() {
    // rho = (3/2, 1/2), c = (1, 1/2), P_cmu rows (1/2, 1/4), P_pi rows (3/4, 1/4), gamma 1/2.
    // (I - P_cmu / 2) Z = (P_pi - P_cmu) / 2 = [[1/8, 0], [1/8, 0]] gives Z = [[1/5, 0], [1/5, 0]];
    // (I - P_cmu / 2) b = r = (1, 0) gives b = (7/5, 2/5). Q^pi = (7/4, 3/4) is fixed:
    // b + Z Q^pi = (7/5 + 7/20, 2/5 + 7/20).
    ExactTraceOperator m = TraceOperators.exact(LOOP, PI, MU, TraceRule.retrace("1"));
    assertArrayEquals(new BigFraction[][] {q("1/5", "0"), q("1/5", "0")}, m.linear());
    assertArrayEquals(q("7/5", "2/5"), m.offset());
    assertArrayEquals(q("7/4", "3/4"), m.apply(q("7/4", "3/4")));
    assertEquals(Rationals.parse("1/5"), m.norm());
    assertTrue(m.certificate().conditionHolds(), m.certificate().explain());
    assertTrue(m.certificate().isContraction());
    assertEquals(0.2, m.certificate().modulus(), 1e-15);
    assertTrue(m.certificate().explain().contains("Condition 5.1 holds"));
    assertTrue(m.certificate().explain().contains("0.2-contraction"));

    Operator op = Operators.traces(PI, MU, TraceRule.retrace("1"));
    assertArrayEquals(q("7/5", "2/5"), ExactInterpreter.apply(op, LOOP, q("0", "0")));
    assertArrayEquals(new double[] {1.4, 0.4}, DoubleInterpreter.apply(op, LOOP, new double[2]),
        1e-14);
    assertEquals(0.2, DoubleInterpreter.modulus(op, LOOP), 1e-14);
  }

  @Test
  void lambdaZeroIsThePolicyOperatorForEveryRule() {
    // spec 4.1 / 7: lambda = 0 gives beta_t = 0 for t >= 1, so M = T_pi
    BigFraction[] q = q("1/3", "-2", "5/7", "1");
    BigFraction[] expected = ExactInterpreter.apply(Operators.policy(PI), DAG, q);
    for (TraceRule rule : allRules("0")) {
      assertArrayEquals(expected, ExactInterpreter.apply(Operators.traces(PI, MU, rule), DAG, q),
          rule.toString());
    }
    BigFraction[] q2 = q("1/3", "-2");
    BigFraction[] expected2 = ExactInterpreter.apply(Operators.policy(PI), LOOP, q2);
    for (TraceRule rule : allRules("0").subList(0, 4)) {
      assertArrayEquals(expected2, ExactInterpreter.apply(Operators.traces(PI, MU, rule), LOOP,
          q2), rule.toString());
      // the modulus is exactly gamma when lambda = 0 (spec 4.1)
      assertEquals(Rationals.parse("1/2"), TraceOperators.exact(LOOP, PI, MU, rule).norm());
    }
  }

  @Test
  void onPolicyRulesAreTheLambdaReturnOfThePolicyOperator() {
    // spec 8.2: pi = mu makes IS, Retrace, TIS, RR and RBIS (and Q(lambda)) traces lambda^t;
    // compared with the independent closed form of Operators.lambda(lambda, T^pi)
    BigFraction[] q = q("1/3", "-2", "5/7", "1");
    Operator lambdaReturn = Operators.lambda("1/2", Operators.policy(PI));
    BigFraction[] expected = ExactInterpreter.apply(lambdaReturn, DAG, q);
    for (TraceRule rule : allRules("1/2")) {
      BigFraction[] got = ExactInterpreter.apply(Operators.traces(PI, PI, rule), DAG, q);
      if (rule instanceof TraceRule.TreeBackup) {
        assertNotEquals(List.of(expected), List.of(got), "tree backup is a negative control");
      } else {
        assertArrayEquals(expected, got, rule.toString());
      }
    }
    BigFraction[] q2 = q("1/3", "-2");
    assertArrayEquals(ExactInterpreter.apply(lambdaReturn, LOOP, q2), ExactInterpreter.apply(
        Operators.traces(PI, PI, TraceRule.qLambda("1/2")), LOOP, q2));
  }

  @Test
  void everyRuleFixesQPiOnTheDag() {
    // spec (3): M Q^pi = Q^pi; on the DAG (depth 2) Q^pi = (T^pi)^3 0 exactly
    BigFraction[] qPi = ExactInterpreter.apply(Operators.power(Operators.policy(PI), 3), DAG,
        q("0", "0", "0", "0"));
    for (TraceRule rule : allRules("9/10")) {
      assertArrayEquals(qPi, TraceOperators.exact(DAG, PI, MU, rule).apply(qPi),
          rule.toString());
      double[] d = TraceOperators.ofDouble(DAG, PI, MU, rule).apply(Rationals.toDoubles(qPi));
      assertArrayEquals(Rationals.toDoubles(qPi), d, 1e-13, rule.toString());
    }
  }

  @Test
  void importanceSamplingWithLambdaOneJumpsToQPi() {
    // spec 4.1 consequences: IS with lambda = 1 has Z = 0
    ExactTraceOperator m = TraceOperators.exact(LOOP, PI, MU, TraceRule.importanceSampling("1"));
    assertEquals(BigFraction.ZERO, m.norm());
    assertArrayEquals(q("7/4", "3/4"), m.offset());
  }

  @Test
  void qLambdaOffPolicyBreaksTheCondition() {
    // spec 4.1: Q(lambda) violates Condition 5.1 where rho < lambda: rho(a1) = 1/2 < 1
    ExactTraceOperator m = TraceOperators.exact(LOOP, PI, MU, TraceRule.qLambda("1"));
    assertFalse(m.certificate().conditionHolds());
    assertTrue(m.certificate().explain().contains("condition violated"),
        m.certificate().explain());
    for (TraceRule rule : List.of(TraceRule.importanceSampling("9/10"),
        TraceRule.treeBackup("9/10"), TraceRule.retrace("9/10"))) {
      ContractionCertificate c = TraceOperators.exact(LOOP, PI, MU, rule).certificate();
      assertTrue(c.conditionHolds(), c.explain());
      assertTrue(c.norm() <= 0.5, c.explain());
    }
  }

  @Test
  void onPolicyBinaryTraceCounterexample() {
    // spec 4.2, counterexample 5.8: one state, two actions, pi = mu = (1/2, 1/2), beta_t = 1{A_t =
    // action 0}: B_t = 1/2 [[1, 0], [1, 0]] for t >= 1; at gamma = 2/3, Z = [[-1/3, 2/3], [-1/3,
    // 2/3]] and ||Z||_inf = gamma / (2 (1 - gamma)) = 1 (hand check: S = I + 2 B = [[2, 0],
    // [1, 1]], Z = I - S (I - P_pi / 3 * 2)).
    BigFraction h = Rationals.parse("1/2");
    BigFraction[][] pPi = {{h, h}, {h, h}};
    BigFraction[][] b0 = {q("1", "0"), q("0", "1")};
    BigFraction[][] b1 = {q("1/2", "0"), q("1/2", "0")};
    ExactTraceOperator m = TraceOperators.fromLayers("binary trace", pPi, q("0", "0"),
        Rationals.parse("2/3"), List.of(b0, b1), true);
    assertArrayEquals(new BigFraction[][] {q("-1/3", "2/3"), q("-1/3", "2/3")}, m.linear());
    assertEquals(BigFraction.ONE, m.norm());
    assertFalse(m.certificate().conditionHolds());
    assertFalse(m.certificate().isContraction());
    assertTrue(m.certificate().explain().contains("condition violated"));
    assertTrue(m.certificate().explain().contains("no contraction certificate"));
    assertThrows(IllegalStateException.class, () -> m.certificate().modulus());
  }

  @Test
  void trajectoryAwareRulesRefuseACyclicModel() {
    ModelException e = assertThrows(ModelException.class,
        () -> TraceOperators.exact(LOOP, PI, MU, TraceRule.rbis("1/2")));
    assertTrue(e.getMessage().contains("has a cycle"), e.getMessage());
  }

  @Test
  void conditionRulesHaveNormAtMostGammaOnTheDag() {
    for (TraceRule rule : List.of(TraceRule.rbis("9/10"), TraceRule.recursiveRetrace("9/10"),
        TraceRule.retrace("9/10"), TraceRule.importanceSampling("1"))) {
      ExactTraceOperator m = TraceOperators.exact(DAG, PI, MU, rule);
      assertTrue(m.certificate().conditionHolds(), m.certificate().explain());
      assertTrue(m.norm().compareTo(Rationals.parse("9/10")) <= 0, m.certificate().explain());
      assertEquals(Rationals.toDouble(m.norm()),
          TraceOperators.ofDouble(DAG, PI, MU, rule).norm(), 1e-13);
    }
  }

  @Test
  void divergentSumsAreAModelError() {
    // gamma = 1 without termination and Q(1): P_cmu = P_mu is stochastic, I - P_mu is singular
    TabularMdp<String, String> undiscounted = LOOP.withDiscount(BigFraction.ONE);
    ModelException e = assertThrows(ModelException.class,
        () -> TraceOperators.exact(undiscounted, PI, MU, TraceRule.qLambda("1")));
    assertTrue(e.getMessage().contains("singular"), e.getMessage());
    assertThrows(ModelException.class,
        () -> TraceOperators.ofDouble(undiscounted, PI, MU, TraceRule.qLambda("1")));
    // Retrace(1) there has row sums of P_cmu = sum min(mu, pi) = 3/4 < 1, so S is finite; by hand
    // (I - P_cmu) Z = P_pi - P_cmu = [[1/4, 0], [1/4, 0]] gives Z = [[1, 0], [1, 0]]: the
    // condition holds and ||Z|| = gamma = 1, so no strict contraction
    ExactTraceOperator m = TraceOperators.exact(undiscounted, PI, MU, TraceRule.retrace("1"));
    assertArrayEquals(new BigFraction[][] {q("1", "0"), q("1", "0")}, m.linear());
    assertTrue(m.certificate().conditionHolds());
    assertFalse(m.certificate().isContraction(), m.certificate().explain());
  }
}
