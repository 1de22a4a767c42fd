package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.features.Features;
import io.vavr.control.Option;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The feature matrix Phi in R^{n x d} of a {@link Features} term on a model: row i is
 * phi(s, a)^T for the model's row i = (s, a) (spec Part B0). Exact when the term is rational
 * (one-hot, random, or a matrix given as rationals). Immutable; accessors return copies.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class LinearFeatures {
  private final double[][] phi;
  private final BigFraction @Nullable [][] exact;
  private final String description;

  private LinearFeatures(double[][] phi, BigFraction @Nullable [][] exact, String description) {
    this.phi = phi;
    this.exact = exact;
    this.description = description;
  }

  /**
   * Computes Phi for a model.
   *
   * @param m the model (its rows index Phi's rows)
   * @param features the feature term
   * @param <S> state type
   * @param <A> action type
   * @return the matrix
   * @throws ModelException when a given matrix has the wrong number of rows, or a feature function
   *     returns the wrong length or a non-finite value (naming the state and action)
   */
  public static <S, A> LinearFeatures of(TabularMdp<S, A> m, Features<S, A> features) {
    int n = m.numRows();
    return switch (features) {
      case Features.OneHot<S, A> o -> {
        BigFraction[][] e = new BigFraction[n][n];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            e[i][j] = i == j ? BigFraction.ONE : BigFraction.ZERO;
          }
        }
        yield fromExact(e, "one-hot (d = " + n + ")");
      }
      case Features.Matrix<S, A>(double[][] values, BigFraction[][] ex) -> {
        if (values.length != n) {
          throw new ModelException("feature matrix has " + values.length + " rows, the model "
              + m.name() + " has " + n + " (state, action) rows");
        }
        yield ex != null ? fromExact(ex, "given (d = " + values[0].length + ")")
            : new LinearFeatures(copy(values), null, "given (d = " + values[0].length + ")");
      }
      case Features.OfFunction<S, A>(int d, var fn) -> {
        double[][] v = new double[n][];
        for (int i = 0; i < n; i++) {
          S s = m.states().value(m.rowState(i));
          A a = m.actions().value(m.rowAction(i));
          double[] row = fn.apply(s, a);
          if (row == null || row.length != d) {
            throw new ModelException("features of state " + s + ", action " + a + ": expected "
                + d + " numbers, got " + (row == null ? "null" : row.length));
          }
          for (int j = 0; j < d; j++) {
            if (!Double.isFinite(row[j])) {
              throw new ModelException("feature " + j + " of state " + s + ", action " + a
                  + " is " + row[j]);
            }
          }
          v[i] = row.clone();
        }
        yield new LinearFeatures(v, null, "function (d = " + d + ")");
      }
      case Features.Random<S, A>(int d, long seed, int q) -> {
        SplittableRandom rng = new SplittableRandom(seed);
        BigFraction[][] e = new BigFraction[n][d];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < d; j++) {
            e[i][j] = new BigFraction(rng.nextInt(-q, q + 1), q);
          }
        }
        yield fromExact(e, "random (d = " + d + ", seed " + seed + ", entries k/" + q + ")");
      }
    };
  }

  /**
   * {@return Phi from exact rationals (copied)}
   * @param values n x d
   * @param description a short description for tables
   */
  public static LinearFeatures fromExact(BigFraction[][] values, String description) {
    BigFraction[][] e = new BigFraction[values.length][];
    double[][] d = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      e[i] = values[i].clone();
      d[i] = Rationals.toDoubles(e[i]);
    }
    return new LinearFeatures(d, e, description);
  }

  /**
   * {@return Phi with one more column appended (exact when both are exact)} Used to make a class
   * realizable on purpose: append Q^pi (spec B8.3).
   * @param column n values
   * @param exactColumn the same values as rationals, or null
   */
  public LinearFeatures withColumn(double[] column, BigFraction @Nullable [] exactColumn) {
    if (column.length != phi.length) {
      throw new ModelException("appended feature column has " + column.length + " entries, "
          + "Phi has " + phi.length + " rows");
    }
    int d = dimension();
    double[][] v = new double[phi.length][d + 1];
    BigFraction[][] e = exact != null && exactColumn != null
        ? new BigFraction[phi.length][d + 1] : null;
    for (int i = 0; i < phi.length; i++) {
      System.arraycopy(phi[i], 0, v[i], 0, d);
      v[i][d] = column[i];
      if (e != null) {
        System.arraycopy(exact[i], 0, e[i], 0, d);
        e[i][d] = exactColumn[i];
      }
    }
    return new LinearFeatures(v, e, description + " + 1 column");
  }

  /** {@return n, the number of (state, action) rows} */
  public int rows() {
    return phi.length;
  }

  /** {@return d, the number of features} */
  public int dimension() {
    return phi[0].length;
  }

  /** {@return whether Phi is held as exact rationals} */
  public boolean isExact() {
    return exact != null;
  }

  /** {@return a copy of Phi in double} */
  public double[][] toArray() {
    return copy(phi);
  }

  /** {@return a copy of Phi as rationals, when exact} */
  public Option<BigFraction[][]> toExactArray() {
    if (exact == null) {
      return Option.none();
    }
    BigFraction[][] e = new BigFraction[exact.length][];
    for (int i = 0; i < e.length; i++) {
      e[i] = exact[i].clone();
    }
    return Option.some(e);
  }

  /** {@return how Phi was made} */
  public String description() {
    return description;
  }

  <T> T[][] in(Field<T> f) {
    T[][] out = f.matrix(phi.length, dimension());
    for (int i = 0; i < phi.length; i++) {
      for (int j = 0; j < dimension(); j++) {
        out[i][j] = f.lift(phi[i][j], exact == null ? BigFraction.ZERO : exact[i][j]);
      }
    }
    return out;
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  @Override
  public String toString() {
    return "Phi " + phi.length + " x " + dimension() + ", " + description;
  }
}
