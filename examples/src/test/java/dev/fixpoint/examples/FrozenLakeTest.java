package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.FrozenLake.Move;
import dev.fixpoint.examples.GridWorld.Cell;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * FrozenLake-v1 against Gymnasium's documented table (frozen_lake.py: actions LEFT 0, DOWN 1,
 * RIGHT 2, UP 3; slippery: directions (a - 1) mod 4, a, (a + 1) mod 4 with 1/3 each; reward 1 on
 * entering G; H and G end the episode) and hand-checked values.
 */
class FrozenLakeTest {
  static final TabularMdp<Cell, Move> SLIPPERY = FrozenLake.fourByFour().tabulate();
  static final TabularMdp<Cell, Move> DET = FrozenLake.of(FrozenLake.MAP_4X4, false).tabulate();

  static Cell c(int r, int col) {
    return new Cell(r, col);
  }

  static BigFraction f(long n, long d) {
    return new BigFraction(n, d);
  }

  @Test
  void indicesAreGymnasiumsObservationsAndActions() {
    assertEquals(16, SLIPPERY.numStates());
    assertEquals(4, SLIPPERY.numActions());
    for (int s = 0; s < 16; s++) {
      assertEquals(c(s / 4, s % 4), SLIPPERY.states().value(s)); // row * ncol + col
    }
    assertEquals(List.of(Move.LEFT, Move.DOWN, Move.RIGHT, Move.UP), SLIPPERY.actions().values());
    // holes (1,1), (1,3), (2,3), (3,0) and the goal (3,3) are terminal: 11 x 4 rows
    for (int s : new int[] {5, 7, 11, 12, 15}) {
      assertTrue(SLIPPERY.isTerminal(s), "state " + s);
    }
    assertEquals(44, SLIPPERY.numRows());
    assertEquals(1.0, SLIPPERY.initial(0)); // the episode starts at S
  }

  @Test
  void slipperyMovesGoThreeWays() {
    // LEFT at (0,0): UP stays, LEFT stays, DOWN to (1,0)
    Dist<Cell> d = SLIPPERY.transition(c(0, 0), Move.LEFT);
    assertEquals(f(2, 3), d.probability(c(0, 0)));
    assertEquals(f(1, 3), d.probability(c(1, 0)));
    // RIGHT at (3,2): DOWN stays, RIGHT enters G (reward 1), UP to (2,2)
    d = SLIPPERY.transition(c(3, 2), Move.RIGHT);
    assertEquals(3, d.size());
    assertEquals(f(1, 3), d.probability(c(3, 3)));
    assertEquals(f(1, 3), d.probability(c(3, 2)));
    assertEquals(f(1, 3), d.probability(c(2, 2)));
    assertEquals(f(1, 3), SLIPPERY.exactExpectedReward(c(3, 2), Move.RIGHT));
    // DOWN at (0,1): RIGHT (0,2), DOWN into the hole (1,1), LEFT (0,0)
    d = SLIPPERY.transition(c(0, 1), Move.DOWN);
    assertEquals(f(1, 3), d.probability(c(1, 1)));
    assertEquals(BigFraction.ZERO, SLIPPERY.exactExpectedReward(c(0, 1), Move.DOWN));
  }

  @Test
  void deterministicMovesGoOneWay() {
    assertEquals(Dist.dirac(c(0, 1)), DET.transition(c(0, 0), Move.RIGHT));
    assertEquals(Dist.dirac(c(0, 0)), DET.transition(c(0, 0), Move.UP));
    assertEquals(Dist.dirac(c(3, 3)), DET.transition(c(3, 2), Move.RIGHT));
    assertEquals(BigFraction.ONE, DET.exactExpectedReward(c(3, 2), Move.RIGHT));
  }

