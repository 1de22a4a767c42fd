package dev.fixpoint.propertytests;

import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * A {@link java.util.random.RandomGenerator} whose every draw is one QuickTheories draw with a
 * constraint and a shrink point, so that QuickTheories records and shrinks the draws of a {@link
 * Generator}. Bounded draws map to {@code Constraint.between(origin, bound - 1)} with the shrink
 * point at the value of the range nearest 0; {@code nextDouble} draws k in [0, 2^53) and returns
 * origin + (bound - origin) k 2^-53, again shrinking towards the value nearest 0.
 */
final class SourceRandom implements java.util.random.RandomGenerator {
  private static final long DOUBLE_STEPS = 1L << 53;
  private static final double ULP = 0x1.0p-53;

  private final RandomnessSource source;

  SourceRandom(RandomnessSource source) {
    this.source = source;
  }

  private long draw(long min, long max) {
    long target = min > 0 ? min : Math.min(max, 0);
    return source.next(Constraint.between(min, max).withShrinkPoint(target));
  }

  @Override
  public long nextLong() {
    return draw(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Override
  public int nextInt() {
    return (int) draw(Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  @Override
  public boolean nextBoolean() {
    return draw(0, 1) == 1;
  }

  @Override
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    return (int) draw(0, bound - 1L);
  }

  @Override
  public int nextInt(int origin, int bound) {
    if (origin >= bound) {
      throw new IllegalArgumentException("empty range [" + origin + ", " + bound + ")");
    }
    return (int) draw(origin, bound - 1L);
  }

  @Override
  public long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    return draw(0, bound - 1);
  }

  @Override
  public long nextLong(long origin, long bound) {
    if (origin >= bound) {
      throw new IllegalArgumentException("empty range [" + origin + ", " + bound + ")");
    }
    return draw(origin, bound - 1);
  }

  @Override
  public double nextDouble() {
    return source.next(Constraint.between(0, DOUBLE_STEPS - 1).withShrinkPoint(0)) * ULP;
  }

  @Override
  public double nextDouble(double bound) {
    return nextDouble(0.0, bound);
  }

  @Override
  public double nextDouble(double origin, double bound) {
    if (!(origin < bound) || !Double.isFinite(bound - origin)) {
      throw new IllegalArgumentException("bad range [" + origin + ", " + bound + ")");
    }
    double width = bound - origin;
    long target = origin >= 0 ? 0 : bound <= 0 ? DOUBLE_STEPS - 1
        : Math.min(DOUBLE_STEPS - 1, (long) (-origin / width * DOUBLE_STEPS));
    long k = source.next(Constraint.between(0, DOUBLE_STEPS - 1).withShrinkPoint(target));
    double x = origin + width * (k * ULP);
    return x < bound ? x : Math.nextDown(bound);
  }

  @Override
  public float nextFloat() {
    return (float) draw(0, (1 << 24) - 1) * 0x1.0p-24f;
  }
}
