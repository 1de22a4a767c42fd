package dev.fixpoint.propertytests;

import java.util.Iterator;
import java.util.Objects;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * A framework-free shrink loop over {@link Generator#shrink}: for users who run properties by hand
 * or wire a generator into a library that wants a minimiser.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Shrinking {
  private Shrinking() {}

  /**
   * The result of shrinking.
   *
   * @param value the smallest failing value found
   * @param steps how many successful shrink steps led to it
   * @param tries how many candidates were tested
   * @param <T> the value type
   */
  public record Result<T>(T value, int steps, int tries) {}

  /**
   * Greedy shrinking: repeatedly replaces the value by the first candidate of {@link
   * Generator#shrink} on which the property still fails, until no candidate fails or {@code
   * maxTries} candidates were tested. A candidate on which the property throws counts as failing
   * (a thrown exception is a failure in every property framework). Ends because each candidate is
   * strictly simpler (the {@link Generator} contract).
   *
   * @param generator the generator whose shrinker is used
   * @param failing a value on which the property fails
   * @param fails true when the property fails on a value
   * @param maxTries the most candidates to test
   * @param <T> the value type
   * @return the smallest failing value found and the effort spent
   */
  public static <T> Result<T> minimize(Generator<T> generator, T failing, Predicate<? super T> fails,
      int maxTries) {
    Objects.requireNonNull(failing, "failing");
    T current = failing;
    int steps = 0;
    int tries = 0;
    boolean progress = true;
    while (progress && tries < maxTries) {
      progress = false;
      Iterator<T> it = generator.shrink(current).iterator();
      while (it.hasNext() && tries < maxTries) {
        T candidate = it.next();
        tries++;
        if (stillFails(fails, candidate)) {
          current = candidate;
          steps++;
          progress = true;
          break;
        }
      }
    }
    return new Result<>(current, steps, tries);
  }

  private static <T> boolean stillFails(Predicate<? super T> fails, T candidate) {
    try {
      return fails.test(candidate);
    } catch (RuntimeException | AssertionError e) {
      return true;
    }
  }
}
