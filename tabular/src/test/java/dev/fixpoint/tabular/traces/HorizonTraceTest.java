package dev.fixpoint.tabular.traces;

import static dev.fixpoint.tabular.traces.TraceOperatorsTest.LOOP;
import static dev.fixpoint.tabular.traces.TraceOperatorsTest.PI;
import static dev.fixpoint.tabular.traces.TraceOperatorsTest.q;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Trajectory-aware rules on models with cycles: layers truncated at a horizon, tail bounded. */
class HorizonTraceTest {

  @Test
  void truncatedOnPolicyRbisIsTheLambdaReturnWithinItsTail() {
    // on-policy RBIS has beta_t = lambda^t (spec 3), so M is the lambda-return of T^pi; with
    // gamma lambda = 1/4 the left-out occupancy is at most (1/4)^13 / (3/4) (spec 2.2)
    BigFraction[] q = q("1/3", "-2");
    BigFraction[] expected = ExactInterpreter.apply(Operators.lambda("1/2",
        Operators.policy(PI)), LOOP, q);
    ExactTraceOperator m = TraceOperators.exact(LOOP, PI, PI, TraceRule.rbis("1/2"), 12);
    assertEquals(Math.pow(0.25, 13) / 0.75, m.tail(), 1e-22);
    BigFraction[] got = m.apply(q);
    BigFraction[] tq = ExactInterpreter.apply(Operators.policy(PI), LOOP, q);
    double gap = Math.max(Rationals.toDouble(tq[0].subtract(q[0]).abs()),
        Rationals.toDouble(tq[1].subtract(q[1]).abs()));
    for (int r = 0; r < 2; r++) {
      double err = Rationals.toDouble(got[r].subtract(expected[r]).abs());
      assertTrue(err > 0 && err <= m.tail() * gap, "row " + r + ": " + err);
    }
    // the double tier picks the horizon itself
    Operator op = Operators.traces(PI, PI, TraceRule.rbis("1/2"));
    DoubleInterpreter.Applied a = DoubleInterpreter.evaluate(op, LOOP, Rationals.toDoubles(q));
    assertArrayEquals(Rationals.toDoubles(expected), a.q(), 1e-12);
    assertTrue(a.tailBound() > 0 && a.tailBound() <= 1e-12, "tail " + a.tailBound());
  }

  @Test
  void truncatedIsCounterexampleFromTheRuleItself() {
    // counterexample 5.7 (spec 4.2) through the library's own layered computation, exactly:
    // one state, mu = (1/2, 1/2), pi = (3/5, 2/5), lambda = 1, gamma = 47/50; the authors' script
    // prints ||Z||_inf = 1.14014. Horizon 200 leaves out at most 0.94^201 / 0.06, about 7e-5
    // of occupancy, so ||Z|| moves by at most (1 + gamma) times that.
    TabularMdp<String, String> one = Mdp.<String, String>of(List.of("s"),
        s -> List.of("a0", "a1"), (s, a) -> Dist.dirac(Outcome.of("s", 0)), "47/50").tabulate();
    Policy<String, String> pi = Policy.stochastic(s -> Dist.ofExact(List.of("a0", "a1"),
        new BigFraction[] {Rationals.of(3, 5), Rationals.of(2, 5)}));
    Policy<String, String> mu = Policy.uniform();
    ExactTraceOperator m = TraceOperators.exact(one, pi, mu, TraceRule.truncatedIs("1"), 200);
    ContractionCertificate c = m.certificate();
    assertTrue(c.normError() < 2e-4, "error " + c.normError());
    assertEquals(1.14014, c.norm(), 1e-5 + c.normError());
    assertFalse(c.conditionHolds());
    assertFalse(c.isContraction());
    assertTrue(c.explain().contains("condition violated"), c.explain());
  }

  @Test
  void rulesWithoutAPathwiseBoundCannotBeTruncated() {
    TraceRule custom = TraceRule.custom("mine", BigFraction.ONE,
        (s, t, rho, p) -> new TraceRule.Update(rho.multiply(s), rho.multiply(s)));
    ModelException e = assertThrows(ModelException.class,
        () -> TraceOperators.exact(LOOP, PI, PI, custom, 5));
    assertTrue(e.getMessage().contains("no pathwise bound"), e.getMessage());
  }
}
