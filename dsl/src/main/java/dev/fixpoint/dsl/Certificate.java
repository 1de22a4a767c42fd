package dev.fixpoint.dsl;

import java.util.OptionalDouble;
import org.apiguardian.api.API;

/**
 * What a solver can guarantee about the values it returns.
 *
 * <ul>
 *   <li>{@link Exact}: the values solve the Bellman equations exactly (in rationals, or up to
 *       floating-point rounding of one direct linear solve in double);
 *   <li>{@link SupNorm}: ||v - v*||_inf &lt;= bound and the greedy policy loses at most
 *       policyLoss in every state;
 *   <li>{@link None}: no bound holds; the reason says why and what to use instead.
 * </ul>
 */
@API(status = API.Status.STABLE)
public sealed interface Certificate {

  /** {@return "exact", "sup-norm" or "none"} */
  String kind();

  /** {@return the sup-norm bound on the value error, when there is one} */
  OptionalDouble bound();

  /** {@return a sentence that states the guarantee and where its numbers come from} */
  String explain();

  /**
   * The values are exact solutions of the Bellman equations.
   *
   * @param explain how they were computed
   */
  record Exact(String explain) implements Certificate {
    @Override
    public String kind() {
      return "exact";
    }

    @Override
    public OptionalDouble bound() {
      return OptionalDouble.of(0.0);
    }
  }

  /**
   * A sup-norm bound on the distance to the fixed point.
   *
   * @param valueBound bound on ||v - v*||_inf
   * @param policyLoss bound on ||v* - v^greedy||_inf
   * @param explain the inequality used and its terms
   */
  record SupNorm(double valueBound, double policyLoss, String explain) implements Certificate {
    @Override
    public String kind() {
      return "sup-norm";
    }

    @Override
    public OptionalDouble bound() {
      return OptionalDouble.of(valueBound);
    }
  }

  /**
   * No guarantee.
   *
   * @param explain why none holds and what to use instead
   */
  record None(String explain) implements Certificate {
    @Override
    public String kind() {
      return "none";
    }

    @Override
    public OptionalDouble bound() {
      return OptionalDouble.empty();
    }
  }
}
