package dev.fixpoint.dsl.gflownet;

import java.util.Optional;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A tabulated, validated backward policy: P_B(parent | child) for every edge of a {@link
 * TabularFlowNetwork}, indexed like its edges. For each non-source state the entries of its
 * in-edges sum to 1 (exactly in the exact tier). The exit action has no backward probability (it
 * contributes the factor 1 to every backward product, the torchgfn convention).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class BackwardTable {
  private final double[] logProbability;
  private final @Nullable BigFraction @Nullable [] probability;

  BackwardTable(double[] logProbability, @Nullable BigFraction @Nullable [] probability) {
    this.logProbability = logProbability;
    this.probability = probability;
  }

  /** {@return the number of edges} */
  public int edges() {
    return logProbability.length;
  }

  /** {@return whether exact probabilities are known} */
  public boolean isExact() {
    return probability != null;
  }

  /**
   * {@return log P_B(parent | child) of edge e (-infinity when the probability is 0)}
   * @param e an edge index
   */
  public double logProbability(int e) {
    return logProbability[e];
  }

  /** {@return a copy of log P_B per edge} */
  public double[] logProbabilities() {
    return logProbability.clone();
  }

  /** {@return a copy of the exact P_B per edge, when exact} */
  public Optional<BigFraction[]> probabilities() {
    return probability == null ? Optional.empty() : Optional.of(probability.clone());
  }

  /**
   * {@return P_B of edge e exactly}
   * @param e an edge
   * @throws IllegalStateException when the table is inexact
   */
  public BigFraction probability(int e) {
    if (probability == null) {
      throw new IllegalStateException("backward policy is inexact");
    }
    return probability[e];
  }
}
