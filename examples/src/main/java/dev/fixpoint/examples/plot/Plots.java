package dev.fixpoint.examples.plot;

import dev.fixpoint.dsl.Indexer;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ValueFunction;
import dev.fixpoint.examples.GridWorld.Cell;
import dev.fixpoint.tabular.solve.Solution;
import io.vavr.control.Option;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Builds picture data from results and writes pictures to files. The builders ({@code heatMap},
 * {@code convergence}, {@code learningCurves}) return values holding exactly the numbers drawn;
 * {@code write} renders one as {@code NAME.png} and {@code NAME.svg} in a folder (created if
 * missing), headless ({@code java.awt.headless} is set to true before drawing).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Plots {
  /** Grids up to this many rows and columns get their values written in the cells. */
  public static final int MAX_SIDE_WITH_NUMBERS = 12;

  private Plots() {}

  /**
   * The heat map of a solution: its values, and its policy's action as a glyph in every
   * non-terminal cell.
   *
   * @param title the title
   * @param layout where states go and how actions are drawn
   * @param solution the solution
   * @param <S> state type
   * @param <A> action type
   * @return the picture data
   * @throws IllegalArgumentException when a state lies outside the grid or two share a cell
   */
  public static <S, A> HeatGrid heatMap(String title, GridView<S, A> layout,
      Solution<S, A> solution) {
    return heatMap(title, layout, solution.values(), Option.some(solution.policy()));
  }

  /**
   * The heat map of a value function, with a policy's most likely action in every non-terminal
   * cell when a policy is given. Cells with no state are NaN and blank; terminal states get
   * their value and no glyph.
   *
   * @param title the title
   * @param layout where states go and how actions are drawn
   * @param values the values
   * @param policy the policy to draw, or none
   * @param <S> state type
   * @param <A> action type
   * @return the picture data
   * @throws IllegalArgumentException when a state lies outside the grid or two share a cell
   */
  public static <S, A> HeatGrid heatMap(String title, GridView<S, A> layout,
      ValueFunction<S> values, Option<TabularPolicy<S, A>> policy) {
    Objects.requireNonNull(layout, "layout");
    int rows = layout.rows();
    int cols = layout.cols();
    double[][] v = new double[rows][cols];
    Glyph[][] g = new Glyph[rows][cols];
    Object[][] owner = new Object[rows][cols];
    for (double[] row : v) {
      Arrays.fill(row, Double.NaN);
    }
    for (Glyph[] row : g) {
      Arrays.fill(row, Glyph.blank());
    }
    Indexer<S> states = values.states();
    for (int i = 0; i < states.size(); i++) {
      S s = states.value(i);
      Option<Cell> at = layout.position().apply(s);
      if (at.isEmpty()) {
        continue;
      }
      Cell c = at.get();
      if (c.row() >= rows || c.col() >= cols) {
        throw new IllegalArgumentException("state " + s + " is placed at " + c + ", outside the "
            + rows + " x " + cols + " grid");
      }
      if (owner[c.row()][c.col()] != null) {
        throw new IllegalArgumentException("states " + owner[c.row()][c.col()] + " and " + s
            + " are both placed at " + c);
      }
      owner[c.row()][c.col()] = s;
      v[c.row()][c.col()] = values.valueAt(i);
      if (policy.isDefined()) {
        TabularMdp<S, A> m = policy.get().mdp();
        int j = m.states().indexOf(s);
        if (!m.isTerminal(j)) {
          g[c.row()][c.col()] = layout.glyph().apply(policy.get().action(s));
        }
      }
    }
    List<String> rowLabels = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      rowLabels.add(layout.axes().rowLabel().apply(r));
    }
    List<String> colLabels = new ArrayList<>(cols);
    for (int c = 0; c < cols; c++) {
      colLabels.add(layout.axes().colLabel().apply(c));
    }
    boolean numbers = rows <= MAX_SIDE_WITH_NUMBERS && cols <= MAX_SIDE_WITH_NUMBERS;
    return new HeatGrid(title, v, g, numbers, layout.axes().xTitle(), layout.axes().yTitle(),
        rowLabels, colLabels);
  }

  /**
   * The convergence curves of value-iteration runs: residual per sweep on a log scale, and for the
   * first trace with gamma &lt; 1 the contraction bound r_1 gamma^(k - 1) as a reference curve.
   *
   * @param title the title
   * @param traces the runs, at least one
   * @return the figure; series i is trace i's residuals against sweeps 1, 2, ...; the bound, when
   *     drawn, comes last
   */
  public static LineFigure convergence(String title, List<ConvergenceTrace> traces) {
    if (traces.isEmpty()) {
      throw new IllegalArgumentException("no traces to draw");
    }
    List<Series> series = new ArrayList<>();
    for (ConvergenceTrace t : traces) {
      series.add(Series.indexed(t.label(), t.residuals()));
    }
    ConvergenceTrace first = traces.get(0);
    if (first.discount() < 1 && first.sweeps() > 0) {
      double[] bound = new double[first.sweeps()];
      double r1 = first.residuals()[0];
      for (int k = 0; k < bound.length; k++) {
        bound[k] = r1 * Math.pow(first.discount(), k);
      }
      series.add(Series.indexed("bound r1 gamma^(k-1), gamma = " + first.discount(), bound));
    }
    return LineFigure.of(title, "sweep k", "residual ||v_k - v_(k-1)||", true, series);
  }

  /**
   * {@return a learning-curve figure: return per episode, linear axes}
   *
   * @param title the title
   * @param curves the curves, e.g. from {@link LearningCurves#meanReturns}
   */
  public static LineFigure learningCurves(String title, List<Series> curves) {
    return LineFigure.of(title, "episode", "sum of rewards during episode", false, curves);
  }

  /**
   * Writes a heat map as {@code baseName.png} and {@code baseName.svg} in a folder.
   *
   * @param grid the picture
   * @param dir the folder, created with its parents if missing
   * @param baseName the file name without extension: letters, digits, '.', '-', '_'
   * @return the two files
   * @throws UncheckedIOException when a file cannot be written
   */
  public static PlotFiles write(HeatGrid grid, Path dir, String baseName) {
    try {
      return Render.heatMap(grid, dir, checkName(baseName));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + baseName + " in " + dir, e);
    }
  }

  /**
   * Writes a line figure as {@code baseName.png} and {@code baseName.svg} in a folder.
   *
   * @param figure the picture
   * @param dir the folder, created with its parents if missing
   * @param baseName the file name without extension: letters, digits, '.', '-', '_'
   * @return the two files
   * @throws UncheckedIOException when a file cannot be written
   */
  public static PlotFiles write(LineFigure figure, Path dir, String baseName) {
    try {
      return Render.lines(figure, dir, checkName(baseName));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + baseName + " in " + dir, e);
    }
  }

  private static String checkName(String baseName) {
    if (!baseName.matches("[A-Za-z0-9._-]+") || baseName.startsWith(".")) {
      throw new IllegalArgumentException("file name \"" + baseName + "\" must be letters, digits, "
          + "'.', '-' or '_' and not start with '.'");
    }
    return baseName;
  }
}
