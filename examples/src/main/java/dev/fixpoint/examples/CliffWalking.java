package dev.fixpoint.examples;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.examples.GridWorld.Cell;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Cliff Walking, Sutton &amp; Barto, <i>Reinforcement Learning: An Introduction</i>, 2nd ed.
 * (2018), Example 6.6 (Figure 6.4), and its Gymnasium port {@code CliffWalking-v0}
 * (Farama Foundation, {@code gymnasium/envs/toy_text/cliffwalking.py}).
 *
 * <p>A 4 x 12 grid of {@link Cell}s, row 0 at the top. The start S is the bottom-left cell (3, 0),
 * the goal G the bottom-right cell (3, 11), and the cells between them on the bottom row, (3, 1) ..
 * (3, 10), are the cliff. Moves up, right, down, left ({@link Move}, in Gymnasium's action order);
 * a move off the grid leaves the agent where it is. Every step earns -1, except a step into the
 * cliff, which earns -100 and puts the agent back at the start. Entering the goal ends the episode
 * (G is terminal). Undiscounted (gamma = 1); every policy that reaches G is proper.
 *
 * <p>The shortest path (up, eleven steps right along row 2, down) has 13 moves, so v*(S) = -13.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class CliffWalking {
  private CliffWalking() {}

  /** Rows of the grid. */
  public static final int ROWS = 4;
  /** Columns of the grid. */
  public static final int COLS = 12;
  /** The start, bottom left. */
  public static final Cell START = new Cell(3, 0);
  /** The goal, bottom right (terminal). */
  public static final Cell GOAL = new Cell(3, 11);

  /**
   * A move, in Gymnasium's action order: {@code ordinal()} is Gymnasium's action number.
   */
  public enum Move {
    /** Action 0: up one row. */
    UP(-1, 0),
    /** Action 1: right one column. */
    RIGHT(0, 1),
    /** Action 2: down one row. */
    DOWN(1, 0),
    /** Action 3: left one column. */
    LEFT(0, -1);

    private final int dRow;
    private final int dCol;

    Move(int dRow, int dCol) {
      this.dRow = dRow;
      this.dCol = dCol;
    }

    /** {@return the change of row index} */
    public int dRow() {
      return dRow;
    }

    /** {@return the change of column index} */
    public int dCol() {
      return dCol;
    }
  }

  /**
   * {@return whether a cell is on the cliff: row 3, columns 1 .. 10}
   *
   * @param c the cell
   */
  public static boolean isCliff(Cell c) {
    return c.row() == ROWS - 1 && c.col() >= 1 && c.col() <= COLS - 2;
  }

  /**
   * The book's version (Example 6.6): the states are the cells reachable from the start, that is
   * every cell but the ten cliff cells, 38 states of which the goal is terminal; 37 x 4 = 148
   * rows. The initial distribution is the start.
   *
   * @return the description, exact, gamma = 1
   */
  public static Mdp<Cell, Move> suttonBarto() {
    return Mdp.<Cell, Move>reachable(Dist.dirac(START), s -> List.of(Move.values()),
        CliffWalking::step, BigFraction.ONE)
        .withTerminal(Set.of(GOAL)).withName("cliff walking (Sutton & Barto Example 6.6)");
  }

  /**
   * Gymnasium's {@code CliffWalking-v0}: the same dynamics over all 48 cells declared row-major,
   * so that the state index is Gymnasium's observation {@code row * 12 + col} and the action index
   * is Gymnasium's action number. The ten cliff cells are states too, as in Gymnasium's table,
   * though no transition leads into them; the goal (index 47) is terminal, where Gymnasium flags
   * the transition into it as terminating. The initial distribution is the start (index 36).
   *
   * @return the description, exact, gamma = 1 (Gymnasium has no discount: choose one with {@link
   *     Mdp#withDiscount(String)})
   */
  public static Mdp<Cell, Move> gymnasium() {
    List<Cell> cells = new ArrayList<>(ROWS * COLS);
    for (int r = 0; r < ROWS; r++) {
      for (int c = 0; c < COLS; c++) {
        cells.add(new Cell(r, c));
      }
    }
    return Mdp.<Cell, Move>of(cells, s -> List.of(Move.values()), CliffWalking::step,
        BigFraction.ONE)
        .withTerminal(Set.of(GOAL)).withInitial(Dist.dirac(START))
        .withName("CliffWalking-v0 (Gymnasium)");
  }

  private static Dist<Outcome<Cell>> step(Cell s, Move a) {
    int r = Math.min(Math.max(s.row() + a.dRow(), 0), ROWS - 1);
    int c = Math.min(Math.max(s.col() + a.dCol(), 0), COLS - 1);
    Cell to = new Cell(r, c);
    return isCliff(to) ? Dist.dirac(Outcome.of(START, -100)) : Dist.dirac(Outcome.of(to, -1));
  }
}
