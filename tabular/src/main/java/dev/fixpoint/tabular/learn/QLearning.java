package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.internal.Csr;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Tabular Q-learning (Watkins 1989; Watkins &amp; Dayan 1992; Sutton &amp; Barto 2018, sec. 6.5,
 * eq. 6.8): acting with a behaviour policy of the live Q (epsilon-greedy by default), after each
 * step
 *
 * <pre>Q(S_t, A_t) &lt;- Q(S_t, A_t) + alpha [R_{t+1} + gamma max_a Q(S_{t+1}, a) - Q(S_t, A_t)]</pre>
 *
 * <p>with max_a Q(terminal, a) = 0. Off-policy: the target is greedy whatever the behaviour. With
 * every pair visited infinitely often and Robbins-Monro step sizes, Q converges to q* with
 * probability 1 (Watkins &amp; Dayan 1992). Cost O(|A(s')|) per step.
 *
 * @param alpha the step size, in (0, 1]
 * @param behaviour the behaviour policy, a function of the live Q
 */
@API(status = API.Status.EXPERIMENTAL)
public record QLearning(double alpha, QPolicy behaviour) implements Control {

  /** Checks the parameters. */
  public QLearning {
    Kernels.checkAlpha(alpha);
    Objects.requireNonNull(behaviour, "behaviour");
  }

  /**
   * {@return Q-learning behaving epsilon-greedily on the live Q}
   *
   * @param alpha in (0, 1]
   * @param epsilon in [0, 1]
   */
  public static QLearning of(double alpha, double epsilon) {
    return new QLearning(alpha, QPolicy.epsilonGreedy(epsilon));
  }

  /**
   * One Q-learning update from one transition (the action was chosen by whatever policy).
   *
   * @param mdp the model
   * @param state Q and visits before (not modified)
   * @param t the transition
   * @return Q and visits after
   */
  public ControlState update(TabularMdp<?, ?> mdp, ControlState state, Transition t) {
    Kernels.checkTransition(mdp, t);
    double[] q = ControlKernels.q(mdp, state);
    long[] n = state.visits();
    double target = t.reward()
        + (t.terminal() ? 0 : mdp.discount() * ControlKernels.max(mdp.csr(), q, t.next()));
    q[t.row()] += alpha * (target - q[t.row()]);
    n[t.row()]++;
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
    for (int t = 0; t < maxSteps && !terminal[s]; t++) {
      behaviour.probabilities(mdp, q, s, pi);
      int r = Experience.row(c, pi, s, rng);
      int k = Experience.entry(c, r, rng);
      int next = c.next()[k];
      double reward = mdp.entryReward(k);
      double target = reward + (terminal[next] ? 0 : gamma * ControlKernels.max(c, q, next));
      q[r] += alpha * (target - q[r]);
      n[r]++;
      b.add(r, reward, next);
      s = next;
    }
    Kernels.requireFinite(q, label());
    return new ControlEpisode(new ControlState(q, n), b.build(terminal[s]));
  }

  @Override
  public String label() {
    return "Q-learning, alpha " + alpha + ", behaviour " + behaviour;
  }
}
