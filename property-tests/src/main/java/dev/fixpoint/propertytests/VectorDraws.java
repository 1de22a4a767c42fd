package dev.fixpoint.propertytests;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.apache.commons.math3.fraction.BigFraction;

/** Random vectors (value functions, Q-functions) in both tiers, and their shrinkers. */
final class VectorDraws {
  private VectorDraws() {}

  /** {@return the point of [lo, hi] nearest 0} */
  static double target(double lo, double hi) {
    return lo > 0 ? lo : Math.min(hi, 0);
  }

  static double[] doubles(int length, double lo, double hi, RandomGenerator rng) {
    double[] x = new double[length];
    for (int i = 0; i < length; i++) {
      x[i] = lo == hi ? lo : rng.nextDouble(lo, hi);
    }
    return x;
  }

  /** Candidates: all at the target, one entry at the target, one entry rounded to an integer. */
  static Stream<double[]> shrink(double[] x, double lo, double hi) {
    double t = target(lo, hi);
    List<double[]> out = new ArrayList<>();
    double[] all = new double[x.length];
    Arrays.fill(all, t);
    out.add(all);
    for (int i = 0; i < x.length; i++) {
      if (x[i] != t) {
        double[] y = x.clone();
        y[i] = t;
        out.add(y);
      }
    }
    for (int i = 0; i < x.length; i++) {
      double r = Math.max(lo, Math.min(hi, t + Math.floor(Math.abs(x[i] - t)) * Math.signum(x[i]
          - t)));
      if (r != x[i] && Math.abs(r - t) < Math.abs(x[i] - t)) {
        double[] y = x.clone();
        y[i] = r;
        out.add(y);
      }
    }
    return out.stream().filter(y -> !Arrays.equals(y, x));
  }

  static BigFraction[] exact(int length, int lo, int hi, int den, RandomGenerator rng) {
    BigFraction[] x = new BigFraction[length];
    for (int i = 0; i < length; i++) {
      x[i] = new BigFraction(rng.nextInt(lo * den, hi * den + 1), den);
    }
    return x;
  }

  /** Candidates: all at the target, one entry at the target, one entry truncated to an integer. */
  static Stream<BigFraction[]> shrink(BigFraction[] x, int lo, int hi) {
    BigFraction t = new BigFraction(lo > 0 ? lo : Math.min(hi, 0));
    List<BigFraction[]> out = new ArrayList<>();
    BigFraction[] all = new BigFraction[x.length];
    Arrays.fill(all, t);
    out.add(all);
    for (int i = 0; i < x.length; i++) {
      if (!x[i].equals(t)) {
        BigFraction[] y = x.clone();
        y[i] = t;
        out.add(y);
      }
    }
    for (int i = 0; i < x.length; i++) {
      BigInteger[] qr = x[i].getNumerator().divideAndRemainder(x[i].getDenominator());
      if (qr[1].signum() != 0) { // truncation moves towards 0, and 0 or the target is in range
        BigFraction[] y = x.clone();
        BigFraction r = new BigFraction(qr[0]);
        y[i] = r.compareTo(new BigFraction(lo)) < 0 ? new BigFraction(lo)
            : r.compareTo(new BigFraction(hi)) > 0 ? new BigFraction(hi) : r;
        out.add(y);
      }
    }
    return out.stream().filter(y -> !Arrays.equals(y, x));
  }
}
