package dev.fixpoint.theory.realizability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.features.DataDistribution;
import dev.fixpoint.dsl.features.Features;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** Bad input is reported as a ModelException naming the place; typed feature functions work. */
class InputCheckTest {
  static final TabularMdp<Integer, Integer> CHAIN = TwoStateCounterexampleTest.chain("9/10", "1");
  static final TabularPolicy<Integer, Integer> PI =
      TabularPolicy.ofExact(CHAIN, new BigFraction[] {BigFraction.ONE, BigFraction.ONE});

  @Test
  void featureFunctionSeesTypedStatesAndActions() {
    // states are 0 and 1, the only action 0: phi(s, a) = (1, s)
    LinearFeatures phi = LinearFeatures.of(CHAIN, Features.<Integer, Integer>of(2,
        (s, a) -> new double[] {1, s + a}));
    assertArrayEquals(new double[] {1, 0}, phi.toArray()[0]);
    assertArrayEquals(new double[] {1, 1}, phi.toArray()[1]);
    // Q = (9, 10) = 9 (1, 1) + 1 (0, 1): realizable with two features, exactly at theta = (9, 1)
    LinearEvaluation ev = Realizability.evaluate(CHAIN, phi,
        DataWeights.of(CHAIN, DataDistribution.given(new double[] {0.5, 0.5})), PI);
    assertTrue(ev.isRealizable());
    assertEquals(9.0, ev.tdFixedPoint().get()[0], 1e-12);
    assertEquals(1.0, ev.tdFixedPoint().get()[1], 1e-12);
  }

  @Test
  void badInputNamesThePlace() {
    ModelException wrongLength = assertThrows(ModelException.class, () -> LinearFeatures.of(CHAIN,
        Features.<Integer, Integer>of(2, (s, a) -> new double[] {1})));
    assertTrue(wrongLength.getMessage().contains("state 0, action 0"), wrongLength.getMessage());
    ModelException rows = assertThrows(ModelException.class, () -> LinearFeatures.of(CHAIN,
        Features.matrix(new double[][] {{1}})));
    assertTrue(rows.getMessage().contains("1 rows") && rows.getMessage().contains("has 2"),
        rows.getMessage());
    ModelException sum = assertThrows(ModelException.class,
        () -> DataDistribution.parse("1/2", "1/3"));
    assertTrue(sum.getMessage().contains("5/6"), sum.getMessage());
    ModelException singular = assertThrows(ModelException.class, () -> Realizability.evaluate(
        CHAIN, Features.parse(new String[][] {{"1"}, {"0"}}), DataDistribution.parse("0", "1"),
        PI));
    assertTrue(singular.getMessage().contains("Sigma"), singular.getMessage());
    // the chain 1 -> 2 -> 2 has the unique stationary distribution (0, 1) ...
    assertArrayEquals(new double[] {0, 1},
        DataWeights.of(CHAIN, DataDistribution.stationary(PI)).toArray());
    // ... two absorbing states have many
    BigFraction o = BigFraction.ONE;
    BigFraction z = BigFraction.ZERO;
    TabularMdp<Integer, Integer> two = LinearMdps.dense("two absorbing states",
        new BigFraction[][][] {{{o, z}}, {{z, o}}}, new BigFraction[][] {{z}, {z}},
        new BigFraction(1, 2), new BigFraction[] {o, z});
    ModelException several = assertThrows(ModelException.class, () -> DataWeights.of(two,
        DataDistribution.stationary(TabularPolicy.ofExact(two, new BigFraction[] {o, o}))));
    assertTrue(several.getMessage().contains("several stationary"), several.getMessage());
  }

  @Test
  void sampleOfPoliciesIsCheckedOneByOne() {
    // the chain has one action: every policy is the same, Q = (9, 10) is in span (1, 2)? no:
    // 9/1 != 10/2. With phi = (9, 10) itself it is.
    LinearFeatures one = LinearFeatures.of(CHAIN, Features.parse(new String[][] {{"1"}, {"2"}}));
    LinearFeatures q = LinearFeatures.of(CHAIN, Features.parse(new String[][] {{"9"}, {"10"}}));
    assertEquals(List.of(false), Realizability.realizableFor(CHAIN, one, List.of(PI)).toJavaList());
    assertEquals(List.of(true), Realizability.realizableFor(CHAIN, q, List.of(PI)).toJavaList());
  }
}
