package dev.fixpoint.dsl;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A state-value function V over the states of a tabular model, in double and, when computed
 * exactly, as rationals. Terminal states have value 0.
 *
 * @param <S> the state type
 */
@API(status = API.Status.STABLE)
public final class ValueFunction<S> {
  private final Indexer<S> states;
  private final double[] values;
  private final BigFraction @Nullable [] exact;

  private ValueFunction(Indexer<S> states, double[] values, BigFraction @Nullable [] exact) {
    if (values.length != states.size()) {
      throw new IllegalArgumentException(values.length + " values for " + states.size()
          + " states");
    }
    this.states = states;
    this.values = values;
    this.exact = exact;
  }

  /**
   * {@return a double value function (array copied)}
   * @param states the states
   * @param values one per state
   * @param <S> state type
   */
  public static <S> ValueFunction<S> of(Indexer<S> states, double[] values) {
    return new ValueFunction<>(states, values.clone(), null);
  }

  /**
   * {@return an exact value function (array copied)}
   * @param states the states
   * @param values one per state
   * @param <S> state type
   */
  public static <S> ValueFunction<S> ofExact(Indexer<S> states, BigFraction[] values) {
    BigFraction[] e = values.clone();
    return new ValueFunction<>(states, Rationals.toDoubles(e), e);
  }

  /** {@return the states} */
  public Indexer<S> states() {
    return states;
  }

  /**
   * {@return V(s) as a double}
   * @param s a state
   */
  public double value(S s) {
    return values[states.indexOf(s)];
  }

  /**
   * {@return V at state index i}
   * @param i a state index
   */
  public double valueAt(int i) {
    return values[i];
  }

  /**
   * {@return V(s) exactly}
   * @param s a state
   *
   * @throws InexactModelException when this value function was computed in double
   */
  public BigFraction exactValue(S s) {
    return requireExact()[states.indexOf(s)];
  }

  /** {@return whether exact values are held} */
  public boolean isExact() {
    return exact != null;
  }

  /** {@return a copy of the values in state-index order} */
  public double[] toArray() {
    return values.clone();
  }

  /**
   * {@return a copy of the exact values}
   * @throws InexactModelException when not exact
   */
  public BigFraction[] toExactArray() {
    return requireExact().clone();
  }

  /** {@return state to value, in index order} */
  public Map<S, Double> asMap() {
    Map<S, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      m.put(states.value(i), values[i]);
    }
    return m;
  }

  /**
   * {@return the largest |V(s) - other(s)|}
   * @param other a value function over the same states
   */
  public double distance(ValueFunction<S> other) {
    if (other.values.length != values.length) {
      throw new IllegalArgumentException("value functions over different state sets");
    }
    double d = 0;
    for (int i = 0; i < values.length; i++) {
      d = Math.max(d, Math.abs(values[i] - other.values[i]));
    }
    return d;
  }

  private BigFraction[] requireExact() {
    if (exact == null) {
      throw new InexactModelException("this value function was computed in double arithmetic");
    }
    return exact;
  }

  /** {@return {state: value, ...}, exact values as p/q} */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < values.length; i++) {
      b.append(i == 0 ? "" : ", ").append(states.value(i)).append(": ")
          .append(exact != null ? Rationals.format(exact[i]) : Double.toString(values[i]));
    }
    return b.append('}').toString();
  }
}
