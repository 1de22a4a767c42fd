package dev.fixpoint.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.knowm.xchart.internal.chartpart.Annotation;

/**
 * Draws, over XChart's heat map, each cell's value (when asked) and glyph. Cell rectangles are
 * placed as XChart's heat map places them: the plot area less a margin of (1 - plotContentSize)/2
 * on each side, split evenly into rows and columns. Package-private.
 */
final class CellAnnotation extends Annotation {
  private final HeatGrid grid;
  private final double min;
  private final double max;

  CellAnnotation(HeatGrid grid, double min, double max) {
    super(true);
    this.grid = grid;
    this.min = min;
    this.max = max;
  }

  @Override
  public void paint(Graphics2D g) {
    if (!isVisible) {
      return;
    }
    double x0 = Math.min(getXAxisScreenValueForMin(), getXAxisScreenValueForMax());
    double x1 = Math.max(getXAxisScreenValueForMin(), getXAxisScreenValueForMax());
    double y0 = Math.min(getYAxisScreenValueForMin(), getYAxisScreenValueForMax());
    double y1 = Math.max(getYAxisScreenValueForMin(), getYAxisScreenValueForMax());
    double content = chart.getStyler().getPlotContentSize();
    double mx = Math.floor((x1 - x0) * (1 - content) / 2);
    double my = Math.floor((y1 - y0) * (1 - content) / 2);
    double w = (x1 - x0 - 2 * mx) / grid.cols();
    double h = (y1 - y0 - 2 * my) / grid.rows();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    DecimalFormat df = new DecimalFormat(pattern(), DecimalFormatSymbols.getInstance(Locale.ROOT));
    for (int r = 0; r < grid.rows(); r++) {
      for (int c = 0; c < grid.cols(); c++) {
        double v = grid.value(r, c);
        if (Double.isNaN(v)) {
          continue;
        }
        double left = x0 + mx + c * w;
        double top = y0 + my + r * h;
        Color ink = Render.ink(Render.colour(v, min, max));
        g.setColor(ink);
        Glyph glyph = grid.glyph(r, c);
        boolean hasGlyph = !(glyph instanceof Glyph.Blank);
        if (grid.showValues()) {
          g.setFont(Render.font(Math.max(8, Math.min(14, h * 0.22)), false));
          FontMetrics fm = g.getFontMetrics();
          String text = df.format(v);
          double ty = hasGlyph ? top + fm.getAscent() + 2 : top + (h + fm.getAscent()) / 2;
          g.drawString(text, (float) (left + (w - fm.stringWidth(text)) / 2), (float) ty);
        }
        double cx = left + w / 2;
        double cy = grid.showValues() ? top + h * 0.62 : top + h / 2;
        double size = Math.min(w, h) * (grid.showValues() ? 0.3 : 0.38);
        switch (glyph) {
          case Glyph.Arrow a -> arrow(g, cx, cy, a.dCol(), a.dRow(), size);
          case Glyph.Text t -> {
            g.setFont(Render.font(Math.max(7, Math.min(16, Math.min(w, h) * 0.45)), true));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(t.text(), (float) (cx - fm.stringWidth(t.text()) / 2.0),
                (float) (cy + fm.getAscent() / 2.0 - 1));
          }
          case Glyph.Blank b -> { }
        }
      }
    }
  }

  private String pattern() {
    double span = Math.max(Math.abs(min), Math.abs(max));
    return span >= 100 ? "0" : span >= 10 ? "0.0" : "0.00";
  }

  /** An arrow of half-length {@code size} through (cx, cy) pointing along (dx, dy), y down. */
  private static void arrow(Graphics2D g, double cx, double cy, int dx, int dy, double size) {
    double len = Math.hypot(dx, dy);
    double ux = dx / len;
    double uy = dy / len;
    double tipX = cx + ux * size;
    double tipY = cy + uy * size;
    g.setStroke(new BasicStroke((float) Math.max(1.2, size / 6)));
    Path2D.Double shaft = new Path2D.Double();
    shaft.moveTo(cx - ux * size, cy - uy * size);
    shaft.lineTo(tipX - ux * size * 0.4, tipY - uy * size * 0.4);
    g.draw(shaft);
    double head = size * 0.6;
    Path2D.Double tip = new Path2D.Double();
    tip.moveTo(tipX, tipY);
    tip.lineTo(tipX - ux * head - uy * head * 0.6, tipY - uy * head + ux * head * 0.6);
    tip.lineTo(tipX - ux * head + uy * head * 0.6, tipY - uy * head - ux * head * 0.6);
    tip.closePath();
    g.fill(tip);
  }
}
