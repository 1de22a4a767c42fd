package dev.fixpoint.examples.plot;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The history of a value-iteration run, sweep by sweep.
 *
 * @param label a legend entry, e.g. "value iteration (Jacobi)"
 * @param discount gamma of the model
 * @param residuals entry k - 1 is the sup-norm change ||v_k - v_{k-1}||_inf of sweep k, from v_0
 *     = 0 (copied)
 * @param values v after the last sweep (copied)
 * @param converged whether the last residual is at most the tolerance
 */
@API(status = API.Status.EXPERIMENTAL)
public record ConvergenceTrace(String label, double discount, double[] residuals, double[] values,
    boolean converged) {

  /** Checks and copies the components. */
  public ConvergenceTrace {
    Objects.requireNonNull(label, "label");
    residuals = residuals.clone();
    values = values.clone();
  }

  /** {@return the residuals (a copy)} */
  @Override
  public double[] residuals() {
    return residuals.clone();
  }

  /** {@return the final values (a copy)} */
  @Override
  public double[] values() {
    return values.clone();
  }

  /** {@return the number of sweeps run} */
  public int sweeps() {
    return residuals.length;
  }
}
