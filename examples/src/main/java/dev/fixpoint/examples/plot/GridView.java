package dev.fixpoint.examples.plot;

import dev.fixpoint.examples.CliffWalking;
import dev.fixpoint.examples.FrozenLake;
import dev.fixpoint.examples.GridWorld;
import dev.fixpoint.examples.GridWorld.Cell;
import dev.fixpoint.examples.JacksCarRental.Lots;
import dev.fixpoint.examples.JacksCarRental.Transfer;
import io.vavr.control.Option;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apiguardian.api.API;

/**
 * How the states of a model sit on a grid and how its actions are drawn: the small interface a
 * model needs to be shown as a heat map. Any state type works; a state whose position is empty
 * is not drawn (the cells of the cliff, say, are left blank).
 *
 * @param rows the number of rows, at least 1; row 0 is drawn at the top
 * @param cols the number of columns, at least 1
 * @param position where a state is drawn, or empty
 * @param glyph how an action is drawn
 * @param axes the axis titles and tick labels
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.EXPERIMENTAL)
public record GridView<S, A>(int rows, int cols, Function<? super S, Option<Cell>> position,
    Function<? super A, Glyph> glyph, Axes axes) {

  /**
   * Axis titles and tick labels of a grid picture.
   *
   * @param xTitle the title under the columns
   * @param yTitle the title beside the rows
   * @param rowLabel the tick label of a row index
   * @param colLabel the tick label of a column index
   */
  public record Axes(String xTitle, String yTitle, IntFunction<String> rowLabel,
      IntFunction<String> colLabel) {
    /** Checks the components. */
    public Axes {
      Objects.requireNonNull(xTitle, "xTitle");
      Objects.requireNonNull(yTitle, "yTitle");
      Objects.requireNonNull(rowLabel, "rowLabel");
      Objects.requireNonNull(colLabel, "colLabel");
    }

    /** {@return titles "column" and "row", indices as tick labels} */
    public static Axes indices() {
      return new Axes("column", "row", Integer::toString, Integer::toString);
    }
  }

  /** Checks the components. */
  public GridView {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("a grid needs at least one row and column, got " + rows
          + " x " + cols);
    }
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(glyph, "glyph");
    Objects.requireNonNull(axes, "axes");
  }

  /**
   * {@return the layout of a grid of {@link Cell}s: each cell at its own place, states outside
   * the grid not drawn}
   *
   * @param rows the rows
   * @param cols the columns
   * @param glyph how an action is drawn
   * @param <A> the action type
   */
  public static <A> GridView<Cell, A> cells(int rows, int cols,
      Function<? super A, Glyph> glyph) {
    return new GridView<>(rows, cols,
        c -> c.row() < rows && c.col() < cols ? Option.some(c) : Option.none(), glyph,
        Axes.indices());
  }

  /**
   * {@return the layout of the Sutton &amp; Barto grid worlds ({@link GridWorld}): n x n cells,
   * compass arrows}
   *
   * @param n the side (5 for Example 3.5, 4 for Example 4.1)
   */
  public static GridView<Cell, GridWorld.Move> gridWorld(int n) {
    return cells(n, n, m -> Glyph.arrow(m.dRow(), m.dCol()));
  }

  /** {@return the layout of cliff walking ({@link CliffWalking}): 4 x 12 cells, arrows} */
  public static GridView<Cell, CliffWalking.Move> cliffWalking() {
    return new GridView<>(CliffWalking.ROWS, CliffWalking.COLS,
        c -> CliffWalking.isCliff(c) ? Option.none() : Option.some(c),
        m -> Glyph.arrow(m.dRow(), m.dCol()), Axes.indices());
  }

  /**
   * {@return the layout of a frozen lake ({@link FrozenLake}) on a map: the map's cells, arrows}
   *
   * @param map the map's rows
   */
  public static GridView<Cell, FrozenLake.Move> frozenLake(List<String> map) {
    return cells(map.size(), map.get(0).length(), m -> Glyph.arrow(m.dRow(), m.dCol()));
  }

  /**
   * {@return the layout of Jack's car rental as in Sutton &amp; Barto's Figure 4.2: cars at the
   * first location upwards (maxCars at the top row), cars at the second location rightwards; the
   * action as its signed number of cars}
   *
   * @param maxCars the most cars a location holds (20 in the book)
   */
  public static GridView<Lots, Transfer> jacksCarRental(int maxCars) {
    return new GridView<>(maxCars + 1, maxCars + 1,
        s -> Option.some(new Cell(maxCars - s.first(), s.second())),
        t -> Glyph.text(Integer.toString(t.cars())),
        new Axes("cars at the second location", "cars at the first location",
            r -> Integer.toString(maxCars - r), Integer::toString));
  }
}
