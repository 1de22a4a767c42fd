package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import org.apiguardian.api.API;

/**
 * A policy as a function of the live action values: given Q over the rows of a model and a
 * non-terminal state s, the probabilities pi(a | s) over the rows of s. Control learners call it at
 * every step with the Q they are learning (DESIGN.md, pinned decision "Policies"), so an
 * epsilon-greedy behaviour follows Q as it changes.
 *
 * <p>The factories are the row-indexed, double counterparts of {@link
 * dev.fixpoint.dsl.Policy#greedy}, {@link dev.fixpoint.dsl.Policy#epsilonGreedy} and {@link
 * dev.fixpoint.dsl.Policy#softmax}, with the same tie rule: the greedy action is the first row of s
 * with the largest Q. Implementations must be pure (no state between calls) and write only the
 * rows of s.
 */
@API(status = API.Status.EXPERIMENTAL)
@FunctionalInterface
public interface QPolicy {

  /**
   * Writes pi(a | s) for the rows r = (s, a) of state s into {@code out[r]}, for r from {@code
   * mdp.rowStart(s)} to {@code mdp.rowEnd(s) - 1}; they must be in [0, 1] and sum to 1.
   *
   * @param mdp the model
   * @param q the live action values, one per row (read only)
   * @param state a non-terminal state
   * @param out one slot per row; only the rows of {@code state} are written
   */
  void probabilities(TabularMdp<?, ?> mdp, double[] q, int state, double[] out);

  /**
   * {@return this policy evaluated on a fixed Q, as a tabular policy}
   *
   * @param mdp the model
   * @param q action values, one per row
   * @param <S> state type
   * @param <A> action type
   */
  default <S, A> TabularPolicy<S, A> tabulate(TabularMdp<S, A> mdp, double[] q) {
    Kernels.checkRowValues(mdp, q);
    double[] p = new double[mdp.numRows()];
    for (int s = 0; s < mdp.numStates(); s++) {
      if (!mdp.isTerminal(s)) {
        probabilities(mdp, q, s, p);
      }
    }
    return TabularPolicy.of(mdp, p);
  }

  /** {@return the greedy policy: probability 1 on the first row of s with the largest Q} */
  static QPolicy greedy() {
    return new Greedy();
  }

  /**
   * {@return epsilon-greedy: epsilon/|A(s)| on every row of s, plus 1 - epsilon on the first row
   * with the largest Q (Sutton &amp; Barto 2018, sec. 5.4)}
   *
   * @param epsilon in [0, 1]
   */
  static QPolicy epsilonGreedy(double epsilon) {
    return new EpsilonGreedy(epsilon);
  }

  /**
   * {@return the Boltzmann policy pi(a | s) = exp(Q(s, a)/tau) / sum_b exp(Q(s, b)/tau), computed
   * after subtracting the largest Q/tau so that it cannot overflow}
   *
   * @param temperature tau &gt; 0, finite
   */
  static QPolicy softmax(double temperature) {
    return new Softmax(temperature);
  }

  /** {@return the first row of s with the largest Q} */
  private static int argmax(TabularMdp<?, ?> mdp, double[] q, int s) {
    int best = mdp.rowStart(s);
    for (int r = best + 1; r < mdp.rowEnd(s); r++) {
      if (q[r] > q[best]) {
        best = r;
      }
    }
    return best;
  }

  /** The greedy policy (ties to the first row). */
  record Greedy() implements QPolicy {
    @Override
    public void probabilities(TabularMdp<?, ?> mdp, double[] q, int state, double[] out) {
      int best = argmax(mdp, q, state);
      for (int r = mdp.rowStart(state); r < mdp.rowEnd(state); r++) {
        out[r] = r == best ? 1 : 0;
      }
    }
  }

  /**
   * Epsilon-greedy (ties to the first row).
   *
   * @param epsilon the exploration probability, in [0, 1]
   */
  record EpsilonGreedy(double epsilon) implements QPolicy {
    /** Checks epsilon. */
    public EpsilonGreedy {
      if (!(epsilon >= 0 && epsilon <= 1)) {
        throw new ModelException("epsilon " + epsilon + " is outside [0, 1]");
      }
    }

    @Override
    public void probabilities(TabularMdp<?, ?> mdp, double[] q, int state, double[] out) {
      int best = argmax(mdp, q, state);
      int start = mdp.rowStart(state);
      int end = mdp.rowEnd(state);
      double each = epsilon / (end - start);
      for (int r = start; r < end; r++) {
        out[r] = each;
      }
      out[best] += 1 - epsilon;
    }
  }

  /**
   * The Boltzmann (softmax) policy.
   *
   * @param temperature tau &gt; 0
   */
  record Softmax(double temperature) implements QPolicy {
    /** Checks the temperature. */
    public Softmax {
      if (!(temperature > 0) || Double.isInfinite(temperature)) {
        throw new ModelException("softmax temperature " + temperature
            + " must be positive and finite");
      }
    }

    @Override
    public void probabilities(TabularMdp<?, ?> mdp, double[] q, int state, double[] out) {
      int start = mdp.rowStart(state);
      int end = mdp.rowEnd(state);
      double m = Double.NEGATIVE_INFINITY;
      for (int r = start; r < end; r++) {
        m = Math.max(m, q[r] / temperature);
      }
      double sum = 0;
      for (int r = start; r < end; r++) {
        out[r] = Math.exp(q[r] / temperature - m);
        sum += out[r];
      }
      for (int r = start; r < end; r++) {
        out[r] /= sum;
      }
    }
  }
}
