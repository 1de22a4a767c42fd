package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator.SplittableGenerator;
import org.apiguardian.api.API;

/**
 * A tabular prediction learner: estimates v_pi of a fixed policy from sampled episodes, as a fold
 * V_{k+1} = episode(V_k, trajectory_k) over trajectories (DESIGN.md, core idea 6). The discount
 * gamma is the model's. Values are over state indices; terminal states keep value 0 and are never
 * updated.
 *
 * <p>Because the policy is fixed, experience does not depend on what is learned: the k-th episode
 * of {@link #run} is the same trajectory for every prediction learner with the same seed, so two
 * learners compared on one seed see the same data (common random numbers).
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface Prediction
    permits Td0, NStepTd, TdLambda, TrueOnlineTd, LambdaReturn, MonteCarloPrediction {

  /**
   * Learns from one episode: returns the values after its updates. {@code values} is not
   * modified.
   *
   * @param mdp the model the trajectory was drawn from
   * @param values V before the episode, one finite value per state, 0 at terminal states
   * @param episode the trajectory
   * @return V after the episode (a new array)
   * @throws IllegalArgumentException when the values or the trajectory do not fit the model
   * @throws ArithmeticException when a value overflows (step size too large)
   */
  double[] episode(TabularMdp<?, ?> mdp, double[] values, Trajectory episode);

  /** {@return a short name with the parameters, for messages and plot legends} */
  String label();

  /**
   * Runs {@code episodes} episodes of {@code pi} from initial values 0 with the generator {@code
   * new SplittableRandom(seed)}; see {@link #run(TabularMdp, TabularPolicy, int,
   * SplittableGenerator, RunOptions)}.
   *
   * @param mdp the model
   * @param pi the policy evaluated
   * @param episodes the number of episodes, &gt;= 0
   * @param seed the seed
   * @param <S> state type
   * @param <A> action type
   * @return the history of the run
   */
  default <S, A> PredictionRun<S> run(TabularMdp<S, A> mdp, TabularPolicy<S, A> pi, int episodes,
      long seed) {
    return run(mdp, pi, episodes, new SplittableRandom(seed), RunOptions.defaults());
  }

  /**
   * {@return the history of a run with {@code new SplittableRandom(seed)}}
   *
   * @param mdp the model
   * @param pi the policy evaluated
   * @param episodes the number of episodes, &gt;= 0
   * @param seed the seed
   * @param options initial value, snapshots, step cap, truth
   * @param <S> state type
   * @param <A> action type
   */
  default <S, A> PredictionRun<S> run(TabularMdp<S, A> mdp, TabularPolicy<S, A> pi, int episodes,
      long seed, RunOptions options) {
    return run(mdp, pi, episodes, new SplittableRandom(seed), options);
  }

  /**
   * Runs {@code episodes} episodes of {@code pi}: episode k (k = 0, 1, ...) is drawn with the k-th
   * {@code split()} of {@code rng} (so it does not depend on how many numbers earlier episodes
   * used), then folded into V with {@link #episode}. Records each episode's return G_0 and length,
   * the RMS error over non-terminal states after each episode when a truth is given (entry 0 is
   * the initial error), and snapshots of V every {@code options.snapshotEvery()} episodes.
   *
   * @param mdp the model
   * @param pi the policy evaluated
   * @param episodes the number of episodes, &gt;= 0
   * @param rng the run's generator (split once per episode)
   * @param options initial value, snapshots, step cap, truth
   * @param <S> state type
   * @param <A> action type
   * @return the history of the run
   * @throws dev.fixpoint.dsl.ModelException when there is no step cap and the model has no
   *     terminal state
   */
  default <S, A> PredictionRun<S> run(TabularMdp<S, A> mdp, TabularPolicy<S, A> pi, int episodes,
      SplittableGenerator rng, RunOptions options) {
    return Runs.predict(this, mdp, pi, episodes, rng, options);
  }
}
