package dev.fixpoint.examples.plot;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Value iteration that records its residual at every sweep, for convergence curves. ({@code
 * tabular.solve.ValueIteration} returns only the final residual.) Sweeps run through the CPU
 * {@link Backend}: Jacobi sweeps by {@link Backend.LoadedModel#optimalityBackup}, Gauss-Seidel
 * sweeps by {@link Backend.LoadedModel#gaussSeidelOptimality}.
 *
 * <p>From v_0 = 0, sweep k computes v_k = T* v_{k-1} (Jacobi) and records r_k = ||v_k -
 * v_{k-1}||_inf. For gamma &lt; 1, T* is a gamma-contraction in the sup norm (Bellman 1957;
 * Puterman 1994, Thm 6.2.3), so Jacobi residuals satisfy r_{k+1} &lt;= gamma r_k and fall at least
 * geometrically; Gauss-Seidel sweeps are no slower in that bound (Puterman 1994, sec. 6.3.3).
 * The run stops after the first sweep with r_k &lt;= tolerance, or after maxSweeps.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Convergence {
  private Convergence() {}

  /**
   * {@return the residuals of Jacobi value iteration}
   *
   * @param m the model
   * @param tolerance stop when a sweep changes no value by more than this, &gt;= 0
   * @param maxSweeps the most sweeps, &gt;= 1
   */
  public static ConvergenceTrace jacobi(TabularMdp<?, ?> m, double tolerance, int maxSweeps) {
    return run(m, tolerance, maxSweeps, false);
  }

  /**
   * {@return the residuals of Gauss-Seidel value iteration (in-place sweeps in state order)}
   *
   * @param m the model
   * @param tolerance stop when a sweep changes no value by more than this, &gt;= 0
   * @param maxSweeps the most sweeps, &gt;= 1
   */
  public static ConvergenceTrace gaussSeidel(TabularMdp<?, ?> m, double tolerance,
      int maxSweeps) {
    return run(m, tolerance, maxSweeps, true);
  }

  private static ConvergenceTrace run(TabularMdp<?, ?> m, double tolerance, int maxSweeps,
      boolean gaussSeidel) {
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
    }
    if (maxSweeps < 1) {
      throw new IllegalArgumentException("maxSweeps must be >= 1, got " + maxSweeps);
    }
    double[] residuals = new double[Math.min(maxSweeps, 1024)];
    double[] v = new double[m.numStates()];
    double[] w = new double[m.numStates()];
    int[] noGreedy = new int[0];
    int k = 0;
    boolean converged = false;
    try (Backend.LoadedModel lm = Backends.cpu().load(m)) {
      while (k < maxSweeps) {
        double r;
        if (gaussSeidel) {
          r = lm.gaussSeidelOptimality(v, noGreedy);
        } else {
          r = lm.optimalityBackup(v, w, noGreedy);
          double[] t = v;
          v = w;
          w = t;
        }
        if (k == residuals.length) {
          residuals = Arrays.copyOf(residuals, Math.min(maxSweeps, 2 * residuals.length));
        }
        residuals[k++] = r;
        if (!Double.isFinite(r)) {
          throw new ArithmeticException("value iteration on " + m.name() + " diverged at sweep "
              + k + " (residual " + r + ")");
        }
        if (r <= tolerance) {
          converged = true;
          break;
        }
      }
    }
    String label = "value iteration (" + (gaussSeidel ? "Gauss-Seidel" : "Jacobi") + ")";
    return new ConvergenceTrace(label, m.discount(), Arrays.copyOf(residuals, k), v, converged);
  }
}
