package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TraceRule;
import dev.fixpoint.dsl.TraceRule.Custom;
import dev.fixpoint.dsl.TraceRule.ImportanceSampling;
import dev.fixpoint.dsl.TraceRule.QLambda;
import dev.fixpoint.dsl.TraceRule.Rbis;
import dev.fixpoint.dsl.TraceRule.RecursiveRetrace;
import dev.fixpoint.dsl.TraceRule.Retrace;
import dev.fixpoint.dsl.TraceRule.TreeBackup;
import dev.fixpoint.dsl.TraceRule.TruncatedIs;
import java.util.Arrays;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The per-time-step trace storage of the online backward view (spec {@code traces.md} section
 * 2.3; Daley, White, Amato and Machado, ICML 2023, repository file {@code
 * algorithms/eligibility_traces.py}): one entry per step k of the current episode, holding the
 * row (S_k, A_k), D_k = gamma^(t-k), Lambda_k = lambda^(t-k), the running ratio product Pi_k =
 * prod_{i=k+1}^t rho_i and the trace beta_k = beta^(k)_t of the rule restarted at k.
 *
 * <p>One environment step t is {@link #advance(double, double)} (spec step 2: D, Lambda and Pi
 * of every stored entry first, beta last, so that RBIS and truncated IS read the advanced
 * Lambda_k and Pi_k), then {@link #push(int)} (step 3: the new entry has D = Lambda = Pi = beta =
 * 1 and never sees its own ratio rho_t), then {@link #scatter(double[], double)} (step 5: Q(S_k,
 * A_k) += c D_k beta_k for every k, accumulating, so that repeated pairs add up), and {@link
 * #clear()} after a terminal step (step 6). Cost O(number of entries) per step.
 *
 * <p>Overflow: importance sampling keeps log Pi_k (log 0 = -infinity for a zero ratio, a
 * permanent cut) and log Lambda_k and computes beta = exp(log Lambda_k + log Pi_k), so that an
 * underflowed Lambda never meets an overflowed Pi; truncated IS keeps Pi_k as a double times a
 * power of two (renormalised when it leaves [2^-500, 2^500]) and computes beta = Lambda_k min(1,
 * Pi_k), a multiplication per step instead of an exp; there is no clamp (the repository clamps Pi at the largest
 * float, which a later small ratio can wrongly bring below 1). Retrace, tree backup, Q(lambda),
 * recursive Retrace and RBIS keep beta &lt;= 1 and cannot overflow; underflow to 0 ends a trace.
 * Plain IS can overflow for real (beta = +infinity); the learners then stop with an {@link
 * ArithmeticException}.
 *
 * <p>The arrays grow geometrically, so after the longest episode seen no step allocates. A
 * {@link Custom} rule with a double step ({@link TraceRule.DoubleStep}, {@code
 * TraceRule.custom(name, sigma0, step, fast)}) runs it with no allocation; without one, its exact
 * step function runs on the doubles (converted exactly to {@link BigFraction}s and back with
 * {@link Rationals#toDouble}), which allocates per entry and step.
 *
 * <p>Mutable, not thread-safe: one buffer per learner run.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TraceBuffer {
  private static final int IS = 0;
  private static final int Q_LAMBDA = 1;
  private static final int TREE_BACKUP = 2;
  private static final int RETRACE = 3;
  private static final int TRUNCATED_IS = 4;
  private static final int RECURSIVE_RETRACE = 5;
  private static final int RBIS = 6;
  private static final int CUSTOM = 7;
  private static final double RENORMALISE_ABOVE = 0x1p500;
  private static final double RENORMALISE_BELOW = 0x1p-500;

  private final TraceRule rule;
  private final int kind;
  private final double gamma;
  private final double lambda;
  private final double logLambda;
  private final double initialStatistic;
  private final TraceRule.@Nullable DoubleStep fast;
  private final double[] out = new double[2];
  private int size;
  private int[] rows;
  private double[] discount;
  private double[] decay;
  private double[] product;
  private double[] beta;
  private int[] age;

  private TraceBuffer(TraceRule rule, double gamma, int capacity) {
    this.rule = rule;
    this.gamma = gamma;
    double l = 0;
    int k;
    TraceRule.DoubleStep f = null;
    switch (rule) {
      case ImportanceSampling(var x) -> {
        k = IS;
        l = Rationals.toDouble(x);
      }
      case QLambda(var x) -> {
        k = Q_LAMBDA;
        l = Rationals.toDouble(x);
      }
      case TreeBackup(var x) -> {
        k = TREE_BACKUP;
        l = Rationals.toDouble(x);
      }
      case Retrace(var x) -> {
        k = RETRACE;
        l = Rationals.toDouble(x);
      }
      case TruncatedIs(var x) -> {
        k = TRUNCATED_IS;
        l = Rationals.toDouble(x);
      }
      case RecursiveRetrace(var x) -> {
        k = RECURSIVE_RETRACE;
        l = Rationals.toDouble(x);
      }
      case Rbis(var x) -> {
        k = RBIS;
        l = Rationals.toDouble(x);
      }
      case Custom c -> {
        k = CUSTOM;
        f = c.fast();
      }
    }
    this.fast = f;
    this.kind = k;
    this.lambda = l;
    this.logLambda = Math.log(l);
    this.initialStatistic = Rationals.toDouble(rule.initial());
    int c = Math.max(capacity, 4);
    rows = new int[c];
    discount = new double[c];
    decay = new double[c];
    product = new double[c];
    beta = new double[c];
    age = new int[c];
  }

  /**
   * {@return an empty buffer for the rule}
   *
   * @param rule the trace rule (any, a user's {@link Custom} included)
   * @param gamma the discount, in [0, 1]
   */
  public static TraceBuffer create(TraceRule rule, double gamma) {
    return create(rule, gamma, 64);
  }

  /**
   * {@return an empty buffer with room for {@code capacity} entries before it grows}
   *
   * @param rule the trace rule
   * @param gamma the discount, in [0, 1]
   * @param capacity the initial number of entries
   */
  public static TraceBuffer create(TraceRule rule, double gamma, int capacity) {
    java.util.Objects.requireNonNull(rule, "rule");
    if (!(gamma >= 0 && gamma <= 1)) {
      throw new ModelException("discount gamma " + gamma + " is outside [0, 1]");
    }
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    return new TraceBuffer(rule, gamma, capacity);
  }

  /** {@return the rule} */
  public TraceRule rule() {
    return rule;
  }

  /** {@return the number of live entries (steps of the current episode so far)} */
  public int size() {
    return size;
  }

  /**
   * {@return the row (S_k, A_k) of entry k}
   *
   * @param k 0 .. size-1
   */
  public int row(int k) {
    check(k);
    return rows[k];
  }

  /**
   * {@return beta_k, the trace of entry k at the current step}
   *
   * @param k 0 .. size-1
   */
  public double beta(int k) {
    check(k);
    return beta[k];
  }

  /**
   * {@return D_k beta_k = gamma^(t-k) beta^(k)_t, the weight entry k gives the current TD error}
   *
   * @param k 0 .. size-1
   */
  public double weight(int k) {
    check(k);
    return discount[k] * beta[k];
  }

  /**
   * Spec step 2: advances every stored entry by the ratio of the current step, D_k &lt;- gamma
   * D_k, Lambda_k &lt;- lambda Lambda_k, Pi_k &lt;- Pi_k rho_t, and last beta_k &lt;- rule(beta_k,
   * rho_t, Lambda_k, Pi_k). Call it before {@link #push} of the current step.
   *
   * @param rho rho_t = pi(A_t|S_t) / mu(A_t|S_t) &gt;= 0, finite
   * @param pi pi(A_t|S_t) in [0, 1] (read by tree backup and user rules)
   */
  public void advance(double rho, double pi) {
    if (!(rho >= 0) || rho == Double.POSITIVE_INFINITY) {
      throw new ModelException("importance ratio rho = " + rho
          + " is not a finite non-negative number (behaviour probability 0 at a sampled action?)");
    }
    int n = size;
    double g = gamma;
    double l = lambda;
    double[] d = discount;
    double[] lam = decay;
    double[] p = product;
    double[] b = beta;
    switch (kind) {
      case IS -> {
        double lr = Math.log(rho);
        for (int k = 0; k < n; k++) {
          d[k] *= g;
          p[k] += lr;
          lam[k] += logLambda;
          b[k] = Math.exp(lam[k] + p[k]);
        }
      }
      case TRUNCATED_IS -> {
        int[] ex = age;
        for (int k = 0; k < n; k++) {
          d[k] *= g;
          lam[k] *= l;
          // Pi_k = p[k] 2^ex[k]: the mantissa part is renormalised far from the double range's
          // ends, so no product overflows, underflows or sticks at a clamp; 0 stays 0
          double x = p[k] * rho;
          if (x > RENORMALISE_ABOVE || x < RENORMALISE_BELOW && x > 0) {
            int e = Math.getExponent(x);
            x = Math.scalb(x, -e);
            ex[k] += e;
          }
          p[k] = x;
          double prod = ex[k] == 0 ? x : Math.scalb(x, ex[k]);
          b[k] = lam[k] * Math.min(1, prod);
        }
      }
      case Q_LAMBDA -> {
        for (int k = 0; k < n; k++) {
          d[k] *= g;
          b[k] *= l;
        }
      }
      case TREE_BACKUP -> {
        double c = l * pi;
        for (int k = 0; k < n; k++) {
          d[k] *= g;
          b[k] *= c;
        }
      }
      case RETRACE -> {
        double c = l * Math.min(1, rho);
        for (int k = 0; k < n; k++) {
          d[k] *= g;
          b[k] *= c;
        }
      }
      case RECURSIVE_RETRACE -> {
        for (int k = 0; k < n; k++) {
          d[k] *= g;
          b[k] = l * Math.min(1, rho * b[k]);
        }
      }
      case RBIS -> {
        for (int k = 0; k < n; k++) {
          d[k] *= g;
          lam[k] *= l;
          b[k] = Math.min(lam[k], rho * b[k]);
        }
      }
      default -> { // CUSTOM: the statistic lives in the product slot
        if (fast != null) {
          double[] o = out;
          for (int k = 0; k < n; k++) {
            d[k] *= g;
            age[k]++;
            fast.apply(p[k], age[k], rho, pi, o);
            if (!(o[0] >= 0)) {
              throw new ModelException(rule + ": the double step gave beta = " + o[0] + " at t = "
                  + age[k] + " (rho " + rho + ", pi " + pi + "); traces must be non-negative");
            }
            b[k] = o[0];
            p[k] = o[1];
          }
          return;
        }
        BigFraction r = Rationals.fromDouble(rho);
        BigFraction q = Rationals.fromDouble(pi);
        for (int k = 0; k < n; k++) {
          d[k] *= g;
          age[k]++;
          TraceRule.Update u = rule.step(Rationals.fromDouble(p[k]), age[k], r, q);
          b[k] = Rationals.toDouble(u.beta());
          p[k] = Rationals.toDouble(u.statistic());
        }
      }
    }
  }

  /**
   * Spec step 3: appends the entry of the current step for row (S_t, A_t), with D = Lambda = Pi =
   * beta = 1 (log Pi = 0; a user rule's statistic at its initial value).
   *
   * @param row the row of (S_t, A_t), &gt;= 0
   */
  public void push(int row) {
    if (row < 0) {
      throw new IllegalArgumentException("negative row " + row);
    }
    if (size == rows.length) {
      int c = 2 * rows.length;
      rows = Arrays.copyOf(rows, c);
      discount = Arrays.copyOf(discount, c);
      decay = Arrays.copyOf(decay, c);
      product = Arrays.copyOf(product, c);
      beta = Arrays.copyOf(beta, c);
      age = Arrays.copyOf(age, c);
    }
    rows[size] = row;
    discount[size] = 1;
    decay[size] = kind == IS ? 0 : 1; // log Lambda for IS
    product[size] = kind == CUSTOM ? initialStatistic : kind == TRUNCATED_IS ? 1 : 0;
    beta[size] = 1;
    age[size] = 0;
    size++;
  }

  /**
   * Spec step 5: {@code q[row_k] += scale * D_k * beta_k} for every entry k, an accumulating
   * scatter-add (an online learner passes scale = alpha delta_t).
   *
   * @param q the values per row, updated in place
   * @param scale the factor
   */
  public void scatter(double[] q, double scale) {
    int n = size;
    int[] rw = rows;
    double[] d = discount;
    double[] b = beta;
    for (int k = 0; k < n; k++) {
      q[rw[k]] += scale * (d[k] * b[k]);
    }
  }

  /** Spec step 6: drops every entry (the trace reset at the end of an episode). */
  public void clear() {
    size = 0;
  }

  private void check(int k) {
    if (k < 0 || k >= size) {
      throw new IndexOutOfBoundsException("entry " + k + " of " + size);
    }
  }

  @Override
  public String toString() {
    return "TraceBuffer[" + rule + ", " + size + " entries]";
  }
}
