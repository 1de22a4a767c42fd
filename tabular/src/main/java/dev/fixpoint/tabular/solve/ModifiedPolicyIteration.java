package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Modified policy iteration of order m (Puterman &amp; Shin 1978; Puterman 1994, sec. 6.5), an
 * immutable configuration. Each iteration improves and then partially evaluates:
 *
 * <pre>
 *   u = T v_k,  d_{k+1} greedy with respect to v_k   (so u = T_{d_{k+1}} v_k)
 *   v_{k+1} = (T_{d_{k+1}})^m u                      (m further sweeps of the policy backup)
 * </pre>
 *
 * m = 0 is value iteration; m to infinity approaches policy iteration. The sweeps run through a
 * {@link Backend}.
 *
 * <p><b>Start.</b> For gamma &lt; 1, v_0 = min(0, min_r r)/(1 - gamma) at non-terminal states and
 * 0 at terminal ones, so that T v_0 &gt;= v_0; from such a start the iterates increase
 * monotonically to v* (Puterman 1994, sec. 6.5). For gamma = 1, v_0 = 0.
 *
 * <p><b>Stopping rule (gamma &lt; 1).</b> Every iteration computes rho_k = ||T v_k - v_k||_inf
 * anyway. Stop as soon as gamma/(1 - gamma) * rho_k &lt;= epsilon and return u = T v_k. This is
 * valid for the same reason as in value iteration: u is the image of v_k under the
 * gamma-contraction T, so ||u - v*|| &lt;= gamma ||v_k - v*|| &lt;= gamma (rho_k + ||u - v*||),
 * i.e. ||u - v*|| &lt;= gamma/(1 - gamma) * rho_k; it is the quantity of Puterman's MPI stopping
 * test ||T v - v|| &lt; epsilon (1 - gamma)/(2 gamma), which makes the greedy policy
 * epsilon-optimal. The certificate is the {@link Certificate.SupNorm} of {@link ValueIteration}
 * (smaller of that bound and the residual bound of the returned values, plus rounding). When
 * maxIterations is reached first, converged is false and the certificate is the residual bound of
 * the last iterate.
 *
 * <p><b>Gamma = 1.</b> Stop when rho_k &lt;= epsilon; {@link Certificate.None}, as for value
 * iteration.
 */
@API(status = API.Status.STABLE)
public final class ModifiedPolicyIteration {
  private final int sweeps;
  private final double tolerance;
  private final int maxIterations;
  private final Backend backend;

  private ModifiedPolicyIteration(int sweeps, double tolerance, int maxIterations,
      Backend backend) {
    this.sweeps = sweeps;
    this.tolerance = tolerance;
    this.maxIterations = maxIterations;
    this.backend = backend;
  }

  /**
   * {@return modified policy iteration with m partial-evaluation sweeps per improvement and the
   * defaults of {@link ValueIteration}}
   *
   * @param m the order, &gt;= 0 (0 is value iteration)
   */
  public static ModifiedPolicyIteration of(int m) {
    if (m < 0) {
      throw new IllegalArgumentException("the order m must be >= 0, got " + m);
    }
    return new ModifiedPolicyIteration(m, ValueIteration.DEFAULT_TOLERANCE,
        ValueIteration.DEFAULT_MAX_ITERATIONS, Backends.cpu());
  }

  /**
   * {@return this configuration with another tolerance}
   *
   * @param epsilon finite, &gt;= 0
   */
  public ModifiedPolicyIteration withTolerance(double epsilon) {
    PolicyEvaluation.checkTolerance(epsilon);
    return new ModifiedPolicyIteration(sweeps, epsilon, maxIterations, backend);
  }

  /**
   * {@return this configuration with another iteration limit}
   *
   * @param n the most improvements
   */
  public ModifiedPolicyIteration withMaxIterations(int n) {
    PolicyEvaluation.checkMaxIterations(n);
    return new ModifiedPolicyIteration(sweeps, tolerance, n, backend);
  }

