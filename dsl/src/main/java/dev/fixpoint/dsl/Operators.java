package dev.fixpoint.dsl;

import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/** Static factories of the operator algebra ({@link Operator}). */
@API(status = API.Status.STABLE)
public final class Operators {
  private Operators() {}

  /**
   * {@return T^pi}
   * @param pi the policy
   */
  public static Operator policy(Policy<?, ?> pi) {
    return new Operator.PolicyEvaluation(pi);
  }

  /** {@return T*} */
  public static Operator optimality() {
    return new Operator.Optimality();
  }

  /**
   * {@return T_tau}
   * @param temperature tau &gt; 0
   */
  public static Operator soft(BigFraction temperature) {
    return new Operator.Soft(temperature);
  }

  /**
   * {@return T_tau}
   * @param temperature tau &gt; 0 as integer, decimal or "p/q"
   */
  public static Operator soft(String temperature) {
    return soft(Rationals.parse(temperature));
  }

  /**
   * {@return the n-step operator of pi}
   * @param pi the policy
   * @param n at least 1
   */
  public static Operator nStep(Policy<?, ?> pi, int n) {
    return new Operator.NStep(pi, n);
  }

  /**
   * {@return the lambda-return of base}
   * @param lambda in [0, 1)
   * @param base the operator
   */
  public static Operator lambda(BigFraction lambda, Operator base) {
    return new Operator.Lambda(lambda, base);
  }

  /**
   * {@return the lambda-return of base}
   * @param lambda in [0, 1) as text
   * @param base the operator
   */
  public static Operator lambda(String lambda, Operator base) {
    return lambda(Rationals.parse(lambda), base);
  }

  /**
   * {@return outer after inner}
   * @param outer second
   * @param inner first
   */
  public static Operator compose(Operator outer, Operator inner) {
    return new Operator.Compose(outer, inner);
  }

  /**
   * {@return base applied n times}
   * @param base the operator
   * @param n at least 0
   */
  public static Operator power(Operator base, int n) {
    return new Operator.Power(base, n);
  }

  /**
   * {@return the expected trace operator M of a rule (see {@link Operator.Traces})}
   * @param pi the target policy
   * @param mu the behaviour policy
   * @param rule the trace rule, e.g. {@code TraceRule.rbis("9/10")}
   */
  public static Operator traces(Policy<?, ?> pi, Policy<?, ?> mu, TraceRule rule) {
    return new Operator.Traces(pi, mu, rule);
  }
}
