package dev.fixpoint.dsl;

import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * A Bellman-type operator on action-value functions Q over the rows of a tabular model, as a value.
 * Build them with {@link Operators}; give them a meaning with an interpreter ({@code
 * dev.fixpoint.tabular.operators.DoubleInterpreter} and {@code ExactInterpreter}).
 *
 * <p>With r the expected reward, P the transition kernel and gamma the discount:
 *
 * <ul>
 *   <li>{@link PolicyEvaluation}: (T^pi Q)(s, a) = r(s, a) + gamma sum_s' p(s'|s, a) sum_a'
 *       pi(a'|s') Q(s', a');
 *   <li>{@link Optimality}: (T* Q)(s, a) = r(s, a) + gamma sum_s' p(s'|s, a) max_a' Q(s', a');
 *   <li>{@link Soft}: (T_tau Q)(s, a) = r(s, a) + gamma sum_s' p(s'|s, a) tau log sum_a'
 *       exp(Q(s', a') / tau), the entropy-regularised operator (irrational: double only);
 *   <li>{@link NStep}: the n-step return operator of pi, (T^pi)^n, computed by n backups;
 *   <li>{@link Lambda}: the lambda-return operator (1 - lambda) sum_{n &gt;= 0} lambda^n B^{n+1};
 *   <li>{@link Compose}: outer after inner; {@link Power}: B applied n times;
 *   <li>{@link Traces}: the off-policy trace operator M Q = Q + E_mu[sum_t gamma^t beta_t delta_t]
 *       of a {@link TraceRule} (spec {@code traces.md} section 2.1; Daley et al. 2023).
 * </ul>
 *
 * Terminal states contribute value 0. Each operator is a contraction in sup norm with the modulus
 * that {@code DoubleInterpreter.modulus} computes (gamma for T^pi, T* and T_tau).
 */
@API(status = API.Status.STABLE)
public sealed interface Operator {

  /**
   * T^pi.
   * @param policy the evaluated policy (tabulated against the model when applied)
   */
  record PolicyEvaluation(Policy<?, ?> policy) implements Operator {
    /** Checks the component. */
    public PolicyEvaluation {
      Objects.requireNonNull(policy, "policy");
    }
  }

  /** T*, the Bellman optimality operator. */
  record Optimality() implements Operator {}

  /**
   * T_tau, the soft (entropy-regularised) optimality operator.
   * @param temperature tau &gt; 0
   */
  record Soft(BigFraction temperature) implements Operator {
    /** Checks the component. */
    public Soft {
      if (Rationals.signum(temperature) <= 0) {
        throw new ModelException("soft operator: temperature " + Rationals.format(temperature)
            + " must be positive");
      }
    }
  }

  /**
   * The n-step operator of pi.
   * @param policy the policy
   * @param n the number of steps, at least 1
   */
  record NStep(Policy<?, ?> policy, int n) implements Operator {
    /** Checks the components. */
    public NStep {
      Objects.requireNonNull(policy, "policy");
      if (n < 1) {
        throw new ModelException("n-step operator: n = " + n + " must be at least 1");
      }
    }
  }

  /**
   * The lambda-return of a base operator.
   * @param lambda in [0, 1)
   * @param base the operator B
   */
  record Lambda(BigFraction lambda, Operator base) implements Operator {
    /** Checks the components. */
    public Lambda {
      Objects.requireNonNull(base, "base");
      if (Rationals.signum(lambda) < 0 || lambda.compareTo(BigFraction.ONE) >= 0) {
        throw new ModelException("lambda operator: lambda " + Rationals.format(lambda)
            + " is outside [0, 1)");
      }
    }
  }

  /**
   * outer(inner(Q)).
   * @param outer applied second
   * @param inner applied first
   */
  record Compose(Operator outer, Operator inner) implements Operator {
    /** Checks the components. */
    public Compose {
      Objects.requireNonNull(outer, "outer");
      Objects.requireNonNull(inner, "inner");
    }
  }

  /**
   * B applied n times.
   * @param base B
   * @param n at least 0 (0 is the identity)
   */
  record Power(Operator base, int n) implements Operator {
    /** Checks the components. */
    public Power {
      Objects.requireNonNull(base, "base");
      if (n < 0) {
        throw new ModelException("power of an operator: n = " + n + " must be at least 0");
      }
    }
  }

  /**
   * The expected off-policy trace operator of a rule: (M Q)(s, a) = Q(s, a) + E_mu[sum_{t &gt;= 0}
   * gamma^t beta_t delta_t | S_0 = s, A_0 = a] with the expected TD error delta_t = R_t + gamma
   * sum_a' pi(a'|S_{t+1}) Q(S_{t+1}, a') - Q(S_t, A_t) (spec {@code traces.md} section 2.1). It is
   * affine with fixed point Q^pi for every rule.
   *
   * @param target the target policy pi
   * @param behaviour the behaviour policy mu
   * @param rule the trace rule
   */
  record Traces(Policy<?, ?> target, Policy<?, ?> behaviour, TraceRule rule) implements Operator {
    /** Checks the components. */
    public Traces {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(behaviour, "behaviour");
      Objects.requireNonNull(rule, "rule");
    }
  }
}
