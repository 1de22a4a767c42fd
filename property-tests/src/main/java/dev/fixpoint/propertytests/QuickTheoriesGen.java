package dev.fixpoint.propertytests;

import java.util.Objects;
import java.util.function.Function;
import org.apiguardian.api.API;
import org.quicktheories.core.Gen;

/**
 * Adapts a {@link Generator} to a QuickTheories (0.26) {@link Gen}.
 *
 * <p><b>How shrinking maps.</b> QuickTheories does not shrink values: it records the sequence of
 * primitive draws a {@code Gen} made (each with a range and a shrink point), and on a failure
 * replays the generator with some recorded draws moved towards their shrink points, keeping a
 * replay when it still fails (the "precursor" scheme, driven by its own pseudo-random source).
 * The adapter hands the {@code Generator} a {@link java.util.random.RandomGenerator} whose every
 * bounded draw ({@code nextInt(origin, bound)}, {@code nextInt(bound)}, {@code nextLong(...)},
 * {@code nextDouble(origin, bound)}, {@code nextDouble()}, {@code nextBoolean()}) is one recorded
 * draw over exactly that range, shrinking towards the value of the range nearest 0. The generators
 * of this package are written so that such draws give simpler values (fewer states, actions and
 * successors, uniform probabilities, zero rewards, deterministic first-action policies, zero
 * vectors), so QuickTheories' shrinking lands on small counterexamples. The {@link
 * Generator#shrink} functions are not called by QuickTheories; they serve frameworks that take a
 * shrink function (see the package documentation) and {@link Shrinking#minimize}.
 *
 * <p>A generator that draws through other methods ({@code nextGaussian}, say) still works: those
 * fall back on {@code nextLong()}/{@code nextDouble()}, recorded draws that shrink less usefully.
 *
 * <p>Usage, inside a JUnit test:
 *
 * <pre>{@code
 * qt().withFixedSeed(42).withExamples(200)
 *     .forAll(QuickTheoriesGen.of(Generators.mdps(MdpSpec.exact())))
 *     .checkAssert(m -> assertEquals(m.numStates(), m.tabular().numStates()));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class QuickTheoriesGen {
  private QuickTheoriesGen() {}

  /**
   * {@return a QuickTheories generator drawing through the given generator}
   *
   * @param generator the library-neutral generator
   * @param <T> the value type
   */
  public static <T> Gen<T> of(Generator<T> generator) {
    Objects.requireNonNull(generator, "generator");
    return source -> generator.next(new SourceRandom(source));
  }

  /**
   * {@return a QuickTheories generator that describes its values with {@code describe} in failure
   * reports}
   *
   * @param generator the library-neutral generator
   * @param describe the text of a value
   * @param <T> the value type
   */
  public static <T> Gen<T> of(Generator<T> generator, Function<? super T, String> describe) {
    Objects.requireNonNull(describe, "describe");
    return of(generator).describedAs(describe::apply);
  }
}
