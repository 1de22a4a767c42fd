package dev.fixpoint.dsl.features;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import java.util.Objects;
import java.util.function.BiFunction;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A linear feature map phi: S x A -&gt; R^d, as a value. It defines the linear class
 * F = {(s, a) -&gt; phi(s, a)^T theta : theta in R^d}, i.e. the matrix Phi in R^{n x d} with one row
 * phi(s, a)^T per available (state, action) row of a {@code TabularMdp} (spec Part B0). The matrix
 * is computed by {@code dev.fixpoint.theory.realizability.LinearFeatures#of}.
 *
 * <ul>
 *   <li>{@link OneHot}: phi(s, a) = e_{(s,a)}, d = number of rows (the tabular class; always
 *       realizable and Bellman complete);
 *   <li>{@link Matrix}: Phi given row by row, exact when given as rationals;
 *   <li>{@link OfFunction}: phi computed from the typed state and action (double);
 *   <li>{@link Random}: entries k/q with k uniform in [-q, q], drawn from a {@link
 *       java.util.SplittableRandom} seeded with {@code seed} in row-major order (exact rationals,
 *       so the exact tier applies; same seed gives the same matrix).
 * </ul>
 *
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface Features<S, A> {

  /**
   * One-hot (tabular) features.
   *
   * @param <S> state type
   * @param <A> action type
   */
  record OneHot<S, A>() implements Features<S, A> {}

  /**
   * Features given as a matrix over the rows of a model.
   *
   * @param values n x d values (double view)
   * @param exact the same values as rationals, or null when given in double
   * @param <S> state type
   * @param <A> action type
   */
  record Matrix<S, A>(double[][] values, BigFraction @Nullable [][] exact)
      implements Features<S, A> {
    /** Checks that the matrix is rectangular, non-empty and finite. */
    public Matrix {
      Objects.requireNonNull(values, "values");
      if (values.length == 0 || values[0].length == 0) {
        throw new ModelException("feature matrix is empty: it needs at least one row and column");
      }
      int d = values[0].length;
      values = values.clone();
      for (int i = 0; i < values.length; i++) {
        values[i] = values[i].clone();
        if (values[i].length != d) {
          throw new ModelException("feature matrix row " + i + " has " + values[i].length
              + " entries, row 0 has " + d);
        }
        for (int j = 0; j < d; j++) {
          if (!Double.isFinite(values[i][j])) {
            throw new ModelException("feature matrix entry (" + i + ", " + j + ") = "
                + values[i][j] + " is not finite");
          }
        }
      }
      if (exact != null) {
        if (exact.length != values.length || exact[0].length != d) {
          throw new ModelException("exact feature matrix is " + exact.length + " x "
              + exact[0].length + ", the double view " + values.length + " x " + d);
        }
        exact = exact.clone();
        for (int i = 0; i < exact.length; i++) {
          exact[i] = exact[i].clone();
        }
      }
    }

    /** {@return a copy of the values} */
    @Override
    public double[][] values() {
      double[][] c = new double[values.length][];
      for (int i = 0; i < c.length; i++) {
        c[i] = values[i].clone();
      }
      return c;
    }

    /** {@return a copy of the exact values, or null when given in double} */
    @Override
    public BigFraction @Nullable [][] exact() {
      if (exact == null) {
        return null;
      }
      BigFraction[][] c = new BigFraction[exact.length][];
      for (int i = 0; i < c.length; i++) {
        c[i] = exact[i].clone();
      }
      return c;
    }
  }

  /**
   * Features computed from typed states and actions.
   *
   * @param dimension d &gt;= 1
   * @param phi the feature function; must return d finite numbers
   * @param <S> state type
   * @param <A> action type
   */
  record OfFunction<S, A>(int dimension, BiFunction<S, A, double[]> phi)
      implements Features<S, A> {
    /** Checks the components. */
    public OfFunction {
      Objects.requireNonNull(phi, "phi");
      if (dimension < 1) {
        throw new ModelException("feature dimension " + dimension + " must be at least 1");
      }
    }
  }

  /**
   * Random rational features.
   *
   * @param dimension d &gt;= 1
   * @param seed the seed of the generator
   * @param denominator q &gt;= 1: entries are k/q, k uniform in [-q, q]
   * @param <S> state type
   * @param <A> action type
   */
  record Random<S, A>(int dimension, long seed, int denominator) implements Features<S, A> {
    /** Checks the components. */
    public Random {
      if (dimension < 1) {
        throw new ModelException("feature dimension " + dimension + " must be at least 1");
      }
      if (denominator < 1) {
        throw new ModelException("random feature denominator " + denominator
            + " must be at least 1");
      }
    }
  }

  /**
   * {@return one-hot features, phi(s, a) = e_{(s,a)}}
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Features<S, A> oneHot() {
    return new OneHot<>();
  }

  /**
   * {@return features given as a double matrix over the model's rows (copied)}
   * @param values n x d
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Features<S, A> matrix(double[][] values) {
    double[][] copy = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      copy[i] = values[i].clone();
    }
    return new Matrix<>(copy, null);
  }

  /**
   * {@return features given as exact rationals over the model's rows (copied)}
   * @param values n x d rationals
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Features<S, A> exact(BigFraction[][] values) {
    BigFraction[][] copy = new BigFraction[values.length][];
    double[][] d = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      copy[i] = values[i].clone();
      d[i] = Rationals.toDoubles(copy[i]);
    }
    return new Matrix<>(d, copy);
  }

  /**
   * {@return exact features parsed from strings ("1", "0.5", "2/3")}
   * @param values n x d numbers as text
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Features<S, A> parse(String[][] values) {
    BigFraction[][] e = new BigFraction[values.length][];
    for (int i = 0; i < values.length; i++) {
      e[i] = new BigFraction[values[i].length];
      for (int j = 0; j < values[i].length; j++) {
        e[i][j] = Rationals.parse(values[i][j]);
      }
    }
    return exact(e);
  }

  /**
   * {@return features computed from typed states and actions}
   * @param dimension d
   * @param phi the feature function
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Features<S, A> of(int dimension, BiFunction<S, A, double[]> phi) {
    return new OfFunction<>(dimension, phi);
  }

  /**
   * {@return seeded random rational features with entries k/q, k uniform in [-q, q]}
   * @param dimension d
   * @param seed the seed
   * @param denominator q
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Features<S, A> random(int dimension, long seed, int denominator) {
    return new Random<>(dimension, seed, denominator);
  }
}