  @Test
  void slipperyFourByFourReachesTheGoalWithProbabilityFourteenSeventeenths() {
    // Hand/independent: the optimal success probabilities (gamma = 1) were computed in exact
    // rationals by a separate program (value iteration to find the policy, then Gauss-Jordan on
    // its 11 equations): 14/17 from S and on the top row, 9/17 at (1,2), 13/17 at (2,2), 15/17 at
    // (3,1), 16/17 at (3,2). Check one equation by hand: at (3,2) DOWN goes RIGHT to G (1), DOWN
    // stays (16/17), LEFT to (3,1) (15/17): (1 + 16/17 + 15/17) / 3 = 48/51 = 16/17.
    Solution<Cell, Move> s = PolicyIteration.solveExact(SLIPPERY);
    assertEquals(f(14, 17), s.values().exactValue(c(0, 0)));
    assertEquals(f(14, 17), s.values().exactValue(c(0, 3)));
    assertEquals(f(9, 17), s.values().exactValue(c(1, 2)));
    assertEquals(f(13, 17), s.values().exactValue(c(2, 2)));
    assertEquals(f(15, 17), s.values().exactValue(c(3, 1)));
    assertEquals(f(16, 17), s.values().exactValue(c(3, 2)));
    assertEquals(BigFraction.ZERO, s.values().exactValue(c(1, 1))); // a hole
    BigFraction[] v = s.values().toExactArray();
    assertArrayEquals(v, ExactBellman.optimality(SLIPPERY, v));
    // the same value from the hand equation
    assertEquals(f(16, 17), BigFraction.ONE.add(f(16, 17)).add(f(15, 17)).divide(3));
  }

  @Test
  void deterministicFourByFourTakesSixMovesAtGammaNineTenths() {
    // shortest safe path S -> G has 6 moves (Manhattan distance 6, e.g. down, down, right, right,
    // down, right); the reward 1 comes on the 6th transition: v*(S) = 0.9^5
    Solution<Cell, Move> s =
        PolicyIteration.solveExact(FrozenLake.of(FrozenLake.MAP_4X4, false).withDiscount("9/10")
            .tabulate());
    assertEquals(f(59049, 100000), s.values().exactValue(c(0, 0)));
    assertEquals(f(9, 10), s.values().exactValue(c(2, 2))); // two moves from G
    assertEquals(BigFraction.ONE, s.values().exactValue(c(3, 2)));
  }

  @Test
  void eightByEightHasGymnasiumsHolesAndSatisfiesTheBellmanEquation() {
    TabularMdp<Cell, Move> m = FrozenLake.eightByEight().tabulate();
    assertEquals(64, m.numStates());
    int terminal = 0;
    for (int s = 0; s < 64; s++) {
      terminal += m.isTerminal(s) ? 1 : 0;
    }
    assertEquals(11, terminal); // 10 holes and the goal in Gymnasium's "8x8" map
    assertTrue(m.isTerminal(m.states().indexOf(c(2, 3))));
    assertTrue(m.isTerminal(63));
    assertFalse(m.isTerminal(0));
    // no independent published value: check the exact optimality equation and the range [0, 1]
    BigFraction[] v = PolicyIteration.solveExact(m).values().toExactArray();
    assertArrayEquals(v, ExactBellman.optimality(m, v));
    for (BigFraction x : v) {
      assertTrue(x.compareTo(BigFraction.ZERO) >= 0 && x.compareTo(BigFraction.ONE) <= 0);
    }
  }

  @Test
  void badMapsAreRejectedWithTheirPlace() {
    ModelException e = assertThrows(ModelException.class,
        () -> FrozenLake.of(List.of("SFF", "FX", "FFG"), true));
    assertTrue(e.getMessage().contains("map row 1 has 2 tiles, expected 3"), e.getMessage());
    e = assertThrows(ModelException.class, () -> FrozenLake.of(List.of("SFQ", "SFG"), true));
    assertTrue(e.getMessage().contains("tile (0,2) is 'Q'"), e.getMessage());
    assertTrue(e.problems().get(1).contains("2 start tiles"), e.problems().toString());
  }
}
