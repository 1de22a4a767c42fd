package dev.fixpoint.dsl;

import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * An eligibility-trace rule for off-policy evaluation, as a value: how much weight beta_t the TD
 * error t steps after a pair (S_0, A_0) gets when that pair is updated (spec {@code traces.md}
 * sections 1 and 3; Daley, White, Amato and Machado, "Trajectory-Aware Eligibility Traces for
 * Off-Policy Reinforcement Learning", ICML 2023).
 *
 * <p>Every rule has beta_0 = 1 and reads, at step t &gt;= 1, only lambda, t, the importance ratio
 * rho_t = pi(A_t|S_t) / mu(A_t|S_t) and the target probability pi_t = pi(A_t|S_t); the ratio of
 * the updated pair's own action is never used. Each rule is a small state machine: an {@link
 * #initial()} statistic sigma_0 and {@link #step} (sigma_{t-1}, t, rho_t, pi_t) -&gt; (beta_t,
 * sigma_t). Per-decision rules (Munos, Stepleton, Harutyunyan and Bellemare 2016) have beta_t =
 * c_1 ... c_t with c_i a function of step i alone; trajectory-aware ones may look at the whole
 * history.
 *
 * <table>
 *   <caption>The rules (spec section 3)</caption>
 *   <tr><th>rule</th><th>kind</th><th>beta_t</th></tr>
 *   <tr><td>{@link ImportanceSampling}</td><td>PD</td><td>lambda rho_t beta_{t-1}</td></tr>
 *   <tr><td>{@link QLambda} (Harutyunyan et al. 2016)</td><td>PD</td><td>lambda beta_{t-1}</td></tr>
 *   <tr><td>{@link TreeBackup} (Precup et al. 2000)</td><td>PD</td><td>lambda pi_t beta_{t-1}</td>
 *   </tr>
 *   <tr><td>{@link Retrace} (Munos et al. 2016)</td><td>PD</td>
 *       <td>lambda min(1, rho_t) beta_{t-1}</td></tr>
 *   <tr><td>{@link TruncatedIs}</td><td>TA</td><td>lambda^t min(1, rho_1 ... rho_t)</td></tr>
 *   <tr><td>{@link RecursiveRetrace}</td><td>TA</td><td>lambda min(1, rho_t beta_{t-1})</td></tr>
 *   <tr><td>{@link Rbis}</td><td>TA</td><td>min(lambda^t, rho_t beta_{t-1})</td></tr>
 * </table>
 *
 * {@link Custom} is a user's own state machine. The trace operator over a rule is {@link
 * Operators#traces}.
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface TraceRule {

  /**
   * {@return whether beta_t = c_1 ... c_t with c_i depending on step i alone (closed-form
   * operator, spec section 2.2)}
   */
  boolean isPerDecision();

  /** {@return sigma_0, the statistic before the first step (1 for every built-in rule)} */
  default BigFraction initial() {
    return BigFraction.ONE;
  }

  /**
   * One step of the rule's state machine, exactly.
   *
   * @param statistic sigma_{t-1}
   * @param t the step, at least 1
   * @param rho rho_t = pi(A_t|S_t) / mu(A_t|S_t) &gt;= 0
   * @param pi pi(A_t|S_t) in [0, 1]
   * @return beta_t and sigma_t
   */
  Update step(BigFraction statistic, int t, BigFraction rho, BigFraction pi);

  /**
   * The result of one step.
   *
   * @param beta beta_t &gt;= 0
   * @param statistic sigma_t
   */
  record Update(BigFraction beta, BigFraction statistic) {
    /** Checks the components. */
    public Update {
      Objects.requireNonNull(statistic, "statistic");
      if (Rationals.signum(beta) < 0) {
        throw new ModelException("trace rule: beta = " + Rationals.format(beta)
            + " is negative; traces must be non-negative");
      }
    }
  }

  /**
   * A user's step function: (sigma_{t-1}, t, rho_t, pi_t) -&gt; (beta_t, sigma_t).
   */
  @FunctionalInterface
  interface Step {
    /**
     * {@return beta_t and sigma_t}
     * @param statistic sigma_{t-1}
     * @param t the step, at least 1
     * @param rho rho_t
     * @param pi pi_t
     */
    Update apply(BigFraction statistic, int t, BigFraction rho, BigFraction pi);
  }

  /**
   * An optional double-valued twin of a user's {@link Step}, used by the sample-based learners
   * (which work in double) so that a {@link Custom} rule runs without a {@code BigFraction}
   * allocation per entry and step. It must compute the same (beta_t, sigma_t) as the exact step
   * up to rounding; the exact operator and certificate always use the exact step.
   */
  @FunctionalInterface
  interface DoubleStep {
    /**
     * Writes beta_t into {@code out[0]} and sigma_t into {@code out[1]}.
     * @param statistic sigma_{t-1}
     * @param t the step, at least 1
     * @param rho rho_t
     * @param pi pi_t
     * @param out length 2, overwritten (reused across calls: keep no reference)
     */
    void apply(double statistic, int t, double rho, double pi, double[] out);
  }

  /**
   * Plain per-decision importance sampling: beta_t = lambda^t prod_{i=1}^t rho_i (spec section 3).
   * @param lambda in [0, 1]
   */
  record ImportanceSampling(BigFraction lambda) implements TraceRule {
    /** Checks lambda. */
    public ImportanceSampling {
      checkLambda("importance sampling", lambda);
    }

    @Override
    public boolean isPerDecision() {
      return true;
    }

    @Override
    public Update step(BigFraction statistic, int t, BigFraction rho, BigFraction pi) {
      BigFraction b = lambda.multiply(rho).multiply(statistic);
      return new Update(b, b);
    }
  }

  /**
   * Q^pi(lambda) (Harutyunyan, Bellemare, Stepleton and Munos 2016): beta_t = lambda^t, no
   * correction (spec section 3).
   * @param lambda in [0, 1]
   */
  record QLambda(BigFraction lambda) implements TraceRule {
    /** Checks lambda. */
    public QLambda {
      checkLambda("Q(lambda)", lambda);
    }

    @Override
    public boolean isPerDecision() {
      return true;
    }

    @Override
    public Update step(BigFraction statistic, int t, BigFraction rho, BigFraction pi) {
      BigFraction b = lambda.multiply(statistic);
      return new Update(b, b);
    }
  }

  /**
   * Tree Backup TB(lambda) (Precup, Sutton and Singh 2000): beta_t = lambda^t prod pi(A_i|S_i)
   * (spec section 3).
   * @param lambda in [0, 1]
   */
  record TreeBackup(BigFraction lambda) implements TraceRule {
    /** Checks lambda. */
    public TreeBackup {
      checkLambda("tree backup", lambda);
    }

    @Override
    public boolean isPerDecision() {
      return true;
    }

    @Override
    public Update step(BigFraction statistic, int t, BigFraction rho, BigFraction pi) {
      BigFraction b = lambda.multiply(pi).multiply(statistic);
      return new Update(b, b);
    }
  }

  /**
   * Retrace(lambda) (Munos et al. 2016): beta_t = lambda^t prod min(1, rho_i) (spec section 3).
   * @param lambda in [0, 1]
   */
  record Retrace(BigFraction lambda) implements TraceRule {
    /** Checks lambda. */
    public Retrace {
      checkLambda("Retrace", lambda);
    }

    @Override
    public boolean isPerDecision() {
      return true;
    }

    @Override
    public Update step(BigFraction statistic, int t, BigFraction rho, BigFraction pi) {
      BigFraction b = lambda.multiply(min(BigFraction.ONE, rho)).multiply(statistic);
      return new Update(b, b);
    }
  }

  /**
   * Truncated IS (trajectory-aware): beta_t = lambda^t min(1, prod_{i=1}^t rho_i); the statistic
   * is the running product prod_{i &lt;= t} rho_i (spec sections 2.2 and 3). It violates
   * Condition 5.1 (spec section 4.1).
   * @param lambda in [0, 1]
   */
  record TruncatedIs(BigFraction lambda) implements TraceRule {
    /** Checks lambda. */
    public TruncatedIs {
      checkLambda("truncated IS", lambda);
    }

    @Override
    public boolean isPerDecision() {
      return false;
    }

    @Override
    public Update step(BigFraction statistic, int t, BigFraction rho, BigFraction pi) {
      BigFraction prod = statistic.multiply(rho);
      return new Update(lambda.pow(t).multiply(min(BigFraction.ONE, prod)), prod);
    }
  }

  /**
   * Recursive Retrace (trajectory-aware): beta_t = lambda min(1, rho_t beta_{t-1}); the
   * statistic is beta_{t-1} (spec section 3).
   * @param lambda in [0, 1]
   */
  record RecursiveRetrace(BigFraction lambda) implements TraceRule {
    /** Checks lambda. */
    public RecursiveRetrace {
      checkLambda("recursive Retrace", lambda);
    }

    @Override
    public boolean isPerDecision() {
      return false;
    }

    @Override
    public Update step(BigFraction statistic, int t, BigFraction rho, BigFraction pi) {
      BigFraction b = lambda.multiply(min(BigFraction.ONE, rho.multiply(statistic)));
      return new Update(b, b);
    }
  }

  /**
   * Recency-bounded importance sampling, RBIS (Daley et al. 2023): beta_t = min(lambda^t, rho_t
   * beta_{t-1}), equivalently min_{0 &lt;= k &lt;= t} lambda^k prod_{i=k+1}^t rho_i; the
   * statistic is beta_{t-1} (spec section 3, final repository formula of commit 4ceb0b2).
   * @param lambda in [0, 1]
   */
  record Rbis(BigFraction lambda) implements TraceRule {
    /** Checks lambda. */
    public Rbis {
      checkLambda("RBIS", lambda);
    }

    @Override
    public boolean isPerDecision() {
      return false;
    }

    @Override
    public Update step(BigFraction statistic, int t, BigFraction rho, BigFraction pi) {
      BigFraction b = min(lambda.pow(t), rho.multiply(statistic));
      return new Update(b, b);
    }
  }

  /**
   * A user's own trajectory-aware rule, given as a state machine (treated as trajectory-aware: its
   * operator is computed by the layered method of spec section 2.2).
   *
   * @param name shown in messages
   * @param initial sigma_0
   * @param rule the exact step function
   * @param fast its double twin for the learners, or null (the learners then convert to {@code
   *     BigFraction} and run {@code rule}, allocating per entry and step)
   */
  record Custom(String name, BigFraction initial, Step rule, @Nullable DoubleStep fast)
      implements TraceRule {
    /** Checks the components. */
    public Custom {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(rule, "rule");
    }

    /**
     * A rule with only the exact step.
     * @param name shown in messages
     * @param initial sigma_0
     * @param rule the exact step function
     */
    public Custom(String name, BigFraction initial, Step rule) {
      this(name, initial, rule, null);
    }

    @Override
    public boolean isPerDecision() {
      return false;
    }

    @Override
    public Update step(BigFraction statistic, int t, BigFraction rho, BigFraction pi) {
      return rule.apply(statistic, t, rho, pi);
    }

    /** {@return "Custom[name]": the step function has no readable text} */
    @Override
    public String toString() {
      return "Custom[" + name + "]";
    }
  }

  // ---------------------------------------------------------------- factories

  /** {@return IS(lambda)} @param lambda in [0, 1] */
  static TraceRule importanceSampling(BigFraction lambda) {
    return new ImportanceSampling(lambda);
  }

  /** {@return IS(lambda)} @param lambda in [0, 1] as integer, decimal or "p/q" */
  static TraceRule importanceSampling(String lambda) {
    return importanceSampling(Rationals.parse(lambda));
  }

  /** {@return Q^pi(lambda)} @param lambda in [0, 1] */
  static TraceRule qLambda(BigFraction lambda) {
    return new QLambda(lambda);
  }

  /** {@return Q^pi(lambda)} @param lambda in [0, 1] as text */
  static TraceRule qLambda(String lambda) {
    return qLambda(Rationals.parse(lambda));
  }

  /** {@return TB(lambda)} @param lambda in [0, 1] */
  static TraceRule treeBackup(BigFraction lambda) {
    return new TreeBackup(lambda);
  }

  /** {@return TB(lambda)} @param lambda in [0, 1] as text */
  static TraceRule treeBackup(String lambda) {
    return treeBackup(Rationals.parse(lambda));
  }

  /** {@return Retrace(lambda)} @param lambda in [0, 1] */
  static TraceRule retrace(BigFraction lambda) {
    return new Retrace(lambda);
  }

  /** {@return Retrace(lambda)} @param lambda in [0, 1] as text */
  static TraceRule retrace(String lambda) {
    return retrace(Rationals.parse(lambda));
  }

  /** {@return truncated IS(lambda)} @param lambda in [0, 1] */
  static TraceRule truncatedIs(BigFraction lambda) {
    return new TruncatedIs(lambda);
  }

  /** {@return truncated IS(lambda)} @param lambda in [0, 1] as text */
  static TraceRule truncatedIs(String lambda) {
    return truncatedIs(Rationals.parse(lambda));
  }

  /** {@return recursive Retrace(lambda)} @param lambda in [0, 1] */
  static TraceRule recursiveRetrace(BigFraction lambda) {
    return new RecursiveRetrace(lambda);
  }

  /** {@return recursive Retrace(lambda)} @param lambda in [0, 1] as text */
  static TraceRule recursiveRetrace(String lambda) {
    return recursiveRetrace(Rationals.parse(lambda));
  }

  /** {@return RBIS(lambda)} @param lambda in [0, 1] */
  static TraceRule rbis(BigFraction lambda) {
    return new Rbis(lambda);
  }

  /** {@return RBIS(lambda)} @param lambda in [0, 1] as text */
  static TraceRule rbis(String lambda) {
    return rbis(Rationals.parse(lambda));
  }

  /**
   * {@return a user's rule}
   * @param name shown in messages
   * @param initial sigma_0
   * @param step (sigma_{t-1}, t, rho_t, pi_t) -&gt; (beta_t, sigma_t)
   */
  static TraceRule custom(String name, BigFraction initial, Step step) {
    return new Custom(name, initial, step);
  }

  /**
   * {@return a user's rule with a double twin of its step for the learners} The exact operator and
   * certificate use {@code step}; {@code OffPolicyTraces}, {@code TraceBuffer} and {@code
   * TraceUpdates.forward/backward} use {@code fast}, with no allocation per step. The two must
   * agree up to rounding (the learners do not check it).
   * @param name shown in messages
   * @param initial sigma_0
   * @param step (sigma_{t-1}, t, rho_t, pi_t) -&gt; (beta_t, sigma_t), exact
   * @param fast the same in double: writes beta_t to out[0], sigma_t to out[1]
   */
  static TraceRule custom(String name, BigFraction initial, Step step, DoubleStep fast) {
    return new Custom(name, initial, step, Objects.requireNonNull(fast, "fast"));
  }

  private static void checkLambda(String rule, BigFraction lambda) {
    Objects.requireNonNull(lambda, "lambda");
    if (Rationals.signum(lambda) < 0 || lambda.compareTo(BigFraction.ONE) > 0) {
      throw new ModelException(rule + ": lambda " + Rationals.format(lambda)
          + " is outside [0, 1]");
    }
  }

  private static BigFraction min(BigFraction a, BigFraction b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
