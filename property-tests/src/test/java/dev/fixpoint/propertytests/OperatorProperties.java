package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Operator;
import dev.fixpoint.dsl.Operator.Compose;
import dev.fixpoint.dsl.Operator.Lambda;
import dev.fixpoint.dsl.Operator.NStep;
import dev.fixpoint.dsl.Operator.Optimality;
import dev.fixpoint.dsl.Operator.PolicyEvaluation;
import dev.fixpoint.dsl.Operator.Power;
import dev.fixpoint.dsl.Operator.Soft;
import dev.fixpoint.dsl.Operator.Traces;
import dev.fixpoint.dsl.Operators;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.operators.DoubleInterpreter;
import dev.fixpoint.tabular.operators.ExactInterpreter;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * The Bellman operators are monotone gamma-contractions in the sup norm (Bertsekas &amp;
 * Tsitsiklis, Neuro-Dynamic Programming, 1996, section 2.2, and Puterman, Markov Decision
 * Processes, 1994, Prop. 6.2.4): ||T Q1 - T Q2|| &lt;= c ||Q1 - Q2|| and Q1 &lt;= Q2 implies T Q1
 * &lt;= T Q2, with c = gamma for T*, T^pi and T_tau, gamma^n for n steps, products for
 * compositions and powers, and (1 - lambda) c / (1 - lambda c) for the lambda-return of a
 * c-contraction (sum of (1 - lambda) lambda^n c^(n+1)). With gamma = 1 (proper models) the bound
 * says "non-expansive". The moduli are computed here from that theory, not by the library. And the
 * exact and double interpreters agree on every rational operator.
 */
class OperatorProperties {
  static final MdpSpec DOUBLES = MdpSpec.doubles().withUndiscounted(true);
  static final MdpSpec EXACTS = MdpSpec.exact().withStates(1, 6).withUndiscounted(true);

  /** A model, an operator over it and two Q-functions (Q2 = Q1 + D with D &gt;= 0). */
  record Case(RandomMdp m, Operator op, double[] q1, double[] q2) {
    @Override
    public String toString() {
      return m + "\nop " + op + "\nQ1 " + Arrays.toString(q1) + "\nQ2 " + Arrays.toString(q2);
    }
  }

  record ExactCase(RandomMdp m, Operator op, BigFraction[] q1, BigFraction[] q2) {
    @Override
    public String toString() {
      return m + "\nop " + op + "\nQ1 " + fmt(q1) + "\nQ2 " + fmt(q2);
    }
  }

