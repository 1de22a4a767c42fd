package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.features.DataDistribution;
import io.vavr.control.Option;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The vector mu over a model's rows computed from a {@link DataDistribution} term: given
 * weights, the discounted occupancy d_rho^b = (1 - gamma) (I - gamma P^b)^{-T} rho_b of a
 * behaviour policy b, or the stationary distribution nu(s) b(a|s) of its chain (nu^T P_S^b =
 * nu^T). Computed exactly when the model and the policy are exact (a rational linear solve),
 * otherwise in double. Immutable; accessors return copies.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class DataWeights {
  private final double[] mu;
  private final BigFraction @Nullable [] exact;
  private final String description;

  private DataWeights(double[] mu, BigFraction @Nullable [] exact, String description) {
    this.mu = mu;
    this.exact = exact;
    this.description = description;
  }

  /**
   * Computes mu.
   *
   * @param m the model
   * @param dist the description
   * @param <S> state type
   * @param <A> action type
   * @return the weights
   * @throws ModelException when the length is wrong, when gamma = 1 makes the occupancy
   *     undefined, or when a stationary distribution does not exist or is not unique
   */
  public static <S, A> DataWeights of(TabularMdp<S, A> m, DataDistribution<S, A> dist) {
    return switch (dist) {
      case DataDistribution.Given<S, A>(double[] w, BigFraction[] e) -> {
        if (w.length != m.numRows()) {
          throw new ModelException("data distribution has " + w.length + " weights, the model "
              + m.name() + " has " + m.numRows() + " rows");
        }
        yield new DataWeights(w.clone(), e == null ? null : e.clone(), "given");
      }
      case DataDistribution.Occupancy<S, A>(TabularPolicy<S, A> b) ->
          computed(m, b, true, "discounted occupancy of the behaviour policy");
      case DataDistribution.Stationary<S, A>(TabularPolicy<S, A> b) ->
          computed(m, b, false, "stationary distribution of the behaviour policy");
    };
  }

  /**
   * {@return the discounted occupancy d_rho^pi of a policy (exact when possible)}
   * @param m the model
   * @param pi the policy
   */
  public static DataWeights occupancy(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi) {
    return computed(m, pi, true, "discounted occupancy");
  }

  private static DataWeights computed(TabularMdp<?, ?> m, TabularPolicy<?, ?> b,
      boolean occupancy, String what) {
    if (m.isExact() && b.isExact()) {
      RowModel<BigFraction> rm = new RowModel<>(Field.EXACT, m);
      BigFraction[] pi = rm.policy(b);
      BigFraction[] e = occupancy ? rm.occupancy(pi) : rm.stationary(pi);
      return new DataWeights(Rationals.toDoubles(e), e, what + " (exact)");
    }
    RowModel<Double> rm = new RowModel<>(Field.DOUBLE, m);
    Double[] pi = rm.policy(b);
    Double[] d = occupancy ? rm.occupancy(pi) : rm.stationary(pi);
    return new DataWeights(Dense.toDoubles(Field.DOUBLE, d), null, what);
  }

  /** {@return a copy of mu} */
  public double[] toArray() {
    return mu.clone();
  }

  /** {@return mu as rationals, when exact} */
  public Option<BigFraction[]> toExactArray() {
    return exact == null ? Option.none() : Option.some(exact.clone());
  }

  /** {@return whether mu is exact} */
  public boolean isExact() {
    return exact != null;
  }

  /** {@return whether mu(s, a) &gt; 0 for every row} */
  public boolean hasFullSupport() {
    for (double w : mu) {
      if (!(w > 0)) {
        return false;
      }
    }
    return true;
  }

  /** {@return how mu was obtained} */
  public String description() {
    return description;
  }

  <T> T[] in(Field<T> f) {
    T[] out = f.vector(mu.length);
    for (int i = 0; i < mu.length; i++) {
      out[i] = f.lift(mu[i], exact == null ? BigFraction.ZERO : exact[i]);
    }
    return out;
  }

  @Override
  public String toString() {
    return "mu (" + description + ")";
  }
}
