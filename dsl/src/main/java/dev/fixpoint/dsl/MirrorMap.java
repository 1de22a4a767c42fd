package dev.fixpoint.dsl;

import org.apiguardian.api.API;

/**
 * A mirror map h on the probability simplex, as a value: it fixes the Bregman divergence D_h(p, q) =
 * h(p) - h(q) - &lt;grad h(q), p - q&gt; of the policy mirror descent update
 *
 * <pre>pi_{k+1}(.|s) = argmax_{p in Delta(A_s)} { eta_k &lt;Q^{pi_k}(s, .), p&gt; - D_h(p, pi_k(.|s)) }</pre>
 *
 * (Xiao 2022, JMLR, PMD section; Lan 2022). Interpreters live in {@code
 * dev.fixpoint.tabular.mirror}.
 *
 * <ul>
 *   <li>{@link Kl}: h(p) = sum_a p_a log p_a, D_h = KL; the update is pi_{k+1} proportional to
 *       pi_k exp(eta Q) (irrational: double only; the start must have full support);
 *   <li>{@link Euclidean}: h(p) = (1/2)||p||^2; the update is the Euclidean projection of pi_k +
 *       eta Q onto the simplex (rational in, rational out);
 *   <li>{@link Tsallis}: h_q(p) = (sum_a p_a^q - 1)/(q - 1), q &gt; 0, q != 1; q -&gt; 1 gives KL and
 *       q = 2 the Euclidean map up to a factor 2 (double only; the start must have full support).
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface MirrorMap {

  /** {@return the negative-entropy map, whose Bregman divergence is KL} */
  static MirrorMap kl() {
    return new Kl();
  }

  /** {@return the squared Euclidean norm map (1/2)||p||^2} */
  static MirrorMap euclidean() {
    return new Euclidean();
  }

  /**
   * {@return the Tsallis entropy map h_q}
   *
   * @param q the entropic index, q &gt; 0, q != 1, finite
   * @throws ModelException when q is out of range
   */
  static MirrorMap tsallis(double q) {
    return new Tsallis(q);
  }

  /** Negative entropy h(p) = sum p log p; D_h is the Kullback-Leibler divergence. */
  record Kl() implements MirrorMap {
    @Override
    public String toString() {
      return "KL";
    }
  }

  /** h(p) = (1/2)||p||^2; D_h(p, q) = (1/2)||p - q||^2. */
  record Euclidean() implements MirrorMap {
    @Override
    public String toString() {
      return "Euclidean";
    }
  }

  /**
   * Tsallis entropy h_q(p) = (sum_a p_a^q - 1)/(q - 1), with grad h_q(p)_a = q p_a^(q-1)/(q-1).
   *
   * @param q the entropic index, q &gt; 0 and q != 1
   */
  record Tsallis(double q) implements MirrorMap {
    /** Checks the index. */
    public Tsallis {
      if (!(q > 0) || q == 1 || Double.isInfinite(q)) {
        throw new ModelException("Tsallis index q = " + q + " must be finite, positive and not 1"
            + " (q -> 1 is the KL map: use MirrorMap.kl())");
      }
    }

    @Override
    public String toString() {
      return "Tsallis(q=" + q + ")";
    }
  }
}
