package dev.fixpoint.dsl;

import org.apiguardian.api.API;

/**
 * A state of a gridworld built by {@link GridLayout#toMdp(GridRules)}: a {@link Cell} of the
 * layout, or the absorbing {@link Exit} that an episode enters after acting from a goal when the
 * goal reward is paid on leaving it ({@link GridRules.Payoff#ON_ACTING_FROM_GOAL}).
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface GridState permits GridState.Cell, GridState.Exit {

  /**
   * A cell of a layout, indexed as the layout strings are: row 0 is the top line, column 0 the
   * first character. In gym-classics coordinates (x right, y up, (0,0) bottom left) the cell is
   * x = col, y = height - 1 - row ({@link GridLayout#cellAtXy(int, int)}).
   *
   * @param row the line of the layout, from 0 at the top
   * @param col the character within the line, from 0 at the left
   */
  record Cell(int row, int col) implements GridState {
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

  /**
   * The terminal state after a goal was acted from: value 0, no actions. All instances are equal.
   */
  record Exit() implements GridState {
    /** {@return "exit"} */
    @Override
    public String toString() {
      return "exit";
    }
  }
}
