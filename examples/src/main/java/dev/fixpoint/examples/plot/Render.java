package dev.fixpoint.examples.plot;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws picture data with XChart. Package-private: the API is {@link Plots}. */
final class Render {
  /** A perceptually ordered palette (the five stops of matplotlib's viridis), low to high. */
  static final Color[] PALETTE = {new Color(0x44, 0x01, 0x54), new Color(0x3b, 0x52, 0x8b),
      new Color(0x21, 0x90, 0x8c), new Color(0x5d, 0xc8, 0x63), new Color(0xfd, 0xe7, 0x25)};

  /** The stroke of reference lines ({@link LineFigure#withDashed}). */
  static final java.awt.BasicStroke DASHED = new java.awt.BasicStroke(1.5f,
      java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);

  private Render() {}

  static PlotFiles heatMap(HeatGrid grid, Path dir, String name) throws IOException {
    headless();
    int rows = grid.rows();
    int cols = grid.cols();
    int cell = Math.max(22, Math.min(80, 640 / Math.max(rows, cols)));
    HeatMapChart chart = new HeatMapChartBuilder().width(cols * cell + 240)
        .height(rows * cell + 150).title(grid.title()).build();
    chart.setXAxisTitle(grid.xTitle());
    chart.setYAxisTitle(grid.yTitle());
    chart.getStyler().setRangeColors(PALETTE).setShowValue(false).setDrawBorder(false);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    List<String> xs = grid.colLabels();
    List<String> ys = new ArrayList<>(rows);
    for (int y = 0; y < rows; y++) {
      ys.add(grid.rowLabels().get(rows - 1 - y)); // XChart puts y = 0 at the bottom
    }
    List<Number[]> data = new ArrayList<>();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double v = grid.value(r, c);
        if (!Double.isNaN(v)) {
          data.add(new Number[] {c, rows - 1 - r, v});
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (data.isEmpty()) {
      throw new IllegalArgumentException("heat map \"" + grid.title() + "\": no cell has a value");
    }
    double span = Math.max(Math.abs(min), Math.abs(max));
    chart.getStyler().setHeatMapValueDecimalPattern(span >= 100 ? "0" : span >= 10 ? "0.0" : "0.00");
    chart.addSeries("value", xs, ys, data);
    chart.addAnnotation(new CellAnnotation(grid, min, max));
    return write(chart, dir, name);
  }

  static PlotFiles lines(LineFigure f, Path dir, String name) throws IOException {
    headless();
    XYChart chart = new XYChartBuilder().width(900).height(560).title(f.title()).build();
    chart.setXAxisTitle(f.xLabel());
    chart.setYAxisTitle(f.yLabel());
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    boolean log = f.logY();
    if (log) {
      boolean anyPositive = false;
      for (Series s : f.series()) {
        for (double y : s.y()) {
          anyPositive |= y > 0;
        }
      }
      log = anyPositive;
    }
    chart.getStyler().setYAxisLogarithmic(log);
    if (f.yRange().isDefined()) {
      chart.getStyler().setYAxisMin(f.yRange().get().min()).setYAxisMax(f.yRange().get().max());
      chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    }
    List<String> used = new ArrayList<>();
    for (Series s : f.series()) {
      double[] x = s.x();
      double[] y = s.y();
      int n = 0;
      for (int i = 0; i < y.length; i++) {
        if (Double.isFinite(y[i]) && (!log || y[i] > 0)) {
          x[n] = x[i];
          y[n] = y[i];
          n++;
        }
      }
      if (n == 0) {
        continue;
      }
      String label = s.name();
      while (used.contains(label)) {
        label = label + " ";
      }
      used.add(label);
      XYSeries xy = chart.addSeries(label, java.util.Arrays.copyOf(x, n),
          java.util.Arrays.copyOf(y, n));
      xy.setMarker(SeriesMarkers.NONE);
      if (f.dashed().contains(s.name())) {
        xy.setLineColor(Color.GRAY);
        xy.setLineStyle(DASHED);
      }
    }
    if (used.isEmpty()) {
      throw new IllegalArgumentException("figure \"" + f.title() + "\": no finite point to draw");
    }
    return write(chart, dir, name);
  }

  private static PlotFiles write(IChart chart, Path dir, String name) throws IOException {
    // draw both in memory first, so that a drawing error leaves no half-written file
    byte[] pngBytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    ByteArrayOutputStream svgBytes = new ByteArrayOutputStream();
    VectorGraphicsEncoder.saveVectorGraphic(chart, svgBytes,
        VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    Files.createDirectories(dir);
    Path png = dir.resolve(name + ".png");
    Path svg = dir.resolve(name + ".svg");
    Files.write(png, pngBytes);
    Files.write(svg, svgBytes.toByteArray());
    return new PlotFiles(png, svg);
  }

  /** Drawing needs no display: set before the first AWT class is asked for a toolkit. */
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  /** {@return the palette colour of a value in [min, max], as XChart's gradient computes it} */
  static Color colour(double v, double min, double max) {
    if (!(max > min) || v <= min) {
      return PALETTE[0];
    }
    if (v >= max) {
      return PALETTE[PALETTE.length - 1];
    }
    double at = (v - min) / (max - min) * (PALETTE.length - 1);
    int i = (int) at;
    double t = at - i;
    Color a = PALETTE[i];
    Color b = PALETTE[Math.min(i + 1, PALETTE.length - 1)];
    return new Color((int) (a.getRed() + t * (b.getRed() - a.getRed())),
        (int) (a.getGreen() + t * (b.getGreen() - a.getGreen())),
        (int) (a.getBlue() + t * (b.getBlue() - a.getBlue())));
  }

  /** {@return black or white, whichever reads better on the background} */
  static Color ink(Color background) {
    double lum = 0.2126 * background.getRed() + 0.7152 * background.getGreen()
        + 0.0722 * background.getBlue();
    return lum > 140 ? Color.BLACK : Color.WHITE;
  }

  static Font font(double size, boolean bold) {
    return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, (int) Math.round(size));
  }
}
