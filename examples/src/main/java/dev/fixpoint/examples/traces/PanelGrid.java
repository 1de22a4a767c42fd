package dev.fixpoint.examples.traces;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;

/**
 * Several XChart charts of one size drawn as the panels of one figure, row by row in a grid of a
 * given number of columns: a PNG (each chart painted into its cell of one image) and an SVG (each
 * chart's own SVG nested as an {@code <svg x y>} element of one document, its ids prefixed by
 * the panel number so that clip paths of different panels never clash).
 */
final class PanelGrid {
  private PanelGrid() {}

  private static final Pattern ROOT_XY = Pattern.compile("\\s(x|y)=\"[^\"]*\"");

  /** {@return the PNG bytes of the charts in a grid of {@code cols} columns} */
  static byte[] png(List<XYChart> charts, int cols, int width, int height) throws IOException {
    int rows = (charts.size() + cols - 1) / cols;
    BufferedImage img = new BufferedImage(cols * width, rows * height,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      for (int i = 0; i < charts.size(); i++) {
        Graphics2D cell = (Graphics2D) g.create((i % cols) * width, (i / cols) * height, width,
            height);
        try {
          charts.get(i).paint(cell, width, height);
        } finally {
          cell.dispose();
        }
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** {@return the SVG text of the charts in a grid of {@code cols} columns} */
  static String svg(List<XYChart> charts, int cols, int width, int height) throws IOException {
    int rows = (charts.size() + cols - 1) / cols;
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" "
            + "xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"")
        .append(cols * width).append("\" height=\"").append(rows * height)
        .append("\" viewBox=\"0 0 ").append(cols * width).append(' ').append(rows * height)
        .append("\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    for (int i = 0; i < charts.size(); i++) {
      ByteArrayOutputStream one = new ByteArrayOutputStream();
      VectorGraphicsEncoder.saveVectorGraphic(charts.get(i), one,
          VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      b.append(nest(one.toString(StandardCharsets.UTF_8), "p" + i + "-",
          (i % cols) * width, (i / cols) * height)).append('\n');
    }
    return b.append("</svg>\n").toString();
  }

  /** One chart's SVG document as a nested element at (x, y), ids prefixed. */
  static String nest(String doc, String prefix, int x, int y) {
    int start = doc.indexOf("<svg");
    if (start < 0) {
      throw new IllegalStateException("the chart's SVG has no <svg> element");
    }
    String body = doc.substring(start);
    int close = body.indexOf('>');
    String root = ROOT_XY.matcher(body.substring(0, close)).replaceAll("");
    root = root.replaceFirst("<svg", "<svg x=\"" + x + "\" y=\"" + y + "\"");
    body = root + body.substring(close);
    body = body.replace("id=\"", "id=\"" + prefix).replace("url(#", "url(#" + prefix)
        .replace("href=\"#", "href=\"#" + prefix);
    return body;
  }
}
