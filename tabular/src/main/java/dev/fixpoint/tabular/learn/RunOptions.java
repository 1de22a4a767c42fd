package dev.fixpoint.tabular.learn;

import io.vavr.control.Option;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * How a learner's {@code run} starts and what it records.
 *
 * @param initialValue the initial value of every non-terminal state (prediction) or every row
 *     (control); terminal states stay 0. Sutton &amp; Barto's Example 6.2 starts at 0.5, the
 *     19-state walk and Cliff Walking at 0
 * @param snapshotEvery record the learned values after every this many episodes (and at episode
 *     0); 0 records none. Memory: (episodes / k + 1) copies of the table
 * @param maxSteps the step cap of each episode, or {@link Experience#NO_CAP}
 * @param truth values to measure the root-mean-square error against after every episode: v over
 *     the states for prediction (the error is over the non-terminal states), q over the rows for
 *     control
 */
@API(status = API.Status.EXPERIMENTAL)
public record RunOptions(double initialValue, int snapshotEvery, int maxSteps,
    Option<double[]> truth) {

  /** Checks the components and copies the truth. */
  public RunOptions {
    if (!Double.isFinite(initialValue)) {
      throw new IllegalArgumentException("initial value " + initialValue + " is not finite");
    }
    if (snapshotEvery < 0) {
      throw new IllegalArgumentException("snapshotEvery must be >= 0, got " + snapshotEvery);
    }
    Kernels.checkMaxSteps(maxSteps);
    truth = truth.map(double[]::clone);
  }

  /** {@return initial values 0, no snapshots, no step cap, no truth} */
  public static RunOptions defaults() {
    return new RunOptions(0, 0, Experience.NO_CAP, Option.none());
  }

  /**
   * {@return these options with another initial value}
   *
   * @param value the initial value of non-terminal states or rows
   */
  public RunOptions withInitialValue(double value) {
    return new RunOptions(value, snapshotEvery, maxSteps, truth);
  }

  /**
   * {@return these options recording the values every k episodes}
   *
   * @param k &gt;= 1, or 0 for none
   */
  public RunOptions withSnapshotEvery(int k) {
    return new RunOptions(initialValue, k, maxSteps, truth);
  }

  /**
   * {@return these options with a step cap per episode}
   *
   * @param cap &gt;= 0, or {@link Experience#NO_CAP}
   */
  public RunOptions withMaxSteps(int cap) {
    return new RunOptions(initialValue, snapshotEvery, cap, truth);
  }

  /**
   * {@return these options measuring the RMS error against the given values (copied)}
   *
   * @param values v over states (prediction) or q over rows (control)
   */
  public RunOptions withTruth(double[] values) {
    return new RunOptions(initialValue, snapshotEvery, maxSteps, Option.some(values));
  }

  /** {@return the truth, copied} */
  @Override
  public Option<double[]> truth() {
    return truth.map(double[]::clone);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunOptions r && Double.compare(initialValue, r.initialValue) == 0
        && snapshotEvery == r.snapshotEvery && maxSteps == r.maxSteps
        && truth.isDefined() == r.truth.isDefined()
        && (truth.isEmpty() || Arrays.equals(truth.get(), r.truth.get()));
  }

  @Override
  public int hashCode() {
    return Double.hashCode(initialValue) * 31 * 31 + snapshotEvery * 31 + maxSteps
        + truth.map(Arrays::hashCode).getOrElse(0);
  }

  @Override
  public String toString() {
    return "RunOptions[initialValue=" + initialValue + ", snapshotEvery=" + snapshotEvery
        + ", maxSteps=" + (maxSteps == Experience.NO_CAP ? "none" : maxSteps) + ", truth="
        + truth.map(Arrays::toString).getOrElse("none") + "]";
  }
}
