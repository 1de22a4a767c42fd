package dev.fixpoint.dsl;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Exact rational numbers ({@link BigFraction}): parsing, conversion to and from {@code double}
 * and printing.
 *
 * <p>Use {@link #toDouble(BigFraction)} instead of {@code BigFraction.doubleValue()}, which returns
 * {@code Infinity} or {@code NaN} when numerator or denominator exceed the double range (MATH-1402)
 * even if the quotient is small. The conversion here is correctly rounded for normal results.
 */
@API(status = API.Status.STABLE)
public final class Rationals {
  private Rationals() {}

  /**
   * Parses an integer ({@code "-3"}), a decimal ({@code "0.9"}, {@code "1e-3"}) or a fraction
   * ({@code "1/3"}, {@code "-2/7"}) exactly.
   *
   * @param text the number
   * @return its exact value
   * @throws ModelException when the text is not such a number or the denominator is zero
   */
  public static BigFraction parse(String text) {
    String t = text.strip();
    try {
      int slash = t.indexOf('/');
      if (slash >= 0) {
        BigInteger p = new BigInteger(t.substring(0, slash).strip());
        BigInteger q = new BigInteger(t.substring(slash + 1).strip());
        if (q.signum() == 0) {
          throw new ModelException("number \"" + text + "\": denominator is zero");
        }
        return new BigFraction(p, q);
      }
      return of(new BigDecimal(t));
    } catch (NumberFormatException e) {
      throw new ModelException(
          "number \"" + text + "\": expected an integer, a decimal or a fraction p/q");
    }
  }

  /**
   * {@return the exact value of a decimal}
   * @param d a decimal
   */
  public static BigFraction of(BigDecimal d) {
    BigInteger unscaled = d.unscaledValue();
    int scale = d.scale();
    return scale >= 0
        ? new BigFraction(unscaled, BigInteger.TEN.pow(scale))
        : new BigFraction(unscaled.multiply(BigInteger.TEN.pow(-scale)));
  }

  /**
   * {@return p/q}
   * @param p numerator
   * @param q denominator, not zero
   */
  public static BigFraction of(long p, long q) {
    if (q == 0) {
      throw new ArithmeticException("denominator is zero: " + p + "/" + q);
    }
    return new BigFraction(BigInteger.valueOf(p), BigInteger.valueOf(q));
  }

  /**
   * {@return the integer n as a fraction}
   * @param n an integer
   */
  public static BigFraction of(long n) {
    return new BigFraction(n);
  }

  /**
   * Reads a double as the decimal it prints as ({@code Double.toString}): {@code 0.1} becomes
   * exactly 1/10, which is what a person typing {@code 0.1} meant.
   *
   * @param d a finite double
   * @return the rational value of its shortest decimal text
   * @throws ModelException when d is NaN or infinite
   */
  public static BigFraction fromDouble(double d) {
    if (!Double.isFinite(d)) {
      throw new ModelException("number " + d + ": must be finite");
    }
    return of(BigDecimal.valueOf(d));
  }

  /**
   * Converts a {@link Number}: integers, {@link BigDecimal} and {@link BigFraction} exactly,
   * {@code double}/{@code float} through {@link #fromDouble(double)}.
   *
   * @param n the number
   * @return its rational value
   */
  public static BigFraction from(Number n) {
    return switch (n) {
      case BigFraction f -> f;
      case BigDecimal d -> of(d);
      case BigInteger i -> new BigFraction(i);
      case Integer i -> new BigFraction(i.longValue());
      case Long l -> new BigFraction(l.longValue());
      case Short s -> new BigFraction(s.longValue());
      case Byte b -> new BigFraction(b.longValue());
      default -> fromDouble(n.doubleValue());
    };
  }

  /**
   * The double nearest to an exact rational (round half to even), without the overflow of {@code
   * BigFraction.doubleValue()}. Results below the normal range may differ from the nearest
   * subnormal by one unit; results beyond the double range are infinite.
   *
   * @param f the exact value
   * @return the nearest double
   */
  public static double toDouble(BigFraction f) {
    BigInteger n = f.getNumerator();
    BigInteger d = f.getDenominator();
    int sign = n.signum() * d.signum();
    if (sign == 0) {
      return 0.0;
    }
    n = n.abs();
    d = d.abs();
    if (n.bitLength() < 53 && d.bitLength() < 53) {
      return sign * (n.doubleValue() / d.doubleValue()); // both exact, one correctly rounded division
    }
    // Scale so that the integer quotient has at least 55 significant bits, then fold the remainder
    // into a sticky bit so BigInteger.doubleValue's rounding sees every discarded bit.
    int shift = 56 - (n.bitLength() - d.bitLength());
    BigInteger[] qr = shift >= 0 ? n.shiftLeft(shift).divideAndRemainder(d)
        : n.divideAndRemainder(d.shiftLeft(-shift));
    BigInteger q = qr[1].signum() == 0 ? qr[0] : qr[0].shiftLeft(1).setBit(0);
    int extra = qr[1].signum() == 0 ? 0 : 1;
    double m = q.doubleValue();
    return sign * Math.scalb(m, -(shift + extra));
  }

  /**
   * {@return the doubles nearest to each rational}
   * @param fs exact values
   */
  public static double[] toDoubles(BigFraction[] fs) {
    double[] out = new double[fs.length];
    for (int i = 0; i < fs.length; i++) {
      out[i] = toDouble(fs[i]);
    }
    return out;
  }

  /**
   * Prints a rational as {@code "p/q"}, or as an integer when q = 1; {@link #parse(String)} reads it
   * back.
   *
   * @param f the value
   * @return its text
   */
  public static String format(BigFraction f) {
    return f.getDenominator().equals(BigInteger.ONE) ? f.getNumerator().toString()
        : f.getNumerator() + "/" + f.getDenominator();
  }

  /**
   * {@return the larger of two rationals}
   * @param a one
   * @param b other
   */
  public static BigFraction max(BigFraction a, BigFraction b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /**
   * {@return -1, 0 or 1 as f is negative, zero or positive}
   * @param f a rational
   */
  public static int signum(BigFraction f) {
    return f.getNumerator().signum() * f.getDenominator().signum();
  }

  /**
   * {@return |a|}
   * @param a a rational
   */
  public static BigFraction abs(BigFraction a) {
    return a.abs();
  }
}
