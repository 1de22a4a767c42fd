package dev.fixpoint.dsl;

import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * An action-value function Q over the rows (available state-action pairs) of a tabular model, in
 * double and, when computed exactly, as rationals.
 *
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.STABLE)
public final class QFunction<S, A> {
  private final TabularMdp<S, A> mdp;
  private final double[] values;
  private final BigFraction @Nullable [] exact;

  private QFunction(TabularMdp<S, A> mdp, double[] values, BigFraction @Nullable [] exact) {
    if (values.length != mdp.numRows()) {
      throw new IllegalArgumentException(values.length + " values for " + mdp.numRows()
          + " rows");
    }
    this.mdp = mdp;
    this.values = values;
    this.exact = exact;
  }

  /**
   * {@return a double Q-function (copied)}
   * @param mdp the model
   * @param values one per row
   * @param <S> state type
   * @param <A> action type
   */
  public static <S, A> QFunction<S, A> of(TabularMdp<S, A> mdp, double[] values) {
    return new QFunction<>(mdp, values.clone(), null);
  }

  /**
   * {@return an exact Q-function (copied)}
   * @param mdp the model
   * @param values one per row
   * @param <S> state type
   * @param <A> action type
   */
  public static <S, A> QFunction<S, A> ofExact(TabularMdp<S, A> mdp, BigFraction[] values) {
    BigFraction[] e = values.clone();
    return new QFunction<>(mdp, Rationals.toDoubles(e), e);
  }

  /** {@return the model whose rows index this function} */
  public TabularMdp<S, A> mdp() {
    return mdp;
  }

  /**
   * {@return Q(s, a)}
   * @param s a state
   * @param a an available action
   */
  public double value(S s, A a) {
    return values[row(s, a)];
  }

  /**
   * {@return Q at row r}
   * @param r a row
   */
  public double valueAt(int r) {
    return values[r];
  }

  /**
   * {@return Q(s, a) exactly}
   * @param s a state
   * @param a an available action
   */
  public BigFraction exactValue(S s, A a) {
    return requireExact()[row(s, a)];
  }

  /** {@return whether exact values are held} */
  public boolean isExact() {
    return exact != null;
  }

  /** {@return a copy of the values over rows} */
  public double[] toArray() {
    return values.clone();
  }

  /** {@return a copy of the exact values over rows} */
  public BigFraction[] toExactArray() {
    return requireExact().clone();
  }

  /**
   * {@return V(s) = max over available a of Q(s, a); 0 at terminal states} Exact when this is.
   */
  public ValueFunction<S> maxValues() {
    int n = mdp.numStates();
    if (exact != null) {
      BigFraction[] v = new BigFraction[n];
      for (int s = 0; s < n; s++) {
        v[s] = BigFraction.ZERO;
        for (int r = mdp.rowStart(s); r < mdp.rowEnd(s); r++) {
          v[s] = r == mdp.rowStart(s) ? exact[r] : Rationals.max(v[s], exact[r]);
        }
      }
      return ValueFunction.ofExact(mdp.states(), v);
    }
    double[] v = new double[n];
    for (int s = 0; s < n; s++) {
      double m = mdp.rowEnd(s) > mdp.rowStart(s) ? Double.NEGATIVE_INFINITY : 0.0;
      for (int r = mdp.rowStart(s); r < mdp.rowEnd(s); r++) {
        m = Math.max(m, values[r]);
      }
      v[s] = m;
    }
    return ValueFunction.of(mdp.states(), v);
  }

  private int row(S s, A a) {
    int r = mdp.row(mdp.states().indexOf(s), mdp.actions().indexOf(a));
    if (r < 0) {
      throw new ModelException("state " + s + ", action " + a + ": not available");
    }
    return r;
  }

  private BigFraction[] requireExact() {
    if (exact == null) {
      throw new InexactModelException("this Q-function was computed in double arithmetic");
    }
    return exact;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    for (int r = 0; r < values.length; r++) {
      b.append(r == 0 ? "" : ", ").append('(').append(mdp.states().value(mdp.rowState(r)))
          .append(", ").append(mdp.actions().value(mdp.rowAction(r))).append("): ")
          .append(exact != null ? Rationals.format(exact[r]) : Double.toString(values[r]));
    }
    return b.append('}').toString();
  }
}
