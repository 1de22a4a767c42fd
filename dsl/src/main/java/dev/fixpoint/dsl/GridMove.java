package dev.fixpoint.dsl;

import org.apiguardian.api.API;

/**
 * The four moves of a gridworld, in gym-classics' action order (Daley, gym-classics 0.0.2,
 * {@code gridworld.py}): 0 up, 1 right, 2 down, 3 left, so {@code ordinal()} is that action number.
 * Row and column changes are in layout indices (row 0 on top, so "up" is row - 1).
 */
@API(status = API.Status.EXPERIMENTAL)
public enum GridMove {
  /** Action 0: one line up (y + 1). */
  UP(-1, 0),
  /** Action 1: one column right (x + 1). */
  RIGHT(0, 1),
  /** Action 2: one line down (y - 1). */
  DOWN(1, 0),
  /** Action 3: one column left (x - 1). */
  LEFT(0, -1);

  private final int dRow;
  private final int dCol;

  GridMove(int dRow, int dCol) {
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

  /** {@return the move a quarter turn counter-clockwise from this one (UP to LEFT)} */
  public GridMove turnLeft() {
    return values()[(ordinal() + 3) % 4];
  }

  /** {@return the move a quarter turn clockwise from this one (UP to RIGHT)} */
  public GridMove turnRight() {
    return values()[(ordinal() + 1) % 4];
  }
}
