package dev.fixpoint.examples.plot;

import io.vavr.control.Option;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The data of a line chart.
 *
 * @param title the title
 * @param xLabel the x axis label
 * @param yLabel the y axis label
 * @param logY whether the y axis is logarithmic; points with y &lt;= 0 are then left out of the
 *     drawing (they stay in the data)
 * @param series the curves, at least one
 * @param yRange the y axis range to show, or none for XChart's automatic range (points outside
 *     are clipped in the drawing and stay in the data)
 * @param dashed the names of the series drawn as grey dashed lines (reference levels such as an
 *     optimal value); names that match no series are ignored
 */
@API(status = API.Status.EXPERIMENTAL)
public record LineFigure(String title, String xLabel, String yLabel, boolean logY,
    List<Series> series, Option<Range> yRange, List<String> dashed) {

  /**
   * A figure with no dashed series.
   *
   * @param title the title
   * @param xLabel the x axis label
   * @param yLabel the y axis label
   * @param logY whether the y axis is logarithmic
   * @param series the curves, at least one
   * @param yRange the y axis range, or none
   */
  public LineFigure(String title, String xLabel, String yLabel, boolean logY,
      List<Series> series, Option<Range> yRange) {
    this(title, xLabel, yLabel, logY, series, yRange, List.of());
  }

  /**
   * An axis range.
   *
   * @param min the lower end
   * @param max the upper end, above min
   */
  public record Range(double min, double max) {
    /** Checks the ends. */
    public Range {
      if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
        throw new IllegalArgumentException("range [" + min + ", " + max + "] must be finite with "
            + "min < max");
      }
    }
  }

  /**
   * {@return a figure with the automatic y range}
   *
   * @param title the title
   * @param xLabel the x axis label
   * @param yLabel the y axis label
   * @param logY whether the y axis is logarithmic
   * @param series the curves
   */
  public static LineFigure of(String title, String xLabel, String yLabel, boolean logY,
      List<Series> series) {
    return new LineFigure(title, xLabel, yLabel, logY, series, Option.none());
  }

  /**
   * {@return this figure showing the y range [min, max]}
   *
   * @param min the lower end
   * @param max the upper end
   */
  public LineFigure withYRange(double min, double max) {
    return new LineFigure(title, xLabel, yLabel, logY, series, Option.some(new Range(min, max)),
        dashed);
  }

  /**
   * {@return this figure drawing the named series as grey dashed lines (added to those already
   * dashed)}
   *
   * @param names series names
   */
  public LineFigure withDashed(String... names) {
    List<String> all = new java.util.ArrayList<>(dashed);
    all.addAll(List.of(names));
    return new LineFigure(title, xLabel, yLabel, logY, series, yRange, all);
  }

  /** Checks the components. */
  public LineFigure {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(xLabel, "xLabel");
    Objects.requireNonNull(yLabel, "yLabel");
    Objects.requireNonNull(yRange, "yRange");
    dashed = List.copyOf(dashed);
    series = List.copyOf(series);
    if (series.isEmpty()) {
      throw new IllegalArgumentException("a line figure needs at least one series");
    }
  }
}
