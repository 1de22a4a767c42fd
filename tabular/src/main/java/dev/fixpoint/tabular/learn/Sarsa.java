package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.internal.Csr;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Tabular Sarsa, on-policy TD control (Rummery &amp; Niranjan 1994; Sutton &amp; Barto 2018, sec.
 * 6.4, eq. 6.7): A_t is drawn from the policy of the live Q; after each step the next action
 * A_{t+1} is drawn from the policy of the live Q in S_{t+1}, then
 *
 * <pre>Q(S_t, A_t) &lt;- Q(S_t, A_t) + alpha [R_{t+1} + gamma Q(S_{t+1}, A_{t+1}) - Q(S_t, A_t)]</pre>
 *
 * <p>with Q(terminal, .) = 0 (no next action is drawn then). The order (draw A_{t+1}, then
 * update) is the book's. At a step cap the last update still uses the drawn A_{t+1}. With an
 * epsilon-greedy policy Sarsa learns the values of that policy, and so prefers paths that are safe
 * under exploration (Example 6.6, Cliff Walking). Cost O(|A(s)|) per step.
 *
 * @param alpha the step size, in (0, 1]
 * @param policy the policy followed and evaluated, a function of the live Q
 */
@API(status = API.Status.EXPERIMENTAL)
public record Sarsa(double alpha, QPolicy policy) implements Control {

  /** Checks the parameters. */
  public Sarsa {
    Kernels.checkAlpha(alpha);
    Objects.requireNonNull(policy, "policy");
  }

  /**
   * {@return Sarsa with an epsilon-greedy policy of the live Q}
   *
   * @param alpha in (0, 1]
   * @param epsilon in [0, 1]
   */
  public static Sarsa of(double alpha, double epsilon) {
    return new Sarsa(alpha, QPolicy.epsilonGreedy(epsilon));
  }

  @Override
  public QPolicy behaviour() {
    return policy;
  }

  /**
   * One Sarsa update from S_t, A_t, R_{t+1}, S_{t+1}, A_{t+1}.
   *
   * @param mdp the model
   * @param state Q and visits before (not modified)
   * @param t the transition (S_{t+1} non-terminal)
   * @param nextRow the row of (S_{t+1}, A_{t+1})
   * @return Q and visits after
   */
  public ControlState update(TabularMdp<?, ?> mdp, ControlState state, Transition t,
      int nextRow) {
    Kernels.checkTransition(mdp, t);
    if (t.terminal()) {
      throw new IllegalArgumentException(t + " ends in a terminal state: there is no next "
          + "action; use update(mdp, state, transition)");
    }
    if (nextRow < 0 || nextRow >= mdp.numRows() || mdp.rowState(nextRow) != t.next()) {
      throw new IllegalArgumentException("row " + nextRow + " is not a row of the next state "
          + mdp.states().value(t.next()));
    }
    double[] q = ControlKernels.q(mdp, state);
    return apply(q, state.visits(), t.row(), t.reward() + mdp.discount() * q[nextRow]);
  }

  /**
   * The Sarsa update of a step into a terminal state: target R_{t+1}.
   *
   * @param mdp the model
   * @param state Q and visits before (not modified)
   * @param t the transition (S_{t+1} terminal)
   * @return Q and visits after
   */
  public ControlState update(TabularMdp<?, ?> mdp, ControlState state, Transition t) {
    Kernels.checkTransition(mdp, t);
    if (!t.terminal()) {
      throw new IllegalArgumentException(t + " does not end in a terminal state: give the next "
          + "action's row");
    }
    return apply(ControlKernels.q(mdp, state), state.visits(), t.row(), t.reward());
  }

  private ControlState apply(double[] q, long[] n, int row, double target) {
    q[row] += alpha * (target - q[row]);
    n[row]++;
    Kernels.requireFinite(q, label());
    return new ControlState(q, n);
  }

  @Override
  public ControlEpisode episode(TabularMdp<?, ?> mdp, ControlState state, RandomGenerator rng,
      int maxSteps) {
    ControlKernels.checkEpisode(mdp, maxSteps);
    double[] q = ControlKernels.q(mdp, state);
    long[] n = state.visits();
    Csr c = mdp.csr();
    boolean[] terminal = c.terminal();
    double gamma = mdp.discount();
    double[] pi = new double[q.length];
    int s = Experience.initialState(mdp, rng);
    Kernels.Builder b = new Kernels.Builder(s);
    if (!terminal[s] && maxSteps > 0) {
      policy.probabilities(mdp, q, s, pi);
      int r = Experience.row(c, pi, s, rng);
      for (int t = 0; t < maxSteps; t++) {
        int k = Experience.entry(c, r, rng);
        int next = c.next()[k];
        double reward = mdp.entryReward(k);
        b.add(r, reward, next);
        n[r]++;
        s = next;
        if (terminal[next]) {
          q[r] += alpha * (reward - q[r]);
          break;
        }
        policy.probabilities(mdp, q, next, pi);
        int r2 = Experience.row(c, pi, next, rng);
        q[r] += alpha * (reward + gamma * q[r2] - q[r]);
        r = r2;
      }
    }
    Kernels.requireFinite(q, label());
    return new ControlEpisode(new ControlState(q, n), b.build(terminal[s]));
  }

  @Override
  public String label() {
    return "Sarsa, alpha " + alpha + ", policy " + policy;
  }
}
