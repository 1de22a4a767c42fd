package dev.fixpoint.dsl.gflownet;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * A backward policy P_B(p | s) over the parents p of each non-source state s, as a value; {@link
 * TabularFlowNetwork#backward(BackwardPolicy)} tabulates and validates it. Fixing P_B fixes the
 * unique flow of a reward (Bengio et al., "GFlowNet Foundations", JMLR 2023, section 3.3; Malkin et
 * al., "Trajectory balance", NeurIPS 2022, Prop. 1).
 *
 * @param <S> the state type
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface BackwardPolicy<S> {

  /**
   * Uniform over parents, P_B(p | s) = 1/|Par(s)| (torchgfn's "uniform P_B").
   *
   * @param <S> the state type
   */
  record Uniform<S>() implements BackwardPolicy<S> {}

  /**
   * Maximum entropy over trajectories, P_B(p | s) = n(p)/n(s) with n(s) the number of paths from
   * the source to s (n(s_0) = 1, n(s) = sum over parents n(p)): every path to a state is equally
   * likely given the state (Mohammadpour, Bengio, Frejinger and Bacon, "Maximum entropy GFlowNets
   * with soft Q-learning", AISTATS 2024).
   *
   * @param <S> the state type
   */
  record MaxEntropy<S>() implements BackwardPolicy<S> {}

  /**
   * Given probabilities: for each non-source state s, a map from parents to P_B(p | s). Parents
   * left out get 0. Integers, {@code BigFraction} and decimals are read exactly and must sum to 1
   * exactly; when any value is a {@code double} the policy is inexact and each state's sum must be
   * within 1e-9 of 1.
   *
   * @param probabilities s -&gt; (parent -&gt; probability)
   * @param <S> the state type
   */
  record Given<S>(Function<? super S, ? extends Map<S, ? extends Number>> probabilities)
      implements BackwardPolicy<S> {
    /** Checks the function. */
    public Given {
      Objects.requireNonNull(probabilities, "probabilities");
    }
  }

  /**
   * {@return the uniform backward policy}
   * @param <S> the state type
   */
  static <S> BackwardPolicy<S> uniform() {
    return new Uniform<>();
  }

  /**
   * {@return the maximum-entropy (path-counting) backward policy}
   * @param <S> the state type
   */
  static <S> BackwardPolicy<S> maxEntropy() {
    return new MaxEntropy<>();
  }

  /**
   * {@return a backward policy given state by state}
   * @param probabilities s -&gt; (parent -&gt; P_B(parent | s))
   * @param <S> the state type
   */
  static <S> BackwardPolicy<S> given(
      Function<? super S, ? extends Map<S, ? extends Number>> probabilities) {
    return new Given<>(probabilities);
  }
}
