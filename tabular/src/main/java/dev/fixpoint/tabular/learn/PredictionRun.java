package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.ValueFunction;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The history of a prediction run, for plots and tests.
 *
 * @param label the learner's label
 * @param values V after the last episode
 * @param returns G_0 of each episode (discounted with the model's gamma; a cut episode's return
 *     stops at the cap)
 * @param lengths the number of steps of each episode
 * @param rmsError when a truth was given: entry 0 the RMS error of the initial values, entry k the
 *     error after episode k (over non-terminal states); otherwise empty
 * @param snapshotEvery the snapshot interval k (0: none)
 * @param snapshots V after episodes 0, k, 2k, ... (episode 0: the initial values)
 * @param <S> the state type
 */
@API(status = API.Status.EXPERIMENTAL)
public record PredictionRun<S>(String label, ValueFunction<S> values, double[] returns,
    int[] lengths, double[] rmsError, int snapshotEvery, List<ValueFunction<S>> snapshots) {

  /** Checks and copies the components. */
  public PredictionRun {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(values, "values");
    returns = returns.clone();
    lengths = lengths.clone();
    rmsError = rmsError.clone();
    snapshots = List.copyOf(snapshots);
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
}
