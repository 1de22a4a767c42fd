package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The history of a control run, for plots and tests.
 *
 * @param label the learner's label
 * @param q Q after the last episode
 * @param visits how often each row's action was taken over the run
 * @param returns the return G_0 of each episode as lived (the online performance of Sutton &amp;
 *     Barto 2018, Fig. 6.4; discounted with the model's gamma, cut at the step cap)
 * @param lengths the number of steps of each episode
 * @param rmsError when a truth was given: entry 0 the RMS error over rows of the initial Q, entry k
 *     the error after episode k; otherwise empty
 * @param snapshotEvery the snapshot interval k (0: none)
 * @param snapshots Q after episodes 0, k, 2k, ...
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.EXPERIMENTAL)
public record ControlRun<S, A>(String label, QFunction<S, A> q, long[] visits, double[] returns,
    int[] lengths, double[] rmsError, int snapshotEvery, List<QFunction<S, A>> snapshots) {

  /** Checks and copies the components. */
  public ControlRun {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(q, "q");
    visits = visits.clone();
    returns = returns.clone();
    lengths = lengths.clone();
    rmsError = rmsError.clone();
    snapshots = List.copyOf(snapshots);
  }

  /** {@return the visit counts (a copy)} */
  @Override
  public long[] visits() {
    return visits.clone();
  }

  /** {@return the returns (a copy)} */
  @Override
  public double[] returns() {
    return returns.clone();
  }

  /** {@return the lengths (a copy)} */
  @Override
  public int[] lengths() {
    return lengths.clone();
  }

  /** {@return the RMS errors (a copy)} */
  @Override
  public double[] rmsError() {
    return rmsError.clone();
  }

  /** {@return the number of episodes run} */
  public int episodes() {
    return returns.length;
  }

  /** {@return the greedy policy of the final Q (ties to the first action)} */
  public TabularPolicy<S, A> greedyPolicy() {
    return QPolicy.greedy().tabulate(q.mdp(), q.toArray());
  }
}
