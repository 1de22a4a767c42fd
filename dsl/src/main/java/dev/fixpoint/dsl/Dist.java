package dev.fixpoint.dsl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A finite probability distribution over values of type {@code T}, immutable, and a monad.
 *
 * <p>Outcomes are distinct by {@code equals}; building a distribution with repeated outcomes adds
 * their weights. Outcomes keep the order in which they were first given, so iteration and {@link
 * #sample(RandomGenerator)} are reproducible.
 *
 * <p><b>Two tiers.</b> A distribution built from integers, decimals or fractions is <em>exact</em>:
 * its weights are {@link BigFraction}s summing to exactly 1 and every operation keeps them exact. A
 * distribution built from {@code double} weights is <em>inexact</em> ({@link #isExact()} false):
 * weights must sum to 1 within {@value #TOLERANCE} and are renormalised; combining an exact with an
 * inexact distribution gives an inexact one. Exact interpreters refuse inexact input.
 *
 * @param <T> the outcome type; should have value semantics (records, enums, strings, boxed numbers)
 */
@API(status = API.Status.STABLE)
public final class Dist<T> {
  /** How far from 1 the weights of an inexact distribution may sum. */
  public static final double TOLERANCE = 1e-9;

  private final List<T> outcomes;
  private final double[] probs;
  private final BigFraction @Nullable [] exact;

  private Dist(List<T> outcomes, double[] probs, BigFraction @Nullable [] exact) {
    this.outcomes = outcomes;
    this.probs = probs;
    this.exact = exact;
  }

  // ---------------------------------------------------------------- factories

  /**
   * {@return the distribution that puts all mass on x}
   * @param x the sure outcome
   * @param <T> type
   */
  public static <T> Dist<T> dirac(T x) {
    Objects.requireNonNull(x, "outcome");
    return new Dist<>(List.of(x), new double[] {1.0}, new BigFraction[] {BigFraction.ONE});
  }

  /**
   * The uniform distribution over the given values (a value listed twice counts twice).
   *
   * @param xs at least one value
   * @param <T> the outcome type
   * @return the exact uniform distribution
   * @throws ModelException when xs is empty
   */
  public static <T> Dist<T> uniform(Collection<? extends T> xs) {
    if (xs.isEmpty()) {
      throw new ModelException("uniform distribution over no values");
    }
    BigFraction w = new BigFraction(1, xs.size());
    LinkedHashMap<T, BigFraction> m = new LinkedHashMap<>();
    for (T x : xs) {
      m.merge(Objects.requireNonNull(x, "outcome"), w, BigFraction::add);
    }
    return fromExactMap(m);
  }

  /**
   * {@return the uniform distribution over xs}
   * @param xs at least one value
   * @param <T> type
   */
  @SafeVarargs
  public static <T> Dist<T> uniform(T... xs) {
    return uniform(Arrays.asList(xs));
  }

  /**
   * {@return true with probability p, exactly}
   * @param p a probability in [0, 1]
   *
   * @throws ModelException when p is outside [0, 1]
   */
  public static Dist<Boolean> bernoulli(BigFraction p) {
    checkProbability(p, "bernoulli");
    LinkedHashMap<Boolean, BigFraction> m = new LinkedHashMap<>();
    m.put(Boolean.TRUE, p);
    m.put(Boolean.FALSE, BigFraction.ONE.subtract(p));
    return fromExactMap(m);
  }

  /**
   * {@return true with probability p}
   * @param p an integer, decimal or fraction text in [0, 1]
   */
  public static Dist<Boolean> bernoulli(String p) {
    return bernoulli(Rationals.parse(p));
  }

  /**
   * {@return true with probability p, in the inexact tier}
   * @param p a probability in [0, 1]
   */
  public static Dist<Boolean> bernoulli(double p) {
    LinkedHashMap<Boolean, Double> m = new LinkedHashMap<>();
    m.put(Boolean.TRUE, p);
    m.put(Boolean.FALSE, 1.0 - p);
    return of(m);
  }

  /**
   * A distribution from outcome weights. Integer, {@code BigDecimal}, {@code BigInteger} and
   * {@code BigFraction} weights give an exact distribution and must sum to exactly 1; if any weight
   * is a {@code Double} or {@code Float} the distribution is inexact and the weights must sum to 1
   * within {@value #TOLERANCE}. Zero weights are dropped.
   *
   * @param weights outcome to probability, iterated in its own order
   * @param <T> the outcome type
   * @return the distribution
   * @throws ModelException when a weight is negative, not finite, or the sum is not 1
   */
  public static <T> Dist<T> of(Map<? extends T, ? extends Number> weights) {
    boolean inexact = false;
    for (Number n : weights.values()) {
      if (n instanceof Double || n instanceof Float) {
        inexact = true;
      }
    }
    List<T> xs = new ArrayList<>(weights.keySet());
    if (inexact) {
      double[] ps = new double[xs.size()];
      for (int i = 0; i < ps.length; i++) {
        ps[i] = weights.get(xs.get(i)).doubleValue();
      }
      return ofDoubles(xs, ps);
    }
    BigFraction[] ps = new BigFraction[xs.size()];
    for (int i = 0; i < ps.length; i++) {
      ps[i] = Rationals.from(weights.get(xs.get(i)));
    }
    return ofExact(xs, ps);
  }

  /**
   * An exact distribution from parallel lists; repeated outcomes add up.
   *
   * @param outcomes the outcomes
   * @param probabilities their probabilities, non-negative, summing to exactly 1
   * @param <T> the outcome type
   * @return the distribution
   * @throws ModelException when a probability is negative or they do not sum to 1
   */
  public static <T> Dist<T> ofExact(List<? extends T> outcomes, BigFraction[] probabilities) {
    checkLengths(outcomes, probabilities.length);
    BigFraction sum = BigFraction.ZERO;
    LinkedHashMap<T, BigFraction> m = new LinkedHashMap<>();
    for (int i = 0; i < probabilities.length; i++) {
      BigFraction p = Objects.requireNonNull(probabilities[i], "probability");
      if (Rationals.signum(p) < 0) {
        throw new ModelException("outcome " + outcomes.get(i) + ": probability "
            + Rationals.format(p) + " is negative");
      }
      sum = sum.add(p);
      if (Rationals.signum(p) > 0) {
        m.merge(Objects.requireNonNull(outcomes.get(i), "outcome"), p, BigFraction::add);
      }
    }
    if (!sum.equals(BigFraction.ONE)) {
      throw new ModelException("probabilities sum to " + Rationals.format(sum) + ", expected 1");
    }
    return fromExactMap(m);
  }

  /**
   * An inexact distribution from parallel lists; the weights must sum to 1 within {@value
   * #TOLERANCE} and are divided by their sum.
   *
   * @param outcomes the outcomes
   * @param probabilities their probabilities, finite and non-negative
   * @param <T> the outcome type
   * @return the distribution, marked inexact
   * @throws ModelException when a probability is negative or not finite, or the sum is not 1
   */
  public static <T> Dist<T> ofDoubles(List<? extends T> outcomes, double[] probabilities) {
    checkLengths(outcomes, probabilities.length);
    double sum = 0;
    LinkedHashMap<T, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < probabilities.length; i++) {
      double p = probabilities[i];
      if (!(p >= 0) || Double.isInfinite(p)) {
        throw new ModelException("outcome " + outcomes.get(i) + ": probability " + p
            + " must be finite and non-negative");
      }
      sum += p;
      if (p > 0) {
        m.merge(Objects.requireNonNull(outcomes.get(i), "outcome"), p, Double::sum);
      }
    }
    if (Math.abs(sum - 1.0) > TOLERANCE) {
      throw new ModelException("probabilities sum to " + sum + ", expected 1 (within " + TOLERANCE
          + ")");
    }
    List<T> xs = new ArrayList<>(m.keySet());
    double[] ps = new double[xs.size()];
    for (int i = 0; i < ps.length; i++) {
      ps[i] = m.get(xs.get(i)) / sum;
    }
    return new Dist<>(Collections.unmodifiableList(xs), ps, null);
  }

  /**
   * Normalises non-negative exact weights: each outcome gets its weight divided by the total.
   *
   * @param weights outcome to weight (integers, decimals or fractions); at least one positive
   * @param <T> the outcome type
   * @return the exact distribution
   */
  public static <T> Dist<T> normalized(Map<? extends T, ? extends Number> weights) {
    BigFraction total = BigFraction.ZERO;
    LinkedHashMap<T, BigFraction> m = new LinkedHashMap<>();
    for (Map.Entry<? extends T, ? extends Number> e : weights.entrySet()) {
      BigFraction w = Rationals.from(e.getValue());
      if (Rationals.signum(w) < 0) {
        throw new ModelException("outcome " + e.getKey() + ": weight " + Rationals.format(w)
            + " is negative");
      }
      total = total.add(w);
      m.merge(e.getKey(), w, BigFraction::add);
    }
    if (Rationals.signum(total) == 0) {
      throw new ModelException("weights sum to 0: nothing to normalise");
    }
    LinkedHashMap<T, BigFraction> n = new LinkedHashMap<>();
    for (Map.Entry<T, BigFraction> e : m.entrySet()) {
      if (Rationals.signum(e.getValue()) > 0) {
        n.put(e.getKey(), e.getValue().divide(total));
      }
    }
    return fromExactMap(n);
  }

  /**
   * {@return a builder of small distributions, outcome by outcome}
   * @param <T> outcome type
   */
  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  // ---------------------------------------------------------------- monad

  /**
   * The image distribution: outcomes mapped by f, equal images merged.
   *
   * @param f the function
   * @param <U> the image type
   * @return the distribution of f(X)
   */
  public <U> Dist<U> map(Function<? super T, ? extends U> f) {
    return flatMap(x -> dirac(f.apply(x)));
  }

  /**
   * Monadic bind: draw x from this distribution, then an outcome from f(x).
   *
   * @param f the conditional distribution
   * @param <U> the outcome type
   * @return the mixture sum_x p(x) f(x); exact when this and every f(x) are exact
   */
  public <U> Dist<U> flatMap(Function<? super T, Dist<U>> f) {
    LinkedHashMap<U, BigFraction> em = new LinkedHashMap<>();
    LinkedHashMap<U, Double> dm = new LinkedHashMap<>();
    boolean isExact = exact != null;
    for (int i = 0; i < outcomes.size(); i++) {
      Dist<U> d = Objects.requireNonNull(f.apply(outcomes.get(i)), "flatMap returned null");
      isExact &= d.exact != null;
      for (int j = 0; j < d.outcomes.size(); j++) {
        U y = d.outcomes.get(j);
        dm.merge(y, probs[i] * d.probs[j], Double::sum);
        if (isExact) {
          em.merge(y, exact[i].multiply(d.exact[j]), BigFraction::add);
        }
      }
    }
    if (isExact) {
      return fromExactMap(em);
    }
    List<U> ys = new ArrayList<>(dm.keySet());
    double[] ps = new double[ys.size()];
    for (int i = 0; i < ps.length; i++) {
      ps[i] = dm.get(ys.get(i));
    }
    return new Dist<>(Collections.unmodifiableList(ys), ps, null);
  }

  /**
   * Conditioning: the distribution of X given that {@code event} holds.
   *
   * @param event the event
   * @return p(x | event) = p(x) / P(event) on the event
   * @throws ModelException when the event has probability 0
   */
  public Dist<T> given(Predicate<? super T> event) {
    List<T> xs = new ArrayList<>();
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      if (event.test(outcomes.get(i))) {
        xs.add(outcomes.get(i));
        idx.add(i);
      }
    }
    if (xs.isEmpty()) {
      throw new ModelException("conditioning on an event of probability 0");
    }
    if (exact != null) {
      BigFraction z = BigFraction.ZERO;
      for (int i : idx) {
        z = z.add(exact[i]);
      }
      BigFraction[] ps = new BigFraction[xs.size()];
      for (int k = 0; k < ps.length; k++) {
        ps[k] = exact[idx.get(k)].divide(z);
      }
      return exactOf(xs, ps);
    }
    double z = 0;
    for (int i : idx) {
      z += probs[i];
    }
    double[] ps = new double[xs.size()];
    for (int k = 0; k < ps.length; k++) {
      ps[k] = probs[idx.get(k)] / z;
    }
    return new Dist<>(Collections.unmodifiableList(xs), ps, null);
  }

  /**
   * {@return E[f(X)] in double arithmetic}
   * @param f the function
   */
  public double expect(ToDoubleFunction<? super T> f) {
    double s = 0;
    for (int i = 0; i < probs.length; i++) {
      s += probs[i] * f.applyAsDouble(outcomes.get(i));
    }
    return s;
  }

  /**
   * {@return E[f(X)] exactly}
   * @param f the function, with exact values
   *
   * @throws InexactModelException when this distribution is inexact
   */
  public BigFraction expectExact(Function<? super T, BigFraction> f) {
    BigFraction[] e = requireExact();
    BigFraction s = BigFraction.ZERO;
    for (int i = 0; i < e.length; i++) {
      s = s.add(e[i].multiply(f.apply(outcomes.get(i))));
    }
    return s;
  }

  // ---------------------------------------------------------------- queries

  /** {@return the outcomes with positive probability, in first-given order} */
  public List<T> support() {
    return outcomes;
  }

  /** {@return the number of outcomes in the support} */
  public int size() {
    return outcomes.size();
  }

  /**
   * {@return the i-th outcome of the support}
   * @param i an index below {@link #size()}
   */
  public T outcome(int i) {
    return outcomes.get(i);
  }

  /**
   * {@return the probability of the i-th outcome, as a double}
   * @param i an index
   */
  public double probabilityAt(int i) {
    return probs[i];
  }

  /**
   * {@return the exact probability of the i-th outcome}
   * @param i an index
   *
   * @throws InexactModelException when this distribution is inexact
   */
  public BigFraction exactProbabilityAt(int i) {
    return requireExact()[i];
  }

  /**
   * {@return P(X = x) exactly (0 outside the support)}
   * @param x an outcome
   *
   * @throws InexactModelException when this distribution is inexact
   */
  public BigFraction probability(T x) {
    BigFraction[] e = requireExact();
    int i = outcomes.indexOf(x);
    return i < 0 ? BigFraction.ZERO : e[i];
  }

  /**
   * {@return P(X = x) as a double (0 outside the support)}
   * @param x an outcome
   */
  public double probabilityAsDouble(T x) {
    int i = outcomes.indexOf(x);
    return i < 0 ? 0.0 : probs[i];
  }

  /** {@return whether the weights are exact rationals} */
  public boolean isExact() {
    return exact != null;
  }

  /** {@return this distribution in the inexact tier (the same if already inexact)} */
  public Dist<T> toInexact() {
    return exact == null ? this : new Dist<>(outcomes, probs, null);
  }

  /**
   * Draws one outcome by inversion of the cumulative weights in support order.
   *
   * @param rng the source of randomness
   * @return an outcome; the same generator state gives the same outcome
   */
  public T sample(RandomGenerator rng) {
    double u = rng.nextDouble();
    double c = 0;
    for (int i = 0; i < probs.length - 1; i++) {
      c += probs[i];
      if (u < c) {
        return outcomes.get(i);
      }
    }
    return outcomes.get(probs.length - 1);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Dist<?> d) || d.isExact() != isExact() || d.size() != size()) {
      return false;
    }
    Map<Object, Integer> pos = new HashMap<>();
    for (int i = 0; i < d.outcomes.size(); i++) {
      pos.put(d.outcomes.get(i), i);
    }
    for (int i = 0; i < outcomes.size(); i++) {
      Integer j = pos.get(outcomes.get(i));
      if (j == null) {
        return false;
      }
      boolean same = exact != null ? exact[i].equals(d.exact[j])
          : Double.compare(probs[i], d.probs[j]) == 0;
      if (!same) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      h += outcomes.get(i).hashCode() ^ (exact != null ? exact[i].hashCode()
          : Double.hashCode(probs[i]));
    }
    return h;
  }

  /** {@return {@code {x: p, ...}} with exact weights as p/q} */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < outcomes.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(outcomes.get(i)).append(": ")
          .append(exact != null ? Rationals.format(exact[i]) : Double.toString(probs[i]));
    }
    return b.append('}').toString();
  }

  // ---------------------------------------------------------------- helpers

  private BigFraction[] requireExact() {
    if (exact == null) {
      throw new InexactModelException(
          "this distribution has inexact (double) weights; an exact result needs exact weights");
    }
    return exact;
  }

  private static <T> Dist<T> fromExactMap(LinkedHashMap<T, BigFraction> m) {
    List<T> xs = new ArrayList<>(m.size());
    BigFraction[] ps = new BigFraction[m.size()];
    int i = 0;
    for (Map.Entry<T, BigFraction> e : m.entrySet()) {
      if (Rationals.signum(e.getValue()) > 0) {
        xs.add(e.getKey());
        ps[i++] = e.getValue();
      }
    }
    return exactOf(xs, Arrays.copyOf(ps, i));
  }

  private static <T> Dist<T> exactOf(List<T> xs, BigFraction[] ps) {
    double[] ds = new double[ps.length];
    for (int i = 0; i < ps.length; i++) {
      ds[i] = Rationals.toDouble(ps[i]);
    }
    return new Dist<>(Collections.unmodifiableList(xs), ds, ps);
  }

  private static void checkProbability(BigFraction p, String where) {
    if (Rationals.signum(p) < 0 || p.compareTo(BigFraction.ONE) > 0) {
      throw new ModelException(where + ": probability " + Rationals.format(p)
          + " is outside [0, 1]");
    }
  }

  private static void checkLengths(List<?> outcomes, int n) {
    if (outcomes.size() != n) {
      throw new IllegalArgumentException(outcomes.size() + " outcomes but " + n + " probabilities");
    }
    if (n == 0) {
      throw new ModelException("a distribution needs at least one outcome");
    }
  }

  /**
   * Collects outcome weights one by one; {@link #build()} checks them like {@link Dist#of(Map)}.
   * Sugar for small literal distributions; not thread-safe.
   *
   * @param <T> the outcome type
   */
  public static final class Builder<T> {
    private final List<T> xs = new ArrayList<>();
    private final List<BigFraction> exactWs = new ArrayList<>();
    private final List<Double> doubleWs = new ArrayList<>();
    private boolean inexact;

    private Builder() {}

    /**
     * {@return this, with x added at an exact weight}
     * @param x outcome
     * @param p its weight
     */
    public Builder<T> add(T x, BigFraction p) {
      xs.add(x);
      exactWs.add(p);
      doubleWs.add(Rationals.toDouble(p));
      return this;
    }

    /**
     * {@return this, with x at weight p (integer, decimal or "a/b")}
     * @param x outcome
     * @param p text
     */
    public Builder<T> add(T x, String p) {
      return add(x, Rationals.parse(p));
    }

    /**
     * {@return this, with x at weight num/den}
     * @param x outcome
     * @param num numerator
     * @param den denominator
     */
    public Builder<T> add(T x, long num, long den) {
      return add(x, Rationals.of(num, den));
    }

    /**
     * {@return this, with x at a double weight: the result is inexact}
     * @param x outcome
     * @param p weight
     */
    public Builder<T> add(T x, double p) {
      xs.add(x);
      exactWs.add(BigFraction.ZERO);
      doubleWs.add(p);
      inexact = true;
      return this;
    }

    /**
     * {@return the distribution}
     * @throws ModelException when the weights are not a distribution
     */
    public Dist<T> build() {
      if (inexact) {
        double[] ps = new double[doubleWs.size()];
        for (int i = 0; i < ps.length; i++) {
          ps[i] = doubleWs.get(i);
        }
        return ofDoubles(xs, ps);
      }
      return ofExact(xs, exactWs.toArray(new BigFraction[0]));
    }
  }

}
