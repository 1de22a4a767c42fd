package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.Rationals;
import java.lang.reflect.Array;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * The two numeric tiers behind one small interface, so that every rational identity of Part B is
 * written once (STYLE 7): {@link #EXACT} over Commons Math 3 {@code BigFraction}, {@link #DOUBLE}
 * over boxed doubles. Boxing is acceptable here: these are dense population computations on
 * teaching-size models (n rows, cost O(n^3)); the sample-based estimators use primitive arrays.
 *
 * @param <T> the element type
 */
abstract sealed class Field<T> {
  static final Field<BigFraction> EXACT = new Exact();
  static final Field<Double> DOUBLE = new Dbl();

  abstract T zero();

  abstract T one();

  abstract T add(T a, T b);

  abstract T sub(T a, T b);

  abstract T mul(T a, T b);

  abstract T div(T a, T b);

  abstract double toDouble(T a);

  /** Whether {@code a} counts as zero relative to {@code scale} (exact: a == 0). */
  abstract boolean negligible(T a, double scale);

  abstract boolean isExact();

  abstract Class<T> type();

  /** Lifts a model number: the rational one in the exact tier, the double one otherwise. */
  abstract T lift(double d, BigFraction e);

  abstract T fromInt(long k);

  abstract int compare(T a, T b);

  T neg(T a) {
    return sub(zero(), a);
  }

  /** Exactly zero (in both tiers; thresholds are the business of {@link #negligible}). */
  abstract boolean isZero(T a);

  @SuppressWarnings("unchecked")
  T[] vector(int n) {
    T[] v = (T[]) Array.newInstance(type(), n);
    java.util.Arrays.fill(v, zero());
    return v;
  }

  @SuppressWarnings("unchecked")
  T[][] matrix(int r, int c) {
    T[][] m = (T[][]) Array.newInstance(type(), r, c);
    for (T[] row : m) {
      java.util.Arrays.fill(row, zero());
    }
    return m;
  }

  static final class Exact extends Field<BigFraction> {
    @Override BigFraction zero() {
      return BigFraction.ZERO;
    }

    @Override BigFraction one() {
      return BigFraction.ONE;
    }

    @Override BigFraction add(BigFraction a, BigFraction b) {
      return a.add(b);
    }

    @Override BigFraction sub(BigFraction a, BigFraction b) {
      return a.subtract(b);
    }

    @Override BigFraction mul(BigFraction a, BigFraction b) {
      return a.multiply(b);
    }

    @Override BigFraction div(BigFraction a, BigFraction b) {
      return a.divide(b);
    }

    @Override double toDouble(BigFraction a) {
      return Rationals.toDouble(a);
    }

    @Override boolean negligible(BigFraction a, double scale) {
      return Rationals.signum(a) == 0;
    }

    @Override boolean isExact() {
      return true;
    }

    @Override boolean isZero(BigFraction a) {
      return Rationals.signum(a) == 0;
    }

    @Override Class<BigFraction> type() {
      return BigFraction.class;
    }

    @Override BigFraction lift(double d, BigFraction e) {
      return e;
    }

    @Override BigFraction fromInt(long k) {
      return new BigFraction(k);
    }

    @Override int compare(BigFraction a, BigFraction b) {
      return a.compareTo(b);
    }
  }

  static final class Dbl extends Field<Double> {
    /** Relative threshold below which a pivot or residual counts as zero in the double tier. */
    static final double EPS = 1e-10;

    @Override Double zero() {
      return 0.0;
    }

    @Override Double one() {
      return 1.0;
    }

    @Override Double add(Double a, Double b) {
      return a + b;
    }

    @Override Double sub(Double a, Double b) {
      return a - b;
    }

    @Override Double mul(Double a, Double b) {
      return a * b;
    }

    @Override Double div(Double a, Double b) {
      return a / b;
    }

    @Override double toDouble(Double a) {
      return a;
    }

    @Override boolean negligible(Double a, double scale) {
      return Math.abs(a) <= EPS * Math.max(scale, Double.MIN_NORMAL);
    }

    @Override boolean isExact() {
      return false;
    }

    @Override boolean isZero(Double a) {
      return a == 0.0;
    }

    @Override Class<Double> type() {
      return Double.class;
    }

    @Override Double lift(double d, BigFraction e) {
      return d;
    }

    @Override Double fromInt(long k) {
      return (double) k;
    }

    @Override int compare(Double a, Double b) {
      return Double.compare(a, b);
    }
  }
}
