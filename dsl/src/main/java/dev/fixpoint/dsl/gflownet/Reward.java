package dev.fixpoint.dsl.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import java.math.BigInteger;
import java.util.Optional;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The reward R(x) &gt; 0 of a terminating state, held as its natural logarithm log R(x) and, when
 * it was given as a rational, exactly. A network whose rewards are all exact can be solved in the
 * exact tier; a reward given only by its logarithm ({@link #log(double)}) is inexact.
 *
 * @param exact R(x) exactly, or null when only the logarithm is known
 * @param logValue log R(x), finite
 */
@API(status = API.Status.EXPERIMENTAL)
public record Reward(@Nullable BigFraction exact, double logValue) {

  /** Checks positivity and finiteness. */
  public Reward {
    if (exact != null && Rationals.signum(exact) <= 0) {
      throw new ModelException("reward " + Rationals.format(exact) + ": must be positive");
    }
    if (!Double.isFinite(logValue)) {
      throw new ModelException("reward: log R = " + logValue + " must be finite");
    }
  }

  /**
   * {@return an exact reward}
   * @param value R &gt; 0
   * @throws ModelException when value &lt;= 0
   */
  public static Reward of(BigFraction value) {
    if (Rationals.signum(value) <= 0) {
      throw new ModelException("reward " + Rationals.format(value) + ": must be positive");
    }
    return new Reward(value, logOf(value));
  }

  /**
   * {@return an exact reward read as the decimal the double prints as (0.1 is 1/10)}
   * @param value R &gt; 0, finite
   */
  public static Reward of(double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new ModelException("reward " + value + ": must be positive and finite");
    }
    return of(Rationals.fromDouble(value));
  }

  /**
   * {@return an exact reward from text: integer, decimal or p/q}
   * @param value the text
   */
  public static Reward of(String value) {
    return of(Rationals.parse(value));
  }

  /**
   * {@return an inexact reward given by its logarithm (R = e^logValue)}
   * @param logValue log R, finite
   */
  public static Reward log(double logValue) {
    if (logValue == 0.0) {
      return new Reward(BigFraction.ONE, 0.0);
    }
    return new Reward(null, logValue);
  }

  /** {@return R exactly, when known} */
  public Optional<BigFraction> value() {
    return Optional.ofNullable(exact);
  }

  /** {@return whether R is known exactly} */
  public boolean isExact() {
    return exact != null;
  }

  /**
   * The natural logarithm of a positive rational, accurate to a few ulps even when numerator and
   * denominator are far beyond the double range: log(p/q) = log(p 2^-a) - log(q 2^-b) + (a-b) log 2
   * with the shifts a, b chosen so that both scaled parts are doubles.
   *
   * @param f a positive rational
   * @return log f
   * @throws ModelException when f &lt;= 0
   */
  public static double logOf(BigFraction f) {
    if (Rationals.signum(f) <= 0) {
      throw new ModelException("log of " + Rationals.format(f) + ": argument must be positive");
    }
    return logOf(f.getNumerator().abs()) - logOf(f.getDenominator().abs());
  }

  private static double logOf(BigInteger n) {
    int shift = Math.max(0, n.bitLength() - 60);
    return Math.log(n.shiftRight(shift).doubleValue()) + shift * Math.log(2);
  }

  @Override
  public String toString() {
    return exact != null ? Rationals.format(exact) : "exp(" + logValue + ")";
  }
}
