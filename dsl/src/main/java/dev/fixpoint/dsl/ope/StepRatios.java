package dev.fixpoint.dsl.ope;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Time-indexed marginal importance ratios w-hat_t(s, a) = d^pi_t(s, a) / d^mu_t(s, a), t = 0..H-1,
 * over the rows of a tabular model, as the marginalised estimator of Xie, Ma and Wang (2019,
 * NeurIPS) takes them: w-hat_t(s, a) = [d^pi_t(s) / d^mu_t(s)] pi(a|s) / mu(a|s) (spec
 * estimators.md section 2). Exact ones come from {@code dev.fixpoint.tabular.ope.Occupancy}; a
 * ratio is 0 where d^mu_t(s, a) = 0. Non-negative and finite; immutable.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class StepRatios {
  private final double[][] values;
  private final BigFraction @Nullable [][] exact;

  private StepRatios(double[][] values, BigFraction @Nullable [][] exact) {
    this.values = values;
    this.exact = exact;
  }

  /**
   * {@return double ratios} Arrays are copied.
   *
   * @param values values[t][row] &gt;= 0, finite
   */
  public static StepRatios of(double[][] values) {
    double[][] v = new double[values.length][];
    for (int t = 0; t < values.length; t++) {
      v[t] = values[t].clone();
      for (int r = 0; r < v[t].length; r++) {
        if (!(v[t][r] >= 0 && v[t][r] < Double.POSITIVE_INFINITY)) {
          throw new ModelException("ratios: step " + t + ", row " + r + ": " + v[t][r]
              + " is not a finite non-negative number");
        }
      }
    }
    if (v.length == 0) {
      throw new ModelException("ratios: need at least one step");
    }
    return new StepRatios(v, null);
  }

  /**
   * {@return exact ratios} Arrays are copied.
   *
   * @param values values[t][row] &gt;= 0
   */
  public static StepRatios ofExact(BigFraction[][] values) {
    double[][] v = new double[values.length][];
    BigFraction[][] e = new BigFraction[values.length][];
    for (int t = 0; t < values.length; t++) {
      e[t] = values[t].clone();
      for (int r = 0; r < e[t].length; r++) {
        if (Rationals.signum(e[t][r]) < 0) {
          throw new ModelException("ratios: step " + t + ", row " + r + ": "
              + Rationals.format(e[t][r]) + " is negative");
        }
      }
      v[t] = Rationals.toDoubles(e[t]);
    }
    if (v.length == 0) {
      throw new ModelException("ratios: need at least one step");
    }
    return new StepRatios(v, e);
  }

  /** {@return H, the number of time steps} */
  public int horizon() {
    return values.length;
  }

  /** {@return whether the ratios are exact} */
  public boolean isExact() {
    return exact != null;
  }

  /**
   * {@return w-hat_t(row)}
   *
   * @param t a time step
   * @param row a row
   */
  public double value(int t, int row) {
    return values[t][row];
  }

  /**
   * {@return w-hat_t(row) exactly}
   *
   * @param t a time step
   * @param row a row
   * @throws ModelException when the ratios are doubles
   */
  public BigFraction exactValue(int t, int row) {
    if (exact == null) {
      throw new ModelException("ratios were given as doubles; the exact interpreter needs "
          + "StepRatios.ofExact");
    }
    return exact[t][row];
  }

  @Override
  public String toString() {
    return "StepRatios[" + horizon() + " steps" + (isExact() ? ", exact" : "") + "]";
  }
}