  static Generator<Case> cases(Function<TabularMdp<Integer, Integer>, Generator<Operator>> ops,
      boolean ordered) {
    Generator<RandomMdp> mdps = Generators.mdps(DOUBLES);
    return Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      TabularMdp<Integer, Integer> t = m.tabular();
      Operator op = ops.apply(t).next(rng);
      double[] q1 = Generators.qFunctions(t, -10, 10).next(rng);
      double[] q2 = Generators.qFunctions(t, ordered ? 0 : -10, ordered ? 5 : 10).next(rng);
      if (ordered) {
        for (int r = 0; r < q2.length; r++) {
          q2[r] += q1[r];
        }
      }
      return new Case(m, op, q1, q2);
    });
  }

  static Generator<ExactCase> exactCases(
      Function<TabularMdp<Integer, Integer>, Generator<Operator>> ops, boolean ordered) {
    Generator<RandomMdp> mdps = Generators.mdps(EXACTS);
    return Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      TabularMdp<Integer, Integer> t = m.tabular();
      Operator op = ops.apply(t).next(rng);
      BigFraction[] q1 = Generators.exactQFunctions(t, -5, 5, 4).next(rng);
      BigFraction[] q2 = Generators.exactQFunctions(t, ordered ? 0 : -5, 5, 4).next(rng);
      if (ordered) {
        for (int r = 0; r < q2.length; r++) {
          q2[r] = q2[r].add(q1[r]);
        }
      }
      return new ExactCase(m, op, q1, q2);
    });
  }

  static Generator<Operator> policyOperators(TabularMdp<Integer, Integer> t) {
    return Generators.policies(t, Tier.DOUBLE).map(pi -> Operators.policy(pi.asPolicy()));
  }

  static Generator<Operator> exactPolicyOperators(TabularMdp<Integer, Integer> t) {
    return Generators.policies(t, Tier.EXACT).map(pi -> Operators.policy(pi.asPolicy()));
  }

  // ---------------------------------------------------------------- contraction

  @Test
  void optimalityOperatorIsGammaContraction() {
    qt().withFixedSeed(301).withExamples(400)
        .forAll(QuickTheoriesGen.of(cases(t -> Generator.constant(Operators.optimality()), false)))
        .checkAssert(OperatorProperties::contracts);
  }

  @Test
  void policyOperatorIsGammaContraction() {
    qt().withFixedSeed(302).withExamples(400)
        .forAll(QuickTheoriesGen.of(cases(OperatorProperties::policyOperators, false)))
        .checkAssert(OperatorProperties::contracts);
  }

  @Test
  void softOperatorIsGammaContraction() {
    qt().withFixedSeed(303).withExamples(300)
        .forAll(QuickTheoriesGen.of(cases(t -> Generator.constant(Operators.soft("1/2")), false)))
        .checkAssert(OperatorProperties::contracts);
  }

  @Test
  void operatorTermsContractWithTheirModulus() {
    qt().withFixedSeed(304).withExamples(300)
        .forAll(QuickTheoriesGen.of(cases(t -> Generators.operators(t, Tier.DOUBLE, 2), false)))
        .checkAssert(OperatorProperties::contracts);
  }

  @Test
  void exactOperatorsContractExactly() {
    qt().withFixedSeed(305).withExamples(300)
        .forAll(QuickTheoriesGen.of(exactCases(t -> Generators.operators(t, Tier.EXACT, 2),
            false)))
        .checkAssert(OperatorProperties::contractsExactly);
  }

  static void contracts(Case c) {
    TabularMdp<Integer, Integer> t = c.m().tabular();
    double[] t1 = DoubleInterpreter.apply(c.op(), t, c.q1());
    double[] t2 = DoubleInterpreter.apply(c.op(), t, c.q2());
    double lhs = distance(t1, t2);
    double rhs = modulus(c.op(), t.discount()) * distance(c.q1(), c.q2());
    assertTrue(lhs <= rhs + 1e-9, () -> "||T Q1 - T Q2|| = " + lhs + " > c ||Q1 - Q2|| = " + rhs);
  }

  static void contractsExactly(ExactCase c) {
    TabularMdp<Integer, Integer> t = c.m().tabular();
    BigFraction[] t1 = ExactInterpreter.apply(c.op(), t, c.q1());
    BigFraction[] t2 = ExactInterpreter.apply(c.op(), t, c.q2());
    BigFraction lhs = distance(t1, t2);
    BigFraction rhs = modulus(c.op(), t.exact().discount()).multiply(distance(c.q1(), c.q2()));
    assertTrue(lhs.compareTo(rhs) <= 0, () -> "||T Q1 - T Q2|| = " + Rationals.format(lhs)
        + " > c ||Q1 - Q2|| = " + Rationals.format(rhs));
  }

  // ---------------------------------------------------------------- monotonicity

  @Test
  void optimalityAndPolicyOperatorsAreMonotone() {
    qt().withFixedSeed(311).withExamples(300)
        .forAll(QuickTheoriesGen.of(cases(t -> Generator.constant(Operators.optimality()), true)))
        .checkAssert(OperatorProperties::monotone);
    qt().withFixedSeed(312).withExamples(300)
        .forAll(QuickTheoriesGen.of(cases(OperatorProperties::policyOperators, true)))
        .checkAssert(OperatorProperties::monotone);
  }

  @Test
  void operatorTermsAreMonotone() {
    qt().withFixedSeed(313).withExamples(300)
        .forAll(QuickTheoriesGen.of(cases(t -> Generators.operators(t, Tier.DOUBLE, 2), true)))
        .checkAssert(OperatorProperties::monotone);
  }

  @Test
  void exactOperatorsAreMonotoneExactly() {
    qt().withFixedSeed(314).withExamples(300)
        .forAll(QuickTheoriesGen.of(exactCases(t -> Generators.operators(t, Tier.EXACT, 2),
            true)))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          BigFraction[] t1 = ExactInterpreter.apply(c.op(), t, c.q1());
          BigFraction[] t2 = ExactInterpreter.apply(c.op(), t, c.q2());
          for (int r = 0; r < t1.length; r++) {
            int row = r;
            assertTrue(t1[r].compareTo(t2[r]) <= 0, () -> "row " + row + ": (T Q1) = "
                + Rationals.format(t1[row]) + " > (T Q2) = " + Rationals.format(t2[row]));
          }
        });
  }

  static void monotone(Case c) {
    TabularMdp<Integer, Integer> t = c.m().tabular();
    double[] t1 = DoubleInterpreter.apply(c.op(), t, c.q1());
    double[] t2 = DoubleInterpreter.apply(c.op(), t, c.q2());
    for (int r = 0; r < t1.length; r++) {
      int row = r;
      assertTrue(t1[r] <= t2[r] + 1e-9, () -> "row " + row + ": (T Q1) = " + t1[row]
          + " > (T Q2) = " + t2[row]);
    }
  }

  // ---------------------------------------------------------------- the two interpreters

  @Test
  void exactAndDoubleInterpretersAgree() {
    qt().withFixedSeed(321).withExamples(400)
        .forAll(QuickTheoriesGen.of(exactCases(t -> Generators.operators(t, Tier.EXACT, 2),
            false)))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          double[] d = DoubleInterpreter.apply(c.op(), t, Rationals.toDoubles(c.q1()));
          BigFraction[] e = ExactInterpreter.apply(c.op(), t, c.q1());
          assertEquals(e.length, d.length);
          for (int r = 0; r < d.length; r++) {
            double x = Rationals.toDouble(e[r]);
            assertEquals(x, d[r], 1e-9 * Math.max(1, Math.abs(x)), "row " + r);
          }
        });
  }

  // ---------------------------------------------------------------- theory, independent of the library

  /** The sup-norm contraction modulus the theory gives for a term (see the class comment). */
  static double modulus(Operator op, double gamma) {
    return Rationals.toDouble(modulus(op, Rationals.fromDouble(gamma)));
  }

  static BigFraction modulus(Operator op, BigFraction g) {
    return switch (op) {
      case PolicyEvaluation p -> g;
      case Optimality o -> g;
      case Soft s -> g;
      case NStep(var pi, int n) -> g.pow(n);
      case Compose(var outer, var inner) -> modulus(outer, g).multiply(modulus(inner, g));
      case Power(var base, int n) -> modulus(base, g).pow(n);
      case Lambda(var lambda, var base) -> {
        BigFraction c = modulus(base, g);
        yield BigFraction.ONE.subtract(lambda).multiply(c)
            .divide(BigFraction.ONE.subtract(lambda.multiply(c)));
      }
      case Traces t -> throw new IllegalArgumentException("trace operators are not drawn: " + t);
    };
  }

  static double distance(double[] a, double[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  static BigFraction distance(BigFraction[] a, BigFraction[] b) {
    BigFraction d = BigFraction.ZERO;
    for (int i = 0; i < a.length; i++) {
      d = Rationals.max(d, a[i].subtract(b[i]).abs());
    }
    return d;
  }

  static String fmt(BigFraction[] xs) {
    return Arrays.stream(xs).map(Rationals::format).toList().toString();
  }
}
