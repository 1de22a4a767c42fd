package dev.fixpoint.examples;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The deterministic grid worlds of Sutton &amp; Barto, <i>Reinforcement Learning: An
 * Introduction</i>, 2nd ed. (2018): Example 3.5 (Figures 3.2 and 3.5) and Example 4.1 (Figure
 * 4.1). States are {@link Cell}s indexed row-major from the top-left corner, actions are the four
 * compass {@link Move}s, every move is deterministic.
 *
 * <p>The numbers the book prints for these models are kept here as data ({@link #figure32()},
 * {@link #figure35()}, {@link #figure41()}) so that the {@link Tour} can show them next to ours.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class GridWorld {
  private GridWorld() {}

  /**
   * A cell of the grid; row 0 is the top row, column 0 the left column.
   *
   * @param row the row index, from 0
   * @param col the column index, from 0
   */
  public record Cell(int row, int col) {
    /** Checks that both indices are non-negative. */
    public Cell {
      if (row < 0 || col < 0) {
        throw new IllegalArgumentException("cell (" + row + "," + col + ") has a negative index");
      }
    }

    /** {@return the cell as "(row,col)"} */
    @Override
    public String toString() {
      return "(" + row + "," + col + ")";
    }
  }

  /** A move on the grid: north is up (row - 1), east is right (col + 1). */
  public enum Move {
    /** Up one row. */
    N(-1, 0),
    /** Down one row. */
    S(1, 0),
    /** Right one column. */
    E(0, 1),
    /** Left one column. */
    W(0, -1);

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

  /** Cell A of Example 3.5. */
  public static final Cell A = new Cell(0, 1);
  /** Where every action from A leads (A', reward +10). */
  public static final Cell A_PRIME = new Cell(4, 1);
  /** Cell B of Example 3.5. */
  public static final Cell B = new Cell(0, 3);
  /** Where every action from B leads (B', reward +5). */
  public static final Cell B_PRIME = new Cell(2, 3);

  /**
   * Sutton &amp; Barto (2018), Example 3.5: a 5x5 grid, actions N, S, E, W. A move that
   * would leave the grid leaves the state unchanged with reward -1; every action from A = (0,1)
   * goes to A' = (4,1) with reward +10; every action from B = (0,3) goes to B' = (2,3) with reward
   * +5; every other move gives reward 0. Discount gamma = 9/10, no terminal state.
   *
   * <p>Figure 3.2 gives v_pi of the equiprobable random policy (e.g. v(A) = 8.8, v(B) = 5.3,
   * top-left 3.3); Figure 3.5 gives v* (v*(A) = 24.4 = 10 / (1 - 0.9^5) rounded, top-left 22.0).
   *
   * @return the description; 25 states, 100 rows, exact
   */
  public static Mdp<Cell, Move> suttonBarto35() {
    return Mdp.<Cell, Move>of(cells(5), s -> List.of(Move.values()), (s, a) -> {
      if (s.equals(A)) {
        return Dist.dirac(Outcome.of(A_PRIME, 10));
      }
      if (s.equals(B)) {
        return Dist.dirac(Outcome.of(B_PRIME, 5));
      }
      Cell to = step(s, a, 5);
      return Dist.dirac(Outcome.of(to, to.equals(s) ? -1 : 0));
    }, new BigFraction(9, 10)).withName("Sutton & Barto Example 3.5 gridworld");
  }

  /**
   * Sutton &amp; Barto (2018), Example 4.1: a 4x4 grid whose top-left (0,0) and
   * bottom-right (3,3) cells are terminal (the book's single shaded terminal state, drawn twice;
   * here two terminal cells, which gives the same values). Actions N, S, E, W; a move off the grid
   * leaves the state unchanged; every transition has reward -1; undiscounted (gamma = 1).
   *
   * <p>Figure 4.1 (k = infinity) gives v_pi of the equiprobable random policy, whole numbers: 0,
   * -14, -20, -22 on the first row, -14, -18, -20, -20 on the second, and the rest by symmetry.
   * With gamma = 1 a policy has finite values only when it reaches a terminal cell with probability
   * 1 (it is proper); the random policy is, a policy that walks into a wall forever is not.
   *
   * @return the description; 16 states of which 2 terminal, 56 rows, exact
   */
  public static Mdp<Cell, Move> suttonBarto41() {
    Set<Cell> terminal = Set.of(new Cell(0, 0), new Cell(3, 3));
    return Mdp.<Cell, Move>of(cells(4), s -> List.of(Move.values()),
        (s, a) -> Dist.dirac(Outcome.of(step(s, a, 4), -1)), BigFraction.ONE)
        .withTerminal(terminal).withName("Sutton & Barto Example 4.1 gridworld");
  }

  /** {@return the cells of an n x n grid, row-major} @param n the side */
  private static List<Cell> cells(int n) {
    List<Cell> out = new ArrayList<>(n * n);
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        out.add(new Cell(r, c));
      }
    }
    return out;
  }

  /** {@return the cell reached by a move, or the same cell when it would leave the grid} */
  private static Cell step(Cell s, Move a, int n) {
    int r = s.row() + a.dRow();
    int c = s.col() + a.dCol();
    return r >= 0 && r < n && c >= 0 && c < n ? new Cell(r, c) : s;
  }

  // ---------------------------------------------------------------- the book's numbers

  /**
   * {@return Figure 3.2 of Sutton &amp; Barto (2018): v_pi of the equiprobable random policy on
   * the Example 3.5 grid, as printed (one decimal), indexed [row][col]; a fresh array}
   */
  public static double[][] figure32() {
    return new double[][] {
        {3.3, 8.8, 4.4, 5.3, 1.5},
        {1.5, 3.0, 2.3, 1.9, 0.5},
        {0.1, 0.7, 0.7, 0.4, -0.4},
        {-1.0, -0.4, -0.4, -0.6, -1.2},
        {-1.9, -1.3, -1.2, -1.4, -2.0}};
  }

  /**
   * {@return Figure 3.5 (middle panel) of Sutton &amp; Barto (2018): v* on the Example 3.5 grid,
   * as printed (one decimal), indexed [row][col]; a fresh array}
   */
  public static double[][] figure35() {
    return new double[][] {
        {22.0, 24.4, 22.0, 19.4, 17.5},
        {19.8, 22.0, 19.8, 17.8, 16.0},
        {17.8, 19.8, 17.8, 16.0, 14.4},
        {16.0, 17.8, 16.0, 14.4, 13.0},
        {14.4, 16.0, 14.4, 13.0, 11.7}};
  }

  /**
   * {@return Figure 4.1 (k = infinity) of Sutton &amp; Barto (2018): v_pi of the equiprobable
   * random policy on the Example 4.1 grid, whole numbers as printed, indexed [row][col]; a fresh
   * array}
   */
  public static long[][] figure41() {
    return new long[][] {
        {0, -14, -20, -22},
        {-14, -18, -20, -20},
        {-20, -20, -18, -14},
        {-22, -20, -14, 0}};
  }
}
