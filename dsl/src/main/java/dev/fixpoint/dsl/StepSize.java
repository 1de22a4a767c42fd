package dev.fixpoint.dsl;

import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * A step-size schedule eta_0, eta_1, ... for policy mirror descent, as a value (interpreted by
 * {@code dev.fixpoint.tabular.mirror.PolicyMirrorDescent}). Steps are exact rationals so that the
 * Euclidean map can run in exact arithmetic.
 *
 * <ul>
 *   <li>{@link Constant}: eta_k = eta (Xiao 2022, sublinear PMD rate; Agarwal et al. 2021 for NPG);
 *   <li>{@link Geometric}: eta_{k+1} = eta_k / gamma, so eta_k = eta_0 / gamma^k (Xiao 2022, linear
 *       rate); with gamma = 0 every step after the first is infinite;
 *   <li>{@link Adaptive}: Johnson, Pike-Burke and Rebeschini 2023 (arXiv 2302.11381): eta_k = (1/c_k)
 *       max_s min_{p in G_k(s)} D_h(p, pi_k(.|s)), with G_k(s) the distributions supported on
 *       argmax_a Q^{pi_k}(s, a) and c_k = c_0 gamma^(2k+1); then ||V* - V^{pi_k}||_inf &lt;= gamma^k
 *       (||V* - V^{pi_0}||_inf + c_0/(1 - gamma)). When the maximum is 0, pi_k is greedy for its own
 *       Q, hence optimal, and the run stops; when c_k = 0 (gamma = 0) the step is infinite;
 *   <li>{@link Infinite}: eta_k = infinity, the limit of the update: the Bregman projection of pi_k
 *       onto G_k(s), i.e. policy iteration with ties resolved by pi_k.
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface StepSize {

  /**
   * {@return the constant schedule eta_k = eta}
   * @param eta eta &gt; 0
   */
  static StepSize constant(BigFraction eta) {
    return new Constant(eta);
  }

  /**
   * {@return the constant schedule}
   * @param eta eta &gt; 0 as an integer, decimal or "p/q"
   */
  static StepSize constant(String eta) {
    return new Constant(Rationals.parse(eta));
  }

  /**
   * {@return the geometric schedule eta_k = eta_0 / gamma^k}
   * @param initial eta_0 &gt; 0
   */
  static StepSize geometric(BigFraction initial) {
    return new Geometric(initial);
  }

  /**
   * {@return the geometric schedule}
   * @param initial eta_0 &gt; 0 as an integer, decimal or "p/q"
   */
  static StepSize geometric(String initial) {
    return new Geometric(Rationals.parse(initial));
  }

  /**
   * {@return Johnson et al.'s adaptive schedule with c_k = c_0 gamma^(2k+1)}
   * @param c0 c_0 &gt; 0
   */
  static StepSize adaptive(BigFraction c0) {
    return new Adaptive(c0);
  }

  /**
   * {@return the adaptive schedule}
   * @param c0 c_0 &gt; 0 as an integer, decimal or "p/q"
   */
  static StepSize adaptive(String c0) {
    return new Adaptive(Rationals.parse(c0));
  }

  /** {@return the infinite step: policy iteration} */
  static StepSize infinite() {
    return new Infinite();
  }

  /**
   * eta_k = eta.
   * @param eta the step, &gt; 0
   */
  record Constant(BigFraction eta) implements StepSize {
    /** Checks the step. */
    public Constant {
      positive(eta, "constant step eta");
    }
  }

  /**
   * eta_k = initial / gamma^k.
   * @param initial eta_0, &gt; 0
   */
  record Geometric(BigFraction initial) implements StepSize {
    /** Checks the step. */
    public Geometric {
      positive(initial, "geometric step eta_0");
    }
  }

  /**
   * eta_k = (1/c_k) max_s min_{p greedy at s} D_h(p, pi_k(.|s)), c_k = c0 gamma^(2k+1).
   * @param c0 c_0, &gt; 0
   */
  record Adaptive(BigFraction c0) implements StepSize {
    /** Checks the constant. */
    public Adaptive {
      positive(c0, "adaptive step constant c_0");
    }
  }

  /** eta_k = infinity (policy iteration). */
  record Infinite() implements StepSize {}

  private static void positive(BigFraction x, String what) {
    Objects.requireNonNull(x, what);
    if (Rationals.signum(x) <= 0) {
      throw new ModelException(what + " = " + Rationals.format(x) + " must be positive");
    }
  }
}
