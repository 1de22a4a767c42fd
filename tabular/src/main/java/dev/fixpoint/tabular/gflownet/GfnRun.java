package dev.fixpoint.tabular.gflownet;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The result of {@link GfnTrainer#run}: the evaluations in order (the first at step 0, the last
 * after the final step), the final parameters and the final exact terminal distribution.
 *
 * @param evaluations the evaluations
 * @param parameters the learned parameters
 * @param terminal P_T of the learned policy over states (0 on non-terminating states)
 */
@API(status = API.Status.EXPERIMENTAL)
public record GfnRun(List<GfnEvaluation> evaluations, GfnParameters parameters,
    double[] terminal) {

  /** Copies the list. */
  public GfnRun {
    evaluations = List.copyOf(evaluations);
  }

  /** {@return the last evaluation} */
  public GfnEvaluation last() {
    return evaluations.get(evaluations.size() - 1);
  }
}
