package dev.fixpoint.examples.plot;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The data of a value heat map: a value and a glyph per cell. Cells without a state hold NaN and
 * {@link Glyph.Blank}.
 *
 * @param title the picture's title
 * @param values {@code values[row][col]}, NaN where no state is drawn (copied)
 * @param glyphs {@code glyphs[row][col]}, the policy's action in that cell (copied)
 * @param showValues whether the numbers are written in the cells as well as coloured
 * @param xTitle the title under the columns
 * @param yTitle the title beside the rows
 * @param rowLabels the tick label of each row, top to bottom
 * @param colLabels the tick label of each column, left to right
 */
@API(status = API.Status.EXPERIMENTAL)
public record HeatGrid(String title, double[][] values, Glyph[][] glyphs, boolean showValues,
    String xTitle, String yTitle, List<String> rowLabels, List<String> colLabels) {

  /** Checks the shapes and copies the arrays. */
  public HeatGrid {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(xTitle, "xTitle");
    Objects.requireNonNull(yTitle, "yTitle");
    rowLabels = List.copyOf(rowLabels);
    colLabels = List.copyOf(colLabels);
    if (values.length == 0 || values[0].length == 0) {
      throw new IllegalArgumentException("a heat map needs at least one cell");
    }
    if (glyphs.length != values.length) {
      throw new IllegalArgumentException("glyphs have " + glyphs.length + " rows, values "
          + values.length);
    }
    int cols = values[0].length;
    double[][] v = new double[values.length][];
    Glyph[][] g = new Glyph[values.length][];
    for (int r = 0; r < values.length; r++) {
      if (values[r].length != cols || glyphs[r].length != cols) {
        throw new IllegalArgumentException("row " + r + " has " + values[r].length + " values and "
            + glyphs[r].length + " glyphs, expected " + cols);
      }
      v[r] = values[r].clone();
      g[r] = glyphs[r].clone();
      for (Glyph x : g[r]) {
        Objects.requireNonNull(x, "glyph");
      }
    }
    if (rowLabels.size() != values.length || colLabels.size() != cols) {
      throw new IllegalArgumentException(rowLabels.size() + " row labels and " + colLabels.size()
          + " column labels for " + values.length + " x " + cols + " cells");
    }
    values = v;
    glyphs = g;
  }

  /** {@return the number of rows} */
  public int rows() {
    return values.length;
  }

  /** {@return the number of columns} */
  public int cols() {
    return values[0].length;
  }

  /**
   * {@return the value drawn in a cell, NaN when there is no state}
   *
   * @param row the row
   * @param col the column
   */
  public double value(int row, int col) {
    return values[row][col];
  }

  /**
   * {@return the glyph drawn in a cell}
   *
   * @param row the row
   * @param col the column
   */
  public Glyph glyph(int row, int col) {
    return glyphs[row][col];
  }

  /** {@return the values, a deep copy} */
  @Override
  public double[][] values() {
    double[][] out = new double[values.length][];
    for (int r = 0; r < values.length; r++) {
      out[r] = values[r].clone();
    }
    return out;
  }

  /** {@return the glyphs, a deep copy} */
  @Override
  public Glyph[][] glyphs() {
    Glyph[][] out = new Glyph[glyphs.length][];
    for (int r = 0; r < glyphs.length; r++) {
      out[r] = glyphs[r].clone();
    }
    return out;
  }
}
