package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Value iteration (Bellman 1957; Sutton &amp; Barto 2018, sec. 4.4; Puterman 1994, sec. 6.3),
 * an immutable configuration: v_0 = 0 and v_{k+1} = T v_k with (T v)(s) = max_a r(s, a) + gamma
 * sum_s' p(s' | s, a) v(s'), either synchronously ({@link #jacobi()}) or in place, state by state
 * in index order ({@link #gaussSeidel()}, Puterman 1994, sec. 6.3). The sweeps run through a
 * {@link Backend} ({@code optimalityBackup} / {@code gaussSeidelOptimality}).
 *
 * <p><b>Stopping rule (gamma &lt; 1).</b> Stop at the first sweep whose change delta =
 * ||v_{k+1} - v_k||_inf satisfies gamma/(1 - gamma) * delta &lt;= epsilon. This bounds
 * ||v_{k+1} - v*||_inf because the sweep is a gamma-contraction in the sup norm with fixed point
 * v*: for T this is Puterman 1994, Thm 6.3.1; for the Gauss-Seidel sweep G, by induction over the
 * states in sweep order, |(Gu)(s) - (Gw)(s)| &lt;= gamma max(max_{j&lt;s} |(Gu)(j) - (Gw)(j)|,
 * ||u - w||) &lt;= gamma ||u - w||, and G v* = v* because T v* = v*; then ||v_{k+1} - v*|| &lt;=
 * gamma ||v_k - v*|| &lt;= gamma (delta + ||v_{k+1} - v*||) gives the same bound with delta the
 * sweep's change.
 *
 * <p><b>Certificate.</b> {@link Certificate.SupNorm}: valueBound is the smaller of gamma/(1 -
 * gamma) * delta and rho/(1 - gamma), rho = ||T v - v|| the Bellman residual of the returned v
 * (never larger for Jacobi, often much smaller for Gauss-Seidel), plus a term for floating-point
 * rounding; policyLoss bounds the loss of the greedy policy, about 2 gamma rho / (1 - gamma)
 * (at most Puterman's 2 gamma/(1 - gamma) * delta for Jacobi). The explanation lists every number.
 * When maxIterations is reached first, converged is false and the certificate is still the bound
 * at the last iterate: the values are then not V*, and the certificate says how far they may be.
 *
 * <p><b>Gamma = 1.</b> T is not a sup-norm contraction and no such bound exists: iteration stops
 * when delta &lt;= epsilon (converged) or at maxIterations (not converged), and the certificate is
 * {@link Certificate.None}, pointing to policy iteration or exact evaluation. The greedy policy
 * may then be improper.
 *
 * <p>The returned Q is r + gamma P v of the returned v and the policy is greedy on it (first
 * maximising action), deterministic.
 */
@API(status = API.Status.STABLE)
public final class ValueIteration {
  /** The default tolerance epsilon. */
  public static final double DEFAULT_TOLERANCE = 1e-10;

  /** The default largest number of sweeps. */
  public static final int DEFAULT_MAX_ITERATIONS = 100_000;

  private final boolean gaussSeidel;
  private final double tolerance;
  private final int maxIterations;
  private final Backend backend;

  private ValueIteration(boolean gaussSeidel, double tolerance, int maxIterations,
      Backend backend) {
    this.gaussSeidel = gaussSeidel;
    this.tolerance = tolerance;
    this.maxIterations = maxIterations;
    this.backend = backend;
  }

  /** {@return synchronous (Jacobi) value iteration with the defaults} */
  public static ValueIteration jacobi() {
    return new ValueIteration(false, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS, Backends.cpu());
  }

  /** {@return in-place (Gauss-Seidel) value iteration with the defaults} */
  public static ValueIteration gaussSeidel() {
    return new ValueIteration(true, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS, Backends.cpu());
  }

  /**
   * {@return this configuration with another tolerance}
   *
   * @param epsilon the target bound on ||v - v*||_inf (gamma &lt; 1) or on the last change
   *     (gamma = 1); finite, &gt;= 0
   */
  public ValueIteration withTolerance(double epsilon) {
    PolicyEvaluation.checkTolerance(epsilon);
    return new ValueIteration(gaussSeidel, epsilon, maxIterations, backend);
  }

  /**
   * {@return this configuration with another sweep limit}
   *
   * @param n the most sweeps, &gt;= 1
   */
  public ValueIteration withMaxIterations(int n) {
    PolicyEvaluation.checkMaxIterations(n);
    return new ValueIteration(gaussSeidel, tolerance, n, backend);
  }

  /**
   * {@return this configuration running on another backend}
   *
   * @param b the backend
   */
  public ValueIteration withBackend(Backend b) {
    return new ValueIteration(gaussSeidel, tolerance, maxIterations,
        Objects.requireNonNull(b, "backend"));
  }

  /** {@return epsilon} */
  public double tolerance() {
    return tolerance;
  }

  /** {@return the most sweeps} */
  public int maxIterations() {
    return maxIterations;
  }

  /** {@return the backend} */
  public Backend backend() {
    return backend;
  }

  /** {@return whether sweeps are in place (Gauss-Seidel)} */
  public boolean isGaussSeidel() {
    return gaussSeidel;
  }

  /**
   * Runs value iteration on a model.
   *
   * @param m the model
   * @param <S> the state type
   * @param <A> the action type
   * @return the last iterate, its Q, the greedy policy, and the certificate
   * @throws ModelException when the values overflow the double range
   */
  public <S, A> Solution<S, A> solve(TabularMdp<S, A> m) {
    boolean undiscounted = Solutions.undiscounted(m);
    double gamma = m.discount();
    int n = m.numStates();
    double[] v = new double[n];
    double[] q = new double[m.numRows()];
    double delta = Double.NaN;
    int it = 0;
    boolean converged = false;
    try (Backend.LoadedModel lm = backend.load(m);
        Backend.Vectors a = lm.vectors(1, gaussSeidel ? 0 : n);
        Backend.Vectors b = lm.vectors(1, gaussSeidel ? 0 : n)) {
      // Jacobi sweeps stay resident on the backend (a GPU moves v only at the end)
      Backend.Vectors cur = a;
      Backend.Vectors nxt = b;
      while (it < maxIterations) {
        if (gaussSeidel) {
          delta = lm.gaussSeidelOptimality(v, Solutions.NO_ROWS);
        } else {
          delta = lm.optimality(cur, nxt, null)[0];
          Backend.Vectors t = cur;
          cur = nxt;
          nxt = t;
        }
        it++;
        if (!Double.isFinite(delta)) {
          throw new ModelException(m.name() + ": value iteration overflowed after " + it
              + " sweeps (the values exceed the double range)");
        }
        double stop = undiscounted ? delta : gamma / (1 - gamma) * delta;
        if (stop <= tolerance) {
          converged = true;
          break;
        }
      }
      if (!gaussSeidel) {
        cur.read(v);
      }
      lm.qValues(v, q);
    }
    int[] rows = Solutions.greedy(m, q);
    String sweep = gaussSeidel ? "Gauss-Seidel sweep" : "Jacobi backup";
    String method = "value iteration (" + (gaussSeidel ? "Gauss-Seidel" : "Jacobi") + ", "
        + backend.name() + ")";
    Certificate cert = undiscounted
        ? new Certificate.None("discount 1: value iteration has no sup-norm error bound (T is not"
            + " a sup-norm contraction), so the last change " + Solutions.fmt(delta) + " after "
            + it + " sweeps does not bound ||v - V*||, and the greedy policy may be improper. Use"
            + " PolicyIteration.solve or solveExact, or evaluate the policy with "
            + "PolicyEvaluation.direct or exact")
        : Solutions.supNorm(m, v, q, rows, delta, sweep);
    return Solutions.ofDouble(m, v, q, rows, method, it, delta, converged, cert);
  }

  @Override
  public String toString() {
    return "ValueIteration[" + (gaussSeidel ? "Gauss-Seidel" : "Jacobi") + ", tolerance "
        + tolerance + ", maxIterations " + maxIterations + ", backend " + backend.name() + "]";
  }
}
