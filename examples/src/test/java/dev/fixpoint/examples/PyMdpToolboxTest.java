package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class PyMdpToolboxTest {
  private static final TabularMdp<Integer, Integer> SMALL = PyMdpToolbox.small().tabulate();

  @Test
  void smallReproducesTheToolboxsDocumentedArrays() {
    // pymdptoolbox, mdptoolbox.example.small() docstring: P[0] = [[.5, .5], [.8, .2]],
    // P[1] = [[0, 1], [.1, .9]], R = [[5, 10], [-1, 2]] with R[s][a]
    assertEquals(2, SMALL.numStates());
    assertEquals(4, SMALL.numRows());
    assertEquals(Dist.<Integer>builder().add(0, "0.5").add(1, "0.5").build(), SMALL.transition(0, 0));
    assertEquals(Dist.<Integer>builder().add(0, "0.8").add(1, "0.2").build(), SMALL.transition(1, 0));
    assertEquals(Dist.dirac(1), SMALL.transition(0, 1));
    assertEquals(Dist.<Integer>builder().add(0, "0.1").add(1, "0.9").build(), SMALL.transition(1, 1));
    assertEquals(new BigFraction(5), SMALL.exactExpectedReward(0, 0));
    assertEquals(new BigFraction(10), SMALL.exactExpectedReward(0, 1));
    assertEquals(new BigFraction(-1), SMALL.exactExpectedReward(1, 0));
    assertEquals(new BigFraction(2), SMALL.exactExpectedReward(1, 1));
    assertEquals(new BigFraction(9, 10), SMALL.exact().discount());
  }

  @Test
  void handSolvedOptimumIsTheFixedPoint() {
    // By hand: policy (1, 0) gives V0 = 10 + .9 V1, V1 = -1 + .9 (.8 V0 + .2 V1), so
    // V1 = 6.2 / 0.172 = 1550/43 and V0 = 1825/43; T* leaves it unchanged.
    BigFraction[] v = {new BigFraction(1825, 43), new BigFraction(1550, 43)};
    assertArrayEquals(v, ExactBellman.optimality(SMALL, v));
  }

  @Test
  void shapeMismatchesAreAllNamed() {
    BigFraction h = new BigFraction(1, 2);
    BigFraction[][][] p = {{{h, h}, {h, h, BigFraction.ZERO}}};
    BigFraction[][] r = {{BigFraction.ONE, BigFraction.ONE}, {BigFraction.ONE}};
    ModelException e = assertThrows(ModelException.class,
        () -> PyMdpToolbox.fromArrays("bad", p, r, h));
    assertEquals(2, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).contains("P[0][1] has 3 entries, expected 2"),
        e.problems().get(0));
    assertTrue(e.problems().get(1).contains("R[0] has 2 entries, expected 1"),
        e.problems().get(1));
  }

  @Test
  void rowsThatAreNotDistributionsAreReportedAtTabulation() {
    BigFraction[][][] p = {{{Rationals.parse("1/2"), Rationals.parse("1/3")},
        {BigFraction.ZERO, BigFraction.ONE}}};
    BigFraction[][] r = {{BigFraction.ZERO}, {BigFraction.ZERO}};
    ModelException e = assertThrows(ModelException.class,
        () -> PyMdpToolbox.fromArrays("leaky", p, r, BigFraction.ONE).tabulate());
    assertTrue(e.getMessage().contains("state 0, action 0")
        && e.getMessage().contains("5/6"), e.getMessage());
  }
}
