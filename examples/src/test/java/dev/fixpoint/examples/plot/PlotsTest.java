package dev.fixpoint.examples.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.CliffWalking;
import dev.fixpoint.examples.GridWorld;
import dev.fixpoint.examples.GridWorld.Cell;
import dev.fixpoint.examples.JacksCarRental;
import dev.fixpoint.examples.JacksCarRental.Lots;
import dev.fixpoint.examples.JacksCarRental.Transfer;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import io.vavr.control.Option;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heat-map data and files: the numbers drawn are the numbers computed; files are PNG and SVG. */
class PlotsTest {
  static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  static void assertPictures(PlotFiles f) throws IOException {
    byte[] png = Files.readAllBytes(f.png());
    assertTrue(png.length > 1000, "png size " + png.length);
    assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, 8));
    String svg = Files.readString(f.svg(), StandardCharsets.UTF_8);
    assertTrue(svg.startsWith("<?xml"), svg.substring(0, Math.min(40, svg.length())));
    assertTrue(svg.contains("<svg") && svg.trim().endsWith("</svg>"));
  }

  @Test
  void gridWorldHeatMapHoldsTheSolutionAndTheBooksArrows() {
    TabularMdp<Cell, GridWorld.Move> m = GridWorld.suttonBarto35().tabulate();
    Solution<Cell, GridWorld.Move> s = PolicyIteration.solveExact(m);
    HeatGrid g = Plots.heatMap("v*", GridView.gridWorld(5), s);
    assertEquals(5, g.rows());
    assertEquals(5, g.cols());
    for (int r = 0; r < 5; r++) {
      for (int c = 0; c < 5; c++) {
        assertEquals(s.values().value(new Cell(r, c)), g.value(r, c));
      }
    }
    // Sutton & Barto 2018, Figure 3.5 (right): pi* points up at (1,1), below A, and (2,1)
    assertEquals(Glyph.arrow(-1, 0), g.glyph(1, 1));
    assertEquals(Glyph.arrow(-1, 0), g.glyph(2, 1));
    assertEquals(List.of("0", "1", "2", "3", "4"), g.rowLabels());
    assertTrue(g.showValues());
  }

  @Test
  void cliffHeatMapLeavesTheCliffBlankAndTheGoalWithoutArrow(@TempDir Path dir)
      throws IOException {
    Solution<Cell, CliffWalking.Move> s =
        PolicyIteration.solveExact(CliffWalking.suttonBarto().tabulate());
    HeatGrid g = Plots.heatMap("cliff", GridView.cliffWalking(), s);
    assertTrue(Double.isNaN(g.value(3, 5)));
    assertEquals(Glyph.blank(), g.glyph(3, 5));
    assertEquals(0.0, g.value(3, 11));
    assertEquals(Glyph.blank(), g.glyph(3, 11)); // terminal: no action
    assertEquals(-13.0, g.value(3, 0));
    assertEquals(Glyph.arrow(-1, 0), g.glyph(3, 0)); // up from the start
    assertEquals(Glyph.arrow(0, 1), g.glyph(2, 4)); // right along the edge
    assertPictures(Plots.write(g, dir.resolve("sub"), "cliff"));
    assertTrue(Files.exists(dir.resolve("sub/cliff.png")));
  }

  @Test
  void jacksHeatMapPutsTwentyCarsAtTheFirstLocationOnTop(@TempDir Path dir) throws IOException {
    // a small instance (5 cars, move up to 2) keeps the test fast; the layout is the book's
    JacksCarRental.Parameters p = new JacksCarRental.Parameters(5, 2, 10, 2, 3, 4, 3, 2,
        new org.apache.commons.math3.fraction.BigFraction(9, 10));
    TabularMdp<Lots, Transfer> m = JacksCarRental.of(p).tabulate();
    Solution<Lots, Transfer> s = PolicyIteration.solve(m);
    HeatGrid g = Plots.heatMap("jack", GridView.jacksCarRental(5), s);
    assertEquals(s.values().value(new Lots(5, 0)), g.value(0, 0));
    assertEquals(s.values().value(new Lots(0, 5)), g.value(5, 5));
    assertEquals(Glyph.text(Integer.toString(s.policy().action(new Lots(5, 0)).cars())),
        g.glyph(0, 0));
    assertEquals("5", g.rowLabels().get(0));
    assertEquals("cars at the first location", g.yTitle());
    assertPictures(Plots.write(g, dir, "jack"));
  }

  @Test
  void valuesWithoutPolicyHaveNoGlyphs() {
    TabularMdp<Cell, GridWorld.Move> m = GridWorld.suttonBarto41().tabulate();
    Solution<Cell, GridWorld.Move> s = PolicyIteration.solveExact(m);
    HeatGrid g = Plots.heatMap("v", GridView.gridWorld(4), s.values(), Option.none());
    assertEquals(Glyph.blank(), g.glyph(1, 1));
    assertEquals(-1.0, g.value(0, 1)); // one step from the terminal corner
  }

  @Test
  void statesOutsideTheGridOrSharingACellAreRejected() {
    Solution<Cell, GridWorld.Move> s =
        PolicyIteration.solveExact(GridWorld.suttonBarto35().tabulate());
    GridView<Cell, GridWorld.Move> small = new GridView<>(4, 4, Option::some,
        a -> Glyph.blank(), GridView.Axes.indices());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Plots.heatMap("x", small, s));
    assertTrue(e.getMessage().contains("outside the 4 x 4 grid"), e.getMessage());
    GridView<Cell, GridWorld.Move> squash = new GridView<>(5, 5,
        c -> Option.some(new Cell(c.row(), 0)), a -> Glyph.blank(), GridView.Axes.indices());
    e = assertThrows(IllegalArgumentException.class, () -> Plots.heatMap("x", squash, s));
    assertTrue(e.getMessage().contains("both placed at (0,0)"), e.getMessage());
  }

  @Test
  void badFileNamesAreRejected(@TempDir Path dir) {
    LineFigure f = Plots.learningCurves("t", List.of(Series.indexed("a", new double[] {1, 2})));
    assertThrows(IllegalArgumentException.class, () -> Plots.write(f, dir, "../x"));
    assertThrows(IllegalArgumentException.class, () -> Plots.write(f, dir, ""));
  }

  @Test
  void lineFiguresAreWritten(@TempDir Path dir) throws IOException {
    LineFigure f = Plots.learningCurves("t", List.of(Series.indexed("a", new double[] {-5, -3}),
        Series.indexed("b", new double[] {-4, -1}))).withYRange(-10, 0);
    assertPictures(Plots.write(f, dir, "curves"));
    // a log-scale figure whose last point is 0 still draws (the 0 is left out of the drawing)
    LineFigure log = LineFigure.of("r", "k", "r", true,
        List.of(Series.indexed("r", new double[] {1, 0.1, 0})));
    assertPictures(Plots.write(log, dir, "log"));
    assertEquals(0.0, log.series().get(0).y()[2]); // and stays in the data
  }

  @Test
  void movingAverageIsTrailing() {
    Series s = Series.indexed("s", new double[] {1, 2, 3, 4}).movingAverage(2);
    assertArrayEquals(new double[] {1, 1.5, 2.5, 3.5}, s.y());
    assertArrayEquals(new double[] {1, 2, 3, 4}, s.x());
  }

  static long dashes(PlotFiles f) throws IOException {
    String svg = Files.readString(f.svg());
    return svg.split("stroke-dasharray", -1).length - 1;
  }

  // The optimal line of a learning-curve figure: a dashed series is drawn with a dash pattern.
  @Test
  void dashedSeriesAreDrawnWithADashPattern(@TempDir Path dir) throws IOException {
    List<Series> two = List.of(new Series("curve", new double[] {0, 1, 2},
        new double[] {0, 0.5, 0.7}), new Series("optimal", new double[] {0, 2},
        new double[] {1, 1}));
    LineFigure plain = LineFigure.of("t", "x", "y", false, two);
    PlotFiles a = Plots.write(plain, dir, "plain");
    PlotFiles b = Plots.write(plain.withDashed("optimal"), dir, "dashed");
    assertPictures(b);
    assertEquals(List.of("optimal"), plain.withDashed("optimal").dashed());
    // XChart's grid lines are dashed too: the dashed series adds dash patterns (line and legend)
    assertTrue(dashes(b) > dashes(a), dashes(b) + " dash patterns, plain " + dashes(a));
  }
}
