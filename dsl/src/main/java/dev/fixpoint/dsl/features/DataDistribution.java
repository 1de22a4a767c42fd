package dev.fixpoint.dsl.features;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A data distribution mu over the (state, action) rows of a model, as a description (spec Part
 * B0: the weights of ||x||_mu = sqrt(sum mu x^2), of the projection Pi_mu and of the offline data).
 * Computed by {@code dev.fixpoint.theory.realizability.DataWeights#of}.
 *
 * <ul>
 *   <li>{@link Given}: mu given row by row (non-negative, summing to 1);
 *   <li>{@link Occupancy}: the normalised discounted occupancy of a behaviour policy b from the
 *       model's initial distribution rho, d_rho^b^T = (1 - gamma) rho_b^T (I - gamma P^b)^{-1}
 *       (spec section 0), exact when the model and b are exact;
 *   <li>{@link Stationary}: mu(s, a) = nu(s) b(a|s) with nu^T P_S^b = nu^T, sum nu = 1, exact when
 *       rational; refused when the chain has terminal states or several stationary
 *       distributions.
 * </ul>
 *
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface DataDistribution<S, A> {

  /**
   * mu given row by row.
   *
   * @param weights one weight per row (double view)
   * @param exact the weights as rationals, or null
   * @param <S> state type
   * @param <A> action type
   */
  record Given<S, A>(double[] weights, BigFraction @Nullable [] exact)
      implements DataDistribution<S, A> {
    /** Checks that the weights are finite, non-negative and sum to 1 (exactly when exact). */
    public Given {
      Objects.requireNonNull(weights, "weights");
      weights = weights.clone();
      exact = exact == null ? null : exact.clone();
      double sum = 0;
      for (int i = 0; i < weights.length; i++) {
        if (!(weights[i] >= 0) || !Double.isFinite(weights[i])) {
          throw new ModelException("data distribution: weight of row " + i + " is "
              + weights[i] + ", must be finite and non-negative");
        }
        sum += weights[i];
      }
      if (exact != null) {
        BigFraction s = BigFraction.ZERO;
        for (BigFraction w : exact) {
          s = s.add(w);
        }
        if (!s.equals(BigFraction.ONE)) {
          throw new ModelException("data distribution: exact weights sum to "
              + Rationals.format(s) + ", not 1");
        }
      } else if (Math.abs(sum - 1) > 1e-9) {
        throw new ModelException("data distribution: weights sum to " + sum + ", not 1");
      }
      if (exact != null && exact.length != weights.length) {
        throw new ModelException("data distribution: " + exact.length + " exact weights for "
            + weights.length + " doubles");
      }
    }

    /** {@return a copy of the weights} */
    @Override
    public double[] weights() {
      return weights.clone();
    }

    /** {@return a copy of the exact weights, or null} */
    @Override
    public BigFraction @Nullable [] exact() {
      return exact == null ? null : exact.clone();
    }
  }

  /**
   * The discounted occupancy of a behaviour policy from the model's initial distribution.
   *
   * @param behaviour the behaviour policy b
   * @param <S> state type
   * @param <A> action type
   */
  record Occupancy<S, A>(TabularPolicy<S, A> behaviour) implements DataDistribution<S, A> {
    /** Checks the component. */
    public Occupancy {
      Objects.requireNonNull(behaviour, "behaviour");
    }
  }

  /**
   * The stationary distribution of a behaviour policy's state-action chain.
   *
   * @param behaviour the behaviour policy b
   * @param <S> state type
   * @param <A> action type
   */
  record Stationary<S, A>(TabularPolicy<S, A> behaviour) implements DataDistribution<S, A> {
    /** Checks the component. */
    public Stationary {
      Objects.requireNonNull(behaviour, "behaviour");
    }
  }

  /**
   * {@return mu given as doubles (copied)}
   * @param weights one per row, summing to 1
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> DataDistribution<S, A> given(double[] weights) {
    return new Given<>(weights.clone(), null);
  }

  /**
   * {@return mu given as exact rationals (copied)}
   * @param weights one per row, summing to exactly 1
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> DataDistribution<S, A> exact(BigFraction[] weights) {
    BigFraction[] e = weights.clone();
    return new Given<>(Rationals.toDoubles(e), e);
  }

  /**
   * {@return mu parsed from numbers as text ("1/3", "0.25")}
   * @param weights one per row, summing to exactly 1
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> DataDistribution<S, A> parse(String... weights) {
    BigFraction[] e = new BigFraction[weights.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = Rationals.parse(weights[i]);
    }
    return exact(e);
  }

  /**
   * {@return the discounted occupancy d_rho^b of a behaviour policy}
   * @param behaviour b
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> DataDistribution<S, A> occupancy(TabularPolicy<S, A> behaviour) {
    return new Occupancy<>(behaviour);
  }

  /**
   * {@return the stationary state-action distribution of a behaviour policy}
   * @param behaviour b
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> DataDistribution<S, A> stationary(TabularPolicy<S, A> behaviour) {
    return new Stationary<>(behaviour);
  }
}
