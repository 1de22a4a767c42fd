package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * What a control learner carries from step to step: the action values Q over the rows of a model
 * and the number of times each row's action was taken (for Monte Carlo control these are the
 * counts N(s, a) of its sample averages; for the others, statistics). Arrays are copied in and
 * out.
 *
 * @param q Q(s, a) per row, finite
 * @param visits N(s, a) per row, &gt;= 0
 */
@API(status = API.Status.EXPERIMENTAL)
public record ControlState(double[] q, long[] visits) {

  /** Checks the lengths, finiteness and signs; copies. */
  public ControlState {
    if (q.length != visits.length) {
      throw new IllegalArgumentException(q.length + " action values but " + visits.length
          + " visit counts");
    }
    q = q.clone();
    visits = visits.clone();
    for (int r = 0; r < q.length; r++) {
      if (!Double.isFinite(q[r])) {
        throw new IllegalArgumentException("action value " + q[r] + " of row " + r
            + " is not finite");
      }
      if (visits[r] < 0) {
        throw new IllegalArgumentException("visit count " + visits[r] + " of row " + r
            + " is negative");
      }
    }
  }

  /**
   * {@return Q = value on every row, no visits}
   *
   * @param mdp the model
   * @param value the initial action value (finite)
   */
  public static ControlState initial(TabularMdp<?, ?> mdp, double value) {
    double[] q = new double[mdp.numRows()];
    Arrays.fill(q, value);
    return new ControlState(q, new long[mdp.numRows()]);
  }

  /**
   * {@return the state with these action values and no visits}
   *
   * @param q Q per row (copied)
   */
  public static ControlState of(double[] q) {
    return new ControlState(q, new long[q.length]);
  }

  /** {@return Q per row (a copy)} */
  @Override
  public double[] q() {
    return q.clone();
  }

  /** {@return N per row (a copy)} */
  @Override
  public long[] visits() {
    return visits.clone();
  }

  /**
   * {@return Q at row r}
   *
   * @param r a row
   */
  public double valueAt(int r) {
    return q[r];
  }

  /**
   * {@return N at row r}
   *
   * @param r a row
   */
  public long visitsAt(int r) {
    return visits[r];
  }

  /**
   * {@return Q as a typed Q-function of the model}
   *
   * @param mdp the model whose rows index Q
   * @param <S> state type
   * @param <A> action type
   */
  public <S, A> QFunction<S, A> toQFunction(TabularMdp<S, A> mdp) {
    return QFunction.of(mdp, q);
  }

  /**
   * {@return the greedy policy of Q (first row with the largest value in each state)}
   *
   * @param mdp the model whose rows index Q
   * @param <S> state type
   * @param <A> action type
   */
  public <S, A> TabularPolicy<S, A> greedyPolicy(TabularMdp<S, A> mdp) {
    return QPolicy.greedy().tabulate(mdp, q);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlState c && Arrays.equals(q, c.q)
        && Arrays.equals(visits, c.visits);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(q) + Arrays.hashCode(visits);
  }

  @Override
  public String toString() {
    return "ControlState[q=" + Arrays.toString(q) + ", visits=" + Arrays.toString(visits) + "]";
  }
}
