package dev.fixpoint.propertytests;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * A random generator of values with a shrinker, independent of any property-testing library: a
 * function of an explicit {@link RandomGenerator} plus a function from a value to simpler values.
 *
 * <p><b>Contract.</b> {@link #next(RandomGenerator)} is deterministic given the generator's output:
 * the same seed gives the same value. {@link #shrink(Object)} returns finitely many candidates,
 * each strictly simpler than the value under some well-founded measure (so repeated shrinking
 * ends), structurally biggest steps first; it returns values that {@link #next} could have produced
 * or that satisfy the same invariants. Generators in this package draw only through the bounded
 * methods ({@code nextInt(origin, bound)}, {@code nextDouble(origin, bound)}, ...) and are written
 * so that draws at the end of their range nearest zero give the simplest value; {@link
 * QuickTheoriesGen} relies on that.
 *
 * <p>Adapters: {@link QuickTheoriesGen#of(Generator)} for QuickTheories; {@link Shrinking#minimize}
 * for a framework-free shrink loop; the package documentation shows a jqwik {@code Arbitrary}.
 *
 * @param <T> the value type
 */
@API(status = API.Status.EXPERIMENTAL)
public interface Generator<T> {

  /** Seed of the generator that redraws a dependent value after its parent shrank. */
  long REDRAW_SEED = 0x5EEDL;

  /**
   * Draws one value.
   *
   * @param rng the source of randomness
   * @return a value
   */
  T next(RandomGenerator rng);

  /**
   * Simpler candidates for a value, biggest simplifications first. The default shrinks nothing.
   *
   * @param value a value this generator produced (or a candidate it returned)
   * @return finitely many strictly simpler values
   */
  default Stream<T> shrink(T value) {
    return Stream.empty();
  }

  // ---------------------------------------------------------------- factories

  /**
   * A generator from a draw function and a shrinker.
   *
   * @param draw the draw function
   * @param shrinker simpler candidates of a value
   * @param <T> the value type
   * @return the generator
   */
  static <T> Generator<T> of(Function<? super RandomGenerator, ? extends T> draw,
      Function<? super T, ? extends Stream<? extends T>> shrinker) {
    Objects.requireNonNull(draw, "draw");
    Objects.requireNonNull(shrinker, "shrinker");
    return new Generator<>() {
      @Override
      public T next(RandomGenerator rng) {
        return draw.apply(rng);
      }

      @Override
      public Stream<T> shrink(T value) {
        return shrinker.apply(value).map(Function.<T>identity());
      }
    };
  }

  /**
   * {@return a generator that does not shrink}
   *
   * @param draw the draw function
   * @param <T> value type
   */
  static <T> Generator<T> of(Function<? super RandomGenerator, ? extends T> draw) {
    return of(draw, x -> Stream.empty());
  }

  /**
   * {@return the generator of one value}
   *
   * @param value the value
   * @param <T> value type
   */
  static <T> Generator<T> constant(T value) {
    Objects.requireNonNull(value, "value");
    return of(rng -> value);
  }

  /**
   * Integers uniform in [lo, hi], shrinking towards the value of the range nearest 0 (first to it,
   * then halfway, then one step).
   *
   * @param lo smallest value
   * @param hi largest value, at least lo
   * @return the generator
   */
  static Generator<Integer> integers(int lo, int hi) {
    if (lo > hi) {
      throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
    }
    int target = lo > 0 ? lo : Math.min(hi, 0);
    return of(rng -> hi == Integer.MAX_VALUE ? (int) rng.nextLong(lo, (long) hi + 1)
        : rng.nextInt(lo, hi + 1),
        x -> Stream.of(target, target + (x - target) / 2, x - Integer.signum(x - target))
            .filter(y -> Math.abs((long) y - target) < Math.abs((long) x - target)).distinct());
  }

  // ---------------------------------------------------------------- combinators

  /**
   * The image of this generator under f. Values of the image cannot be shrunk (f has no inverse
   * here); shrink the source and map, or use {@link #map(Function, Function)}.
   *
   * @param f the function
   * @param <U> the image type
   * @return the generator of f(x)
   */
  default <U> Generator<U> map(Function<? super T, ? extends U> f) {
    return of(rng -> f.apply(next(rng)));
  }

  /**
   * The image under a bijection, shrinking through the inverse: shrink(u) = f(shrink(back(u))).
   *
   * @param f the function
   * @param back its inverse on the image
   * @param <U> the image type
   * @return the generator of f(x)
   */
  default <U> Generator<U> map(Function<? super T, ? extends U> f,
      Function<? super U, ? extends T> back) {
    return of(rng -> f.apply(next(rng)), u -> shrink(back.apply(u)).map(f));
  }

  /**
   * Keeps the values that satisfy a predicate, drawing again up to 1000 times; shrink candidates
   * are filtered too.
   *
   * @param keep the predicate
   * @return the filtered generator
   * @throws IllegalStateException from {@code next} when 1000 draws in a row are rejected
   */
  default Generator<T> filter(Predicate<? super T> keep) {
    return of(rng -> {
      for (int i = 0; i < 1000; i++) {
        T x = next(rng);
        if (keep.test(x)) {
          return x;
        }
      }
      throw new IllegalStateException("filter rejected 1000 values in a row");
    }, x -> shrink(x).filter(keep));
  }

  /**
   * This generator with another shrinker.
   *
   * @param shrinker simpler candidates of a value
   * @return the generator
   */
  default Generator<T> withShrinker(Function<? super T, ? extends Stream<? extends T>> shrinker) {
    return of(this::next, shrinker);
  }

  /**
   * Pairs with an independent value: both are drawn from the same generator, this one first.
   * Shrinks the first component (second kept), then the second (first kept).
   *
   * @param other the generator of the second component
   * @param <U> its type
   * @return the generator of pairs
   */
  default <U> Generator<Pair<T, U>> and(Generator<U> other) {
    return of(rng -> new Pair<>(next(rng), other.next(rng)),
        p -> Stream.concat(shrink(p.first()).map(t -> new Pair<>(t, p.second())),
            other.shrink(p.second()).map(u -> new Pair<>(p.first(), u))));
  }

  /**
   * A dependent pair: draw t, then a value of {@code f(t)} from the same generator (so a
   * draw-level shrinker such as QuickTheories' sees every draw). Shrinks the second component with
   * the first kept; then the first, redrawing the second from {@code f(t')} with a generator seeded
   * by {@link #REDRAW_SEED} (a value that depends on t, such as a Q-function over t's rows, cannot
   * be carried over to a smaller t in general).
   *
   * @param f the generator of the second component given the first
   * @param <U> its type
   * @return the generator of dependent pairs
   */
  default <U> Generator<Pair<T, U>> then(Function<? super T, ? extends Generator<U>> f) {
    return of(rng -> {
      T t = next(rng);
      return new Pair<>(t, f.apply(t).next(rng));
    }, p -> Stream.concat(
        f.apply(p.first()).shrink(p.second()).map(u -> new Pair<>(p.first(), u)),
        shrink(p.first()).map(t -> new Pair<>(t,
            f.apply(t).next(new SplittableRandom(REDRAW_SEED))))));
  }
}
