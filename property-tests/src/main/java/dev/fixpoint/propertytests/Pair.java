package dev.fixpoint.propertytests;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Two generated values, drawn together ({@link Generator#and}, {@link Generator#then}).
 *
 * @param first the first value
 * @param second the second value (for {@link Generator#then}, drawn given the first)
 * @param <A> the first type
 * @param <B> the second type
 */
@API(status = API.Status.EXPERIMENTAL)
public record Pair<A, B>(A first, B second) {
  /** Checks the components. */
  public Pair {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
  }
}
