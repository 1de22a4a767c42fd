package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.CliffWalking.Move;
import dev.fixpoint.examples.GridWorld.Cell;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Cliff walking: Sutton &amp; Barto 2018, Example 6.6 (4 x 12, -1 a step, -100 and back to the
 * start on the cliff) and Gymnasium's CliffWalking-v0 (cliffwalking.py: actions up 0, right 1,
 * down 2, left 3; observation row * 12 + col; start 36, goal 47).
 */
class CliffWalkingModelTest {
  static final TabularMdp<Cell, Move> BOOK = CliffWalking.suttonBarto().tabulate();
  static final TabularMdp<Cell, Move> GYM = CliffWalking.gymnasium().tabulate();

  static Cell c(int r, int col) {
    return new Cell(r, col);
  }

  @Test
  void booksGridHasThirtyEightReachableCells() {
    assertEquals(38, BOOK.numStates()); // 48 cells minus the 10 cliff cells
    assertEquals(148, BOOK.numRows());
    assertEquals(Dist.dirac(CliffWalking.START), BOOK.transition(c(2, 5), Move.DOWN));
    assertEquals(new BigFraction(-100), BOOK.exactExpectedReward(c(2, 5), Move.DOWN));
    assertEquals(Dist.dirac(CliffWalking.START), BOOK.transition(CliffWalking.START, Move.RIGHT));
    assertEquals(Dist.dirac(c(0, 0)), BOOK.transition(c(0, 0), Move.UP));
    assertEquals(new BigFraction(-1), BOOK.exactExpectedReward(c(0, 0), Move.UP));
    assertEquals(Dist.dirac(CliffWalking.GOAL), BOOK.transition(c(2, 11), Move.DOWN));
    assertTrue(BOOK.isTerminal(BOOK.states().indexOf(CliffWalking.GOAL)));
  }

  @Test
  void optimalReturnFromTheStartIsMinusThirteen() {
    // up, eleven steps right along row 2, down: 13 moves at -1 (Example 6.6, the optimal path)
    Solution<Cell, Move> s = PolicyIteration.solveExact(BOOK);
    assertEquals(new BigFraction(-13), s.values().exactValue(CliffWalking.START));
    assertEquals(new BigFraction(-12), s.values().exactValue(c(2, 0)));
    assertEquals(new BigFraction(-1), s.values().exactValue(c(2, 11)));
    assertEquals(Move.UP, s.policy().action(CliffWalking.START));
    assertEquals(Move.RIGHT, s.policy().action(c(2, 5))); // along the edge
  }

  @Test
  void gymnasiumVersionKeepsGymnasiumsIndices() {
    assertEquals(48, GYM.numStates());
    assertEquals(List.of(Move.UP, Move.RIGHT, Move.DOWN, Move.LEFT), GYM.actions().values());
    for (int i = 0; i < 48; i++) {
      assertEquals(c(i / 12, i % 12), GYM.states().value(i));
    }
    assertEquals(1.0, GYM.initial(36));
    assertTrue(GYM.isTerminal(47));
    assertFalse(GYM.isTerminal(37)); // a cliff cell: in Gymnasium's table, never entered
    assertEquals(47 * 4, GYM.numRows());
    Solution<Cell, Move> s = PolicyIteration.solveExact(GYM);
    assertEquals(new BigFraction(-13), s.values().exactValue(c(3, 0)));
    assertEquals(new BigFraction(-14), s.values().exactValue(c(0, 0))); // 2 down, 11 right, 1 down
  }
}