  /**
   * {@return this configuration on another backend}
   *
   * @param b the backend
   */
  public ModifiedPolicyIteration withBackend(Backend b) {
    return new ModifiedPolicyIteration(sweeps, tolerance, maxIterations,
        Objects.requireNonNull(b, "backend"));
  }

  /** {@return m, the partial-evaluation sweeps per improvement} */
  public int order() {
    return sweeps;
  }

  /** {@return epsilon} */
  public double tolerance() {
    return tolerance;
  }

  /** {@return the most improvements} */
  public int maxIterations() {
    return maxIterations;
  }

  /** {@return the backend} */
  public Backend backend() {
    return backend;
  }

  /**
   * Runs modified policy iteration.
   *
   * @param m the model
   * @param <S> the state type
   * @param <A> the action type
   * @return the values, Q, the greedy policy and the certificate; iterations counts improvements
   * @throws ModelException when the values overflow the double range
   */
  public <S, A> Solution<S, A> solve(TabularMdp<S, A> m) {
    boolean undiscounted = Solutions.undiscounted(m);
    double gamma = m.discount();
    int n = m.numStates();
    double[] v = new double[n];
    if (!undiscounted) {
      double rMin = 0;
      for (int r = 0; r < m.numRows(); r++) {
        rMin = Math.min(rMin, m.reward(r));
      }
      for (int s = 0; s < n; s++) {
        v[s] = m.isTerminal(s) ? 0 : rMin / (1 - gamma);
      }
    }
    double[] q = new double[m.numRows()];
    double rho = Double.NaN;
    double stepChange = Double.NaN;
    int it = 0;
    boolean converged = false;
    try (Backend.LoadedModel lm = backend.load(m);
        Backend.Vectors a = lm.vectors(1, n);
        Backend.Vectors b = lm.vectors(1, n);
        Backend.Vectors c = lm.vectors(1, n);
        Backend.Vectors pi = lm.vectors(1, m.numRows());
        Backend.Indices greedy = lm.indices(1)) {
      // every sweep stays resident on the backend; v comes back once at the end
      a.write(v);
      Backend.Vectors vV = a;
      Backend.Vectors uV = b;
      Backend.Vectors wV = c;
      while (it < maxIterations) {
        rho = lm.optimality(vV, uV, greedy)[0];
        it++;
        if (!Double.isFinite(rho)) {
          throw new ModelException(m.name() + ": modified policy iteration overflowed after "
              + it + " iterations (the values exceed the double range)");
        }
        double stop = undiscounted ? rho : gamma / (1 - gamma) * rho;
        if (stop <= tolerance) {
          Backend.Vectors t = vV;
          vV = uV;
          uV = t;
          stepChange = rho;
          converged = true;
          break;
        }
        lm.deterministicPolicy(greedy, pi);
        for (int j = 0; j < sweeps; j++) {
          lm.policy(pi, uV, wV);
          Backend.Vectors t = uV;
          uV = wV;
          wV = t;
        }
        Backend.Vectors t = vV;
        vV = uV;
        uV = t;
      }
      vV.read(v);
      lm.qValues(v, q);
    }
    int[] rows = Solutions.greedy(m, q);
    String method = "modified policy iteration (m=" + sweeps + ", " + backend.name() + ")";
    Certificate cert = undiscounted
        ? new Certificate.None("discount 1: modified policy iteration has no sup-norm error "
            + "bound, so the last residual " + Solutions.fmt(rho) + " does not bound ||v - V*||."
            + " Use PolicyIteration.solve or solveExact")
        : Solutions.supNorm(m, v, q, rows, stepChange, "Jacobi backup");
    return Solutions.ofDouble(m, v, q, rows, method, it, rho, converged, cert);
  }

  @Override
  public String toString() {
    return "ModifiedPolicyIteration[m=" + sweeps + ", tolerance " + tolerance + ", maxIterations "
        + maxIterations + ", backend " + backend.name() + "]";
  }
}
