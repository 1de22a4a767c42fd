package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.internal.Csr;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Tabular Expected Sarsa (van Seijen, van Hasselt, Whiteson &amp; Wiering 2009; Sutton &amp; Barto
 * 2018, sec. 6.6, eq. 6.9): acting with a behaviour policy of the live Q, after each step
 *
 * <pre>Q(S_t, A_t) &lt;- Q(S_t, A_t) + alpha [R_{t+1} + gamma sum_a pi(a | S_{t+1}) Q(S_{t+1}, a) - Q(S_t, A_t)]</pre>
 *
 * <p>where pi is the target policy of the live Q (before the update) and the sum is 0 at a
 * terminal state. On-policy by default (target = behaviour, epsilon-greedy); with a greedy target
 * it is Q-learning (sec. 6.6), update for update. Cost O(|A(s')|) per step.
 *
 * @param alpha the step size, in (0, 1]
 * @param behaviour the behaviour policy, a function of the live Q
 * @param target the target policy, a function of the live Q
 */
@API(status = API.Status.EXPERIMENTAL)
public record ExpectedSarsa(double alpha, QPolicy behaviour, QPolicy target) implements Control {

  /** Checks the parameters. */
  public ExpectedSarsa {
    Kernels.checkAlpha(alpha);
    Objects.requireNonNull(behaviour, "behaviour");
    Objects.requireNonNull(target, "target");
  }

  /**
   * {@return on-policy Expected Sarsa: behaviour and target epsilon-greedy on the live Q}
   *
   * @param alpha in (0, 1]
   * @param epsilon in [0, 1]
   */
  public static ExpectedSarsa of(double alpha, double epsilon) {
    QPolicy p = QPolicy.epsilonGreedy(epsilon);
    return new ExpectedSarsa(alpha, p, p);
  }

  /**
   * {@return this learner with another target policy}
   *
   * @param policy the target policy
   */
  public ExpectedSarsa withTarget(QPolicy policy) {
    return new ExpectedSarsa(alpha, behaviour, policy);
  }

  /**
   * One Expected Sarsa update from one transition.
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
    double next = 0;
    if (!t.terminal()) {
      double[] pi = new double[q.length];
      target.probabilities(mdp, q, t.next(), pi);
      next = ControlKernels.expectation(mdp.csr(), pi, q, t.next());
    }
    q[t.row()] += alpha * (t.reward() + mdp.discount() * next - q[t.row()]);
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
    double[] pb = new double[q.length];
    double[] pt = new double[q.length];
    int s = Experience.initialState(mdp, rng);
    Kernels.Builder b = new Kernels.Builder(s);
    for (int t = 0; t < maxSteps && !terminal[s]; t++) {
      behaviour.probabilities(mdp, q, s, pb);
      int r = Experience.row(c, pb, s, rng);
      int k = Experience.entry(c, r, rng);
      int next = c.next()[k];
      double reward = mdp.entryReward(k);
      double expected = 0;
      if (!terminal[next]) {
        target.probabilities(mdp, q, next, pt);
        expected = ControlKernels.expectation(c, pt, q, next);
      }
      q[r] += alpha * (reward + gamma * expected - q[r]);
      n[r]++;
      b.add(r, reward, next);
      s = next;
    }
    Kernels.requireFinite(q, label());
    return new ControlEpisode(new ControlState(q, n), b.build(terminal[s]));
  }

  @Override
  public String label() {
    return "Expected Sarsa, alpha " + alpha + ", behaviour " + behaviour + ", target " + target;
  }
}
