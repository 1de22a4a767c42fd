package dev.fixpoint.tabular.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Operator;
import dev.fixpoint.dsl.Operators;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Operator values on a two-state model computed by hand in fractions: state a has actions x (stay
 * in a, reward 1) and y (go to b, reward 0); state b has z (to a or b with 1/2 each, reward 2);
 * gamma 1/2. Rows: 0 = (a, x), 1 = (a, y), 2 = (b, z).
 */
class InterpretersTest {
  static final TabularMdp<String, String> M = Mdp.<String, String>of(List.of("a", "b"),
      s -> s.equals("a") ? List.of("x", "y") : List.of("z"),
      (s, act) -> switch (act) {
        case "x" -> Dist.dirac(Outcome.of("a", 1));
        case "y" -> Dist.dirac(Outcome.of("b", 0));
        default -> Dist.uniform(Outcome.of("b", 2), Outcome.of("a", 2));
      }, "1/2").tabulate();
  static final Policy<String, String> UNIFORM = Policy.uniform();

  static BigFraction[] q(String... xs) {
    BigFraction[] out = new BigFraction[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = Rationals.parse(xs[i]);
    }
    return out;
  }

  @Test
  void optimalityOperatorTwiceFromZero() {
    // T* 0 = r = (1, 0, 2); T* (1, 0, 2): V = (1, 2) -> (1 + 1/2, 0 + 1, 2 + 1/2 * 3/2)
    assertArrayEquals(q("1", "0", "2"), ExactInterpreter.apply(Operators.optimality(), M,
        q("0", "0", "0")));
    assertArrayEquals(q("3/2", "1", "11/4"), ExactInterpreter.apply(
        Operators.power(Operators.optimality(), 2), M, q("0", "0", "0")));
    assertArrayEquals(new double[] {1.5, 1, 2.75}, DoubleInterpreter.apply(
        Operators.power(Operators.optimality(), 2), M, new double[3]));
  }

  @Test
  void policyOperatorOfTheUniformPolicy() {
    // Q = (1, 0, 2): V^pi = (1/2, 2) -> (1 + 1/4, 0 + 1, 2 + 1/2 (1 + 1/4))
    assertArrayEquals(q("5/4", "1", "21/8"),
        ExactInterpreter.apply(Operators.policy(UNIFORM), M, q("1", "0", "2")));
    assertArrayEquals(new double[] {1.25, 1, 2.625},
        DoubleInterpreter.apply(Operators.policy(UNIFORM), M, new double[] {1, 0, 2}));
  }

  @Test
  void lambdaReturnOfThePolicyOperatorByHand() {
    // x = r + (1/4) P_pi x solved by hand: (59/48, 29/48, 29/12)
    Operator op = Operators.lambda("1/2", Operators.policy(UNIFORM));
    assertArrayEquals(q("59/48", "29/48", "29/12"), ExactInterpreter.apply(op, M,
        q("0", "0", "0")));
    double[] d = DoubleInterpreter.apply(op, M, new double[3]);
    assertArrayEquals(new double[] {59.0 / 48, 29.0 / 48, 29.0 / 12}, d, 1e-14);
  }

  @Test
  void lambdaZeroIsTheBaseOperator() {
    Operator op = Operators.lambda("0", Operators.policy(UNIFORM));
    assertArrayEquals(ExactInterpreter.apply(Operators.policy(UNIFORM), M, q("1", "0", "2")),
        ExactInterpreter.apply(op, M, q("1", "0", "2")));
  }

  @Test
  void closedFormAgreesWithTheTruncatedSeries() {
    // compose(T^pi, identity) is not syntactically T^pi, so it goes through the series path
    Operator base = Operators.compose(Operators.policy(UNIFORM),
        Operators.power(Operators.policy(UNIFORM), 0));
    DoubleInterpreter.Applied series = DoubleInterpreter.evaluate(
        Operators.lambda("9/10", base), M, new double[] {3, -1, 0.5});
    double[] closed = DoubleInterpreter.apply(Operators.lambda("9/10",
        Operators.policy(UNIFORM)), M, new double[] {3, -1, 0.5});
    assertTrue(series.tailBound() > 0 && series.tailBound() < 1e-12, "" + series.tailBound());
    assertArrayEquals(closed, series.q(), 1e-11);
  }

  @Test
  void lambdaOfOptimalityIsTruncatedWithABoundInDoubleAndRefusedExactly() {
    Operator op = Operators.lambda("1/2", Operators.optimality());
    DoubleInterpreter.Applied a = DoubleInterpreter.evaluate(op, M, new double[3]);
    assertTrue(a.tailBound() < 1e-12);
    // lambda 1/2, gamma 1/2: (1 - l) sum l^n (T*)^(n+1) 0; first terms (1,0,2), (3/2,1,11/4)
    assertTrue(a.q()[0] > 1 && a.q()[2] > 2);
    ModelException e = assertThrows(ModelException.class,
        () -> ExactInterpreter.apply(op, M, q("0", "0", "0")));
    assertTrue(e.getMessage().contains("double interpreter"), e.getMessage());
  }

  @Test
  void softOperatorByHandAndRefusedExactly() {
    // tau 1, Q = (1, 0, 2): V(a) = log(e + 1), V(b) = 2
    double va = Math.log(Math.E + 1);
    double[] t = DoubleInterpreter.apply(Operators.soft("1"), M, new double[] {1, 0, 2});
    assertArrayEquals(new double[] {1 + va / 2, 1, 2 + 0.5 * (1 + va / 2)}, t, 1e-14);
    assertThrows(ModelException.class,
        () -> ExactInterpreter.apply(Operators.soft("1"), M, q("1", "0", "2")));
  }

  @Test
  void nStepEqualsThePowerOfThePolicyOperator() {
    BigFraction[] q0 = q("1", "-2", "1/3");
    assertArrayEquals(ExactInterpreter.apply(Operators.power(Operators.policy(UNIFORM), 3), M, q0),
        ExactInterpreter.apply(Operators.nStep(UNIFORM, 3), M, q0));
  }

  @Test
  void moduliFollowTheAlgebra() {
    assertEquals(0.5, DoubleInterpreter.modulus(Operators.optimality(), M));
    assertEquals(0.125, DoubleInterpreter.modulus(Operators.nStep(UNIFORM, 3), M));
    // (1 - l) c / (1 - l c) with l = c = 1/2: (1/4) / (3/4)
    assertEquals(1.0 / 3, DoubleInterpreter.modulus(
        Operators.lambda("1/2", Operators.policy(UNIFORM)), M), 1e-15);
  }

  @Test
  void inexactPolicyIsRefusedByTheExactInterpreter() {
    QFunction<String, String> qf = QFunction.of(M, new double[] {1, 0, 2});
    assertThrows(InexactModelException.class, () -> ExactInterpreter.apply(
        Operators.policy(Policy.softmax(qf, 1.0)), M, q("0", "0", "0")));
  }

  @Test
  void policyThatDoesNotFitTheModelIsAModelException() {
    ModelException e = assertThrows(ModelException.class, () -> DoubleInterpreter.apply(
        Operators.policy(Policy.<String, String>deterministic(s -> "x")), M, new double[3]));
    assertTrue(e.getMessage().contains("state b"), e.getMessage());
    assertThrows(ModelException.class, () -> DoubleInterpreter.apply(Operators.optimality(), M,
        new double[] {Double.NaN, 0, 0}));
  }
}
