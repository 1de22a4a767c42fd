/**
 * Library-neutral generators for property tests of RL algorithms: random MDPs ({@link
 * dev.fixpoint.propertytests.Generators#mdps}, exact or double, with terminal states and proper
 * undiscounted models), policies, value and Q-functions, operator terms, Garnet models; each a
 * {@link dev.fixpoint.propertytests.Generator}: a function of a {@link
 * java.util.random.RandomGenerator} plus a shrinker.
 *
 * <p><b>QuickTheories.</b> {@link dev.fixpoint.propertytests.QuickTheoriesGen#of} turns a
 * generator into a {@code Gen}; QuickTheories shrinks through the recorded draws (see there).
 *
 * <p><b>jqwik.</b> fixpoint does not depend on jqwik. A jqwik user wraps a generator in an {@code
 * Arbitrary} through jqwik's {@code Arbitraries.fromGenerator} and a {@code Shrinkable} that
 * follows {@link dev.fixpoint.propertytests.Generator#shrink}; {@code size} is any measure that
 * shrinking decreases, e.g. {@code m -> 1000L * m.numStates() + m.numRows()} for a {@link
 * dev.fixpoint.propertytests.RandomMdp}:
 *
 * <pre>{@code
 * static <T> Arbitrary<T> arbitrary(Generator<T> g, ToLongFunction<T> size) {
 *   return Arbitraries.fromGenerator(random -> shrinkable(g, g.next(random), size));
 * }
 *
 * static <T> Shrinkable<T> shrinkable(Generator<T> g, T value, ToLongFunction<T> size) {
 *   return new Shrinkable<T>() {
 *     public T value() { return value; }
 *     public Stream<Shrinkable<T>> shrink() {
 *       return g.shrink(value).map(v -> shrinkable(g, v, size));
 *     }
 *     public ShrinkingDistance distance() { return ShrinkingDistance.of(size.applyAsLong(value)); }
 *   };
 * }
 * }</pre>
 *
 * (jqwik's {@code Random} is a {@code java.util.Random}, which implements {@code RandomGenerator}.)
 *
 * <p><b>Without a framework.</b> Draw with {@code new SplittableRandom(seed)} and minimise a
 * failing value with {@link dev.fixpoint.propertytests.Shrinking#minimize}.
 */
@NullMarked
package dev.fixpoint.propertytests;

import org.jspecify.annotations.NullMarked;
