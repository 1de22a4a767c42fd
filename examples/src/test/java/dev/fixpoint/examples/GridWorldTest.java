package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.GridWorld.Cell;
import dev.fixpoint.examples.GridWorld.Move;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class GridWorldTest {
  private static final TabularMdp<Cell, Move> G35 = GridWorld.suttonBarto35().tabulate();
  private static final TabularMdp<Cell, Move> G41 = GridWorld.suttonBarto41().tabulate();

  private static Cell c(int r, int col) {
    return new Cell(r, col);
  }

  private static void assertMove(TabularMdp<Cell, Move> m, Cell from, Move a, Cell to, long reward) {
    assertEquals(Dist.dirac(to), m.transition(from, a), from + " " + a);
    assertEquals(new BigFraction(reward), m.exactExpectedReward(from, a), from + " " + a);
  }

  @Test
  void example35HasTwentyFiveCellsFourMovesEachAndNoTerminal() {
    assertEquals(25, G35.numStates());
    assertEquals(4, G35.numActions());
    assertEquals(100, G35.numRows());
    assertEquals(100, G35.numEntries()); // deterministic: one successor per row
    assertTrue(G35.isExact());
    assertEquals(new BigFraction(9, 10), G35.exact().discount());
    for (int s = 0; s < 25; s++) {
      assertFalse(G35.isTerminal(s));
    }
    assertEquals(c(0, 0), G35.states().value(0)); // row-major
    assertEquals(c(1, 0), G35.states().value(5));
    assertEquals(List.of(Move.N, Move.S, Move.E, Move.W), G35.availableActions(c(2, 2)));
  }

  @Test
  void example35SpecialStatesJumpWithTheirBonus() {
    // Sutton & Barto 2018, Example 3.5: from A every action -> A' with +10, from B -> B' with +5
    for (Move a : Move.values()) {
      assertMove(G35, c(0, 1), a, c(4, 1), 10);
      assertMove(G35, c(0, 3), a, c(2, 3), 5);
    }
  }

  @Test
  void example35WallsCostOneAndOrdinaryMovesNothing() {
    assertMove(G35, c(0, 0), Move.N, c(0, 0), -1);
    assertMove(G35, c(0, 0), Move.W, c(0, 0), -1);
    assertMove(G35, c(4, 4), Move.S, c(4, 4), -1);
    assertMove(G35, c(4, 4), Move.E, c(4, 4), -1);
    assertMove(G35, c(0, 2), Move.N, c(0, 2), -1); // between A and B, top wall
    assertMove(G35, c(2, 2), Move.N, c(1, 2), 0);
    assertMove(G35, c(2, 2), Move.S, c(3, 2), 0);
    assertMove(G35, c(2, 2), Move.E, c(2, 3), 0);
    assertMove(G35, c(2, 2), Move.W, c(2, 1), 0);
    assertMove(G35, c(0, 0), Move.E, c(0, 1), 0); // moving into A is free; leaving it pays
  }

  @Test
  void example41HasTwoTerminalCornersAndCostsOnePerStep() {
    assertEquals(16, G41.numStates());
    assertEquals(56, G41.numRows()); // 14 live cells x 4 moves
    assertEquals(BigFraction.ONE, G41.exact().discount());
    for (int s = 0; s < 16; s++) {
      Cell cell = G41.states().value(s);
      boolean corner = cell.equals(c(0, 0)) || cell.equals(c(3, 3));
      assertEquals(corner, G41.isTerminal(s), cell.toString());
    }
    assertMove(G41, c(0, 1), Move.W, c(0, 0), -1);
    assertMove(G41, c(0, 1), Move.N, c(0, 1), -1);
    assertMove(G41, c(3, 2), Move.E, c(3, 3), -1);
    assertMove(G41, c(1, 1), Move.S, c(2, 1), -1);
    ModelException e = assertThrows(ModelException.class, () -> G41.transition(c(0, 0), Move.E));
    assertTrue(e.getMessage().contains("not available"), e.getMessage());
  }

  @Test
  void figure41ValuesAreTheFixedPointOfTheRandomPolicy() {
    // Sutton & Barto 2018, Figure 4.1 (k = infinity), typed from the book: v_pi is whole numbers
    long[][] book = {{0, -14, -20, -22}, {-14, -18, -20, -20}, {-20, -20, -18, -14},
        {-22, -20, -14, 0}};
    BigFraction[] v = new BigFraction[16];
    for (int s = 0; s < 16; s++) {
      Cell cell = G41.states().value(s);
      v[s] = new BigFraction(book[cell.row()][cell.col()]);
    }
    // with gamma = 1 and a proper policy the fixed point of T^pi (0 at terminals) is unique
    assertArrayEquals(v, ExactBellman.uniform(G41, v));
    v[1] = v[1].add(BigFraction.ONE); // and a wrong table is not a fixed point
    assertFalse(java.util.Arrays.equals(v, ExactBellman.uniform(G41, v)));
  }

  @Test
  void bookTablesAreFreshCopies() {
    GridWorld.figure32()[0][0] = 99;
    assertEquals(3.3, GridWorld.figure32()[0][0]);
    assertEquals(24.4, GridWorld.figure35()[0][1]);
    assertEquals(-22, GridWorld.figure41()[0][3]);
  }
}
