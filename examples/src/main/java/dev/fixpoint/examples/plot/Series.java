package dev.fixpoint.examples.plot;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One curve of a line figure.
 *
 * @param name the legend entry
 * @param x the abscissae (copied)
 * @param y the ordinates, as long as x (copied)
 */
@API(status = API.Status.EXPERIMENTAL)
public record Series(String name, double[] x, double[] y) {

  /** Checks the lengths and copies the arrays. */
  public Series {
    Objects.requireNonNull(name, "name");
    if (x.length != y.length) {
      throw new IllegalArgumentException("series " + name + ": " + x.length + " x values and "
          + y.length + " y values");
    }
    x = x.clone();
    y = y.clone();
  }

  /**
   * {@return a series with x = 1, 2, ..., n (episodes or sweeps counted from 1)}
   *
   * @param name the legend entry
   * @param y the values
   */
  public static Series indexed(String name, double[] y) {
    double[] x = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    return new Series(name, x, y);
  }

  /** {@return the abscissae (a copy)} */
  @Override
  public double[] x() {
    return x.clone();
  }

  /** {@return the ordinates (a copy)} */
  @Override
  public double[] y() {
    return y.clone();
  }

  /**
   * {@return this series smoothed by a trailing moving average: y'_i = mean of y_{max(0, i - w +
   * 1)} .. y_i}
   *
   * @param window w, at least 1 (1 leaves the series unchanged)
   */
  public Series movingAverage(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    double[] out = new double[y.length];
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      sum += y[i];
      if (i >= window) {
        sum -= y[i - window];
      }
      out[i] = sum / Math.min(i + 1, window);
    }
    return new Series(name, x, out);
  }
}
