package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.RandomWalk.Step;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** The random walks' true values as the book states them. */
class RandomWalkModelTest {

  static BigFraction[] evaluate(TabularMdp<Integer, Step> m) {
    return PolicyEvaluation.exact(m, Policy.<Integer, Step>uniform().tabulate(m)).values()
        .toExactArray();
  }

  @Test
  void fiveStateWalkHasValuesOneSixthToFiveSixths() {
    // Sutton & Barto 2018, Example 6.2: "the true value of each state is the probability of
    // terminating on the right if starting from that state": 1/6, 2/6, 3/6, 4/6, 5/6 for A .. E
    TabularMdp<Integer, Step> m = RandomWalk.fiveStates().tabulate();
    assertEquals(7, m.numStates());
    assertEquals(1.0, m.initial(3)); // every episode starts in the centre state C
    BigFraction[] v = evaluate(m);
    for (int i = 1; i <= 5; i++) {
      assertEquals(new BigFraction(i, 6), v[i], "state " + i);
    }
    assertEquals(BigFraction.ZERO, v[0]);
    assertEquals(BigFraction.ZERO, v[6]);
  }

  @Test
  void nineteenStateWalkHasValuesMinusNineTenthsToNineTenths() {
    // Sutton & Barto 2018, sec. 7.1 (Figure 7.2) with the -1 left reward of sec. 12.1: the true
    // values are -0.9, -0.8, ..., 0.9 (v(i) = (i - 10) / 10)
    TabularMdp<Integer, Step> m = RandomWalk.nineteenStates().tabulate();
    assertEquals(21, m.numStates());
    assertEquals(1.0, m.initial(10));
    BigFraction[] v = evaluate(m);
    for (int i = 1; i <= 19; i++) {
      assertEquals(new BigFraction(i - 10, 10), v[i], "state " + i);
    }
    BigFraction[] stated = RandomWalk.trueValues(19, -1);
    for (int i = 1; i <= 19; i++) {
      assertEquals(new BigFraction(i - 10, 10), stated[i]);
    }
  }

  @Test
  void evenWalksHaveNoMiddle() {
    ModelException e = assertThrows(ModelException.class, () -> RandomWalk.of(4, 0));
    assertTrue(e.getMessage().contains("n = 4"), e.getMessage());
  }
}
