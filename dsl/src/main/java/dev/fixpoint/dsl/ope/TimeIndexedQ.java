package dev.fixpoint.dsl.ope;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A time-indexed model Q-hat_t(s, a), t = 0..H-1, over the rows of a tabular model (spec
 * estimators.md section 1): the model the direct method and the doubly robust estimators take.
 * Q-hat_t models the remaining-horizon Q^pi_t of the horizon-H problem (H - t steps to go); a
 * stationary table Q-hat(s, a) is the special case Q-hat_t = Q-hat for every t, which is not
 * Q^pi in a horizon-H model. For t &gt;= T (padding) and at terminal states the estimators use 0.
 *
 * <p>Exact when built from rationals ({@link #ofExact}); the exact interpreter refuses a double
 * model. Instances are immutable.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TimeIndexedQ {
  private final double[][] values;
  private final BigFraction @Nullable [][] exact;

  private TimeIndexedQ(double[][] values, BigFraction @Nullable [][] exact) {
    this.values = values;
    this.exact = exact;
  }

  /**
   * {@return a double model} Arrays are copied.
   *
   * @param values values[t][row], t = 0..H-1, finite
   */
  public static TimeIndexedQ of(double[][] values) {
    check(values.length, values.length == 0 ? 0 : values[0].length);
    double[][] v = new double[values.length][];
    for (int t = 0; t < values.length; t++) {
      if (values[t].length != values[0].length) {
        throw new ModelException("Q-hat: step " + t + " has " + values[t].length + " rows, step 0 "
            + values[0].length);
      }
      for (int r = 0; r < values[t].length; r++) {
        if (!Double.isFinite(values[t][r])) {
          throw new ModelException("Q-hat: step " + t + ", row " + r + ": value " + values[t][r]
              + " is not finite");
        }
      }
      v[t] = values[t].clone();
    }
    return new TimeIndexedQ(v, null);
  }

  /**
   * {@return an exact model} Arrays are copied.
   *
   * @param values values[t][row], t = 0..H-1
   */
  public static TimeIndexedQ ofExact(BigFraction[][] values) {
    check(values.length, values.length == 0 ? 0 : values[0].length);
    double[][] v = new double[values.length][];
    BigFraction[][] e = new BigFraction[values.length][];
    for (int t = 0; t < values.length; t++) {
      if (values[t].length != values[0].length) {
        throw new ModelException("Q-hat: step " + t + " has " + values[t].length + " rows, step 0 "
            + values[0].length);
      }
      e[t] = values[t].clone();
      v[t] = Rationals.toDoubles(e[t]);
    }
    return new TimeIndexedQ(v, e);
  }

  /**
   * {@return the stationary model Q-hat_t = q for t = 0..H-1} Exact.
   *
   * @param q a Q-table over rows
   * @param horizon H
   */
  public static TimeIndexedQ stationaryExact(BigFraction[] q, int horizon) {
    BigFraction[][] e = new BigFraction[horizon][];
    for (int t = 0; t < horizon; t++) {
      e[t] = q;
    }
    return ofExact(e);
  }

  /**
   * {@return the stationary model Q-hat_t = q for t = 0..H-1}
   *
   * @param q a Q-table over rows
   * @param horizon H
   */
  public static TimeIndexedQ stationary(double[] q, int horizon) {
    double[][] v = new double[horizon][];
    for (int t = 0; t < horizon; t++) {
      v[t] = q;
    }
    return of(v);
  }

  /**
   * {@return Q-hat = 0 (exact): DR with it is PDIS, WDR is WPDIS}
   *
   * @param rows the number of rows of the model
   * @param horizon H
   */
  public static TimeIndexedQ zero(int rows, int horizon) {
    BigFraction[] z = new BigFraction[rows];
    java.util.Arrays.fill(z, BigFraction.ZERO);
    return stationaryExact(z, horizon);
  }

  private static void check(int horizon, int rows) {
    if (horizon < 1 || rows < 1) {
      throw new ModelException("Q-hat: needs at least one step and one row (got " + horizon
          + " steps, " + rows + " rows)");
    }
  }

  /** {@return H, the number of time steps modelled} */
  public int horizon() {
    return values.length;
  }

  /** {@return the number of rows} */
  public int numRows() {
    return values[0].length;
  }

  /** {@return whether the values are exact rationals} */
  public boolean isExact() {
    return exact != null;
  }

  /**
   * {@return Q-hat_t(row)}
   *
   * @param t a time step in 0..H-1
   * @param row a row of the model
   */
  public double value(int t, int row) {
    return values[t][row];
  }

  /**
   * {@return Q-hat_t(row) exactly}
   *
   * @param t a time step in 0..H-1
   * @param row a row of the model
   * @throws ModelException when the model holds doubles
   */
  public BigFraction exactValue(int t, int row) {
    if (exact == null) {
      throw new ModelException("Q-hat was given as doubles; the exact interpreter needs "
          + "TimeIndexedQ.ofExact");
    }
    return exact[t][row];
  }

  @Override
  public String toString() {
    return "TimeIndexedQ[" + horizon() + " steps x " + numRows() + " rows"
        + (isExact() ? ", exact" : "") + "]";
  }
}
