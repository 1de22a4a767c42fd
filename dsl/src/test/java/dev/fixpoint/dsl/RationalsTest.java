package dev.fixpoint.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class RationalsTest {
  @Test
  void parsesIntegersDecimalsAndFractionsExactly() {
    assertEquals(new BigFraction(9, 10), Rationals.parse("0.9"));
    assertEquals(new BigFraction(-2, 7), Rationals.parse("-2/7"));
    assertEquals(new BigFraction(1, 1000), Rationals.parse("1e-3"));
    assertEquals(new BigFraction(42), Rationals.parse(" 42 "));
  }

  @Test
  void rejectsMalformedNumbersWithTheText() {
    ModelException e = assertThrows(ModelException.class, () -> Rationals.parse("1/0"));
    assertEquals("number \"1/0\": denominator is zero", e.getMessage());
    assertThrows(ModelException.class, () -> Rationals.parse("abc"));
    assertThrows(ModelException.class, () -> Rationals.fromDouble(Double.NaN));
  }

  @Test
  void formatRoundTrips() {
    for (String s : new String[] {"0", "-3", "1/3", "-22/7"}) {
      assertEquals(s, Rationals.format(Rationals.parse(s)));
    }
  }

  @Test
  void doubleReadAsItsDecimalText() {
    assertEquals(new BigFraction(1, 10), Rationals.fromDouble(0.1));
  }

  @Test
  void toDoubleIsCorrectlyRoundedWhereDoubleValueOverflows() {
    // (10^400 + 1) / (3 * 10^400): BigFraction.doubleValue() gives NaN (MATH-1402).
    BigInteger big = BigInteger.TEN.pow(400);
    BigFraction f = new BigFraction(big.add(BigInteger.ONE), big.multiply(BigInteger.valueOf(3)));
    assertEquals(1.0 / 3.0, Rationals.toDouble(f));
    assertEquals(0.1, Rationals.toDouble(new BigFraction(1, 10)));
    assertEquals(-2.0 / 3.0, Rationals.toDouble(new BigFraction(-2, 3)));
    // a value needing the sticky bit: 1 + 2^-53 + 2^-80 rounds up to 1 + 2^-52
    BigFraction justAboveHalfUlp = BigFraction.ONE
        .add(new BigFraction(BigInteger.ONE, BigInteger.TWO.pow(53)))
        .add(new BigFraction(BigInteger.ONE, BigInteger.TWO.pow(80)));
    assertEquals(1.0 + Math.ulp(1.0), Rationals.toDouble(justAboveHalfUlp));
    // exactly half an ulp above 1 rounds to even (down to 1)
    BigFraction half = BigFraction.ONE.add(new BigFraction(BigInteger.ONE, BigInteger.TWO.pow(53)));
    assertEquals(1.0, Rationals.toDouble(half));
  }
}
