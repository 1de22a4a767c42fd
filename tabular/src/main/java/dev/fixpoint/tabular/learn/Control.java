package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGenerator.SplittableGenerator;
import org.apiguardian.api.API;

/**
 * A tabular control learner: learns action values Q over the rows of a model while acting with a
 * {@link QPolicy} of the live Q, as a fold over episodes (DESIGN.md, core idea 6). The discount
 * gamma is the model's; Q at a terminal state is 0 by definition (terminal states have no rows).
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface Control permits Sarsa, ExpectedSarsa, QLearning, MonteCarloControl {

  /**
   * Lives and learns one episode: a start state from the initial distribution, then actions from
   * {@link #behaviour()} on the live Q, until a terminal state or {@code maxSteps} steps. {@code
   * state} is not modified.
   *
   * @param mdp the model
   * @param state Q and visit counts before the episode
   * @param rng the episode's generator
   * @param maxSteps the step cap, or {@link Experience#NO_CAP}
   * @return the state after the episode and the trajectory
   * @throws dev.fixpoint.dsl.ModelException when there is no cap and the model has no terminal
   *     state
   * @throws ArithmeticException when a value overflows
   */
  ControlEpisode episode(TabularMdp<?, ?> mdp, ControlState state, RandomGenerator rng,
      int maxSteps);

  /** {@return the behaviour policy, a function of the live Q} */
  QPolicy behaviour();

  /** {@return a short name with the parameters, for messages and plot legends} */
  String label();

  /**
   * {@return the history of {@code episodes} episodes from Q = 0, with {@code new
   * SplittableRandom(seed)}} See {@link #run(TabularMdp, int, SplittableGenerator, RunOptions)}.
   *
   * @param mdp the model
   * @param episodes the number of episodes, &gt;= 0
   * @param seed the seed
   * @param <S> state type
   * @param <A> action type
   */
  default <S, A> ControlRun<S, A> run(TabularMdp<S, A> mdp, int episodes, long seed) {
    return run(mdp, episodes, new SplittableRandom(seed), RunOptions.defaults());
  }

  /**
   * {@return the history of a run with {@code new SplittableRandom(seed)}}
   *
   * @param mdp the model
   * @param episodes the number of episodes, &gt;= 0
   * @param seed the seed
   * @param options initial value, snapshots, step cap, truth (q over rows)
   * @param <S> state type
   * @param <A> action type
   */
  default <S, A> ControlRun<S, A> run(TabularMdp<S, A> mdp, int episodes, long seed,
      RunOptions options) {
    return run(mdp, episodes, new SplittableRandom(seed), options);
  }

  /**
   * Runs {@code episodes} episodes from Q = {@code options.initialValue()}: episode k draws from
   * the k-th {@code split()} of {@code rng}. Records each episode's return and length, the RMS
   * error of Q over rows after each episode when a truth is given, and snapshots of Q.
   *
   * @param mdp the model
   * @param episodes the number of episodes, &gt;= 0
   * @param rng the run's generator (split once per episode)
   * @param options initial value, snapshots, step cap, truth (q over rows)
   * @param <S> state type
   * @param <A> action type
   * @return the history
   */
  default <S, A> ControlRun<S, A> run(TabularMdp<S, A> mdp, int episodes,
      SplittableGenerator rng, RunOptions options) {
    return Runs.control(this, mdp, episodes, rng, options);
  }
}
