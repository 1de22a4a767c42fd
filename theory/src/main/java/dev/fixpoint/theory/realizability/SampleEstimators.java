package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import io.vavr.control.Option;
import org.apiguardian.api.API;

/**
 * Sample-based linear policy evaluation from an offline {@link TransitionData} (spec B3 at finite
 * sample size), in double with primitive arrays. For a transition (s, a, r, s'), phi = phi(s, a)
 * and phibar' = sum_{a'} pi(a'|s') phi(s', a') (expected next features under the target policy;
 * 0 when s' is terminal).
 *
 * <ul>
 *   <li>LSTD(0) (Bradtke and Barto 1996; LSTD-Q of Lagoudakis and Parr 2003): theta =
 *       Ahat^{-1} bhat, Ahat = (1/N) sum phi (phi - gamma phibar')^T, bhat = (1/N) sum phi r;
 *   <li>FQE with a linear class: theta_{k+1} = Sigmahat^{-1} (1/N) sum phi (r + gamma phibar'^T
 *       theta_k) (least-squares regression onto the targets at every iteration);
 *   <li>semi-gradient off-policy TD(0) (Sutton and Barto 2018, section 11.1): sweep the dataset
 *       in order, theta += alpha phi (r + gamma phibar'^T theta - phi^T theta).
 * </ul>
 *
 * As N grows, Ahat, bhat and Sigmahat tend to the population A, b and Sigma under mu, so LSTD
 * tends to theta_TD when A is invertible; TD(0) follows the expected iteration of {@link
 * PopulationIterates#expectedTd0} up to noise, and diverges where it does.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SampleEstimators {
  private SampleEstimators() {}

  /**
   * A run of an iterative estimator.
   *
   * @param iterates theta after each iteration or pass (row 0 is the start)
   * @param finite false when the run overflowed (divergence) and stopped early
   */
  public record Run(double[][] iterates, boolean finite) {
    /** {@return the last iterate} */
    public double[] last() {
      return iterates[iterates.length - 1].clone();
    }
  }

  /**
   * LSTD(0).
   *
   * @param data the dataset
   * @param phi Phi
   * @param pi the target policy
   * @return theta, or none when Ahat is singular to working precision
   */
  public static Option<double[]> lstd(TransitionData data, LinearFeatures phi, TabularPolicy<?, ?> pi) {
    Prepared p = prepare(data, phi, pi);
    int d = p.d;
    double[][] a = new double[d][d];
    double[] b = new double[d];
    for (int i = 0; i < p.n; i++) {
      double[] f = p.ph[p.rows[i]];
      double[] nx = p.next[i];
      for (int j = 0; j < d; j++) {
        b[j] += f[j] * p.reward[i];
        for (int k = 0; k < d; k++) {
          a[j][k] += f[j] * (f[k] - p.gamma * nx[k]);
        }
      }
    }
    double[][] bb = new double[d][1];
    for (int j = 0; j < d; j++) {
      bb[j][0] = b[j];
    }
    double[][] x = Spectra.solve(a, bb);
    if (x == null) {
      return Option.none();
    }
    double[] theta = new double[d];
    for (int j = 0; j < d; j++) {
      theta[j] = x[j][0];
    }
    return Option.some(theta);
  }

  /**
   * Fitted Q evaluation with least-squares regression at every iteration.
   *
   * @param data the dataset
   * @param phi Phi
   * @param pi the target policy
   * @param theta0 the start
   * @param iterations K &gt;= 0
   * @return the iterates
   * @throws ModelException when the empirical Sigmahat is singular (features not covered)
   */
  public static Run fqe(TransitionData data, LinearFeatures phi, TabularPolicy<?, ?> pi,
      double[] theta0, int iterations) {
    Prepared p = prepare(data, phi, pi);
    int d = p.d;
    checkStart(theta0, d, iterations);
    double[][] sigma = new double[d][d];
    for (int i = 0; i < p.n; i++) {
      double[] f = p.ph[p.rows[i]];
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          sigma[j][k] += f[j] * f[k];
        }
      }
    }
    double[][] out = new double[iterations + 1][];
    out[0] = theta0.clone();
    for (int it = 0; it < iterations; it++) {
      double[] t = out[it];
      double[][] rhs = new double[d][1];
      for (int i = 0; i < p.n; i++) {
        double[] f = p.ph[p.rows[i]];
        double y = p.reward[i] + p.gamma * dot(p.next[i], t);
        for (int j = 0; j < d; j++) {
          rhs[j][0] += f[j] * y;
        }
      }
      double[][] x = Spectra.solve(sigma, rhs);
      if (x == null) {
        throw new ModelException("FQE: the empirical feature covariance is singular: the "
            + "dataset does not cover all " + d + " feature directions");
      }
      double[] next = new double[d];
      boolean finite = true;
      for (int j = 0; j < d; j++) {
        next[j] = x[j][0];
        finite &= Double.isFinite(next[j]);
      }
      out[it + 1] = next;
      if (!finite) {
        return new Run(java.util.Arrays.copyOf(out, it + 2), false);
      }
    }
    return new Run(out, true);
  }

  /**
   * Semi-gradient off-policy TD(0), sweeping the dataset {@code passes} times in order.
   *
   * @param data the dataset
   * @param phi Phi
   * @param pi the target policy
   * @param alpha the step alpha &gt; 0
   * @param theta0 the start
   * @param passes the number of sweeps
   * @return theta after each pass
   */
  public static Run td0(TransitionData data, LinearFeatures phi, TabularPolicy<?, ?> pi, double alpha,
      double[] theta0, int passes) {
    Prepared p = prepare(data, phi, pi);
    int d = p.d;
    checkStart(theta0, d, passes);
    if (!(alpha > 0) || !Double.isFinite(alpha)) {
      throw new IllegalArgumentException("alpha = " + alpha + " must be finite and > 0");
    }
    double[][] out = new double[passes + 1][];
    out[0] = theta0.clone();
    double[] t = theta0.clone();
    for (int pass = 0; pass < passes; pass++) {
      for (int i = 0; i < p.n; i++) {
        double[] f = p.ph[p.rows[i]];
        double delta = p.reward[i] + p.gamma * dot(p.next[i], t) - dot(f, t);
        for (int j = 0; j < d; j++) {
          t[j] += alpha * delta * f[j];
        }
      }
      out[pass + 1] = t.clone();
      boolean finite = true;
      for (double x : t) {
        finite &= Double.isFinite(x);
      }
      if (!finite) {
        return new Run(java.util.Arrays.copyOf(out, pass + 2), false);
      }
    }
    return new Run(out, true);
  }

  private record Prepared(int n, int d, double gamma, double[][] ph, int[] rows,
      double[][] next, double[] reward) {}

  private static Prepared prepare(TransitionData data, LinearFeatures phi, TabularPolicy<?, ?> pi) {
    TabularMdp<?, ?> m = data.mdp();
    if (phi.rows() != m.numRows() || pi.mdp().numRows() != m.numRows()) {
      throw new ModelException("Phi has " + phi.rows() + " rows, the policy " + pi.mdp()
          .numRows() + ", the model " + m.numRows());
    }
    double[][] ph = phi.toArray();
    double[] prob = pi.toArray();
    int d = phi.dimension();
    double[][] expectedNext = new double[m.numStates()][d];
    for (int s = 0; s < m.numStates(); s++) {
      for (int j = m.rowStart(s); j < m.rowEnd(s); j++) {
        for (int k = 0; k < d; k++) {
          expectedNext[s][k] += prob[j] * ph[j][k];
        }
      }
    }
    int[] rows = data.rows();
    int[] entries = data.entries();
    int n = rows.length;
    double[][] next = new double[n][];
    double[] reward = new double[n];
    for (int i = 0; i < n; i++) {
      next[i] = expectedNext[m.next(entries[i])];
      reward[i] = m.entryReward(entries[i]);
    }
    return new Prepared(n, d, m.discount(), ph, rows, next, reward);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void checkStart(double[] theta0, int d, int steps) {
    if (theta0.length != d) {
      throw new IllegalArgumentException("theta_0 has " + theta0.length + " entries, d = " + d);
    }
    if (steps < 0) {
      throw new IllegalArgumentException("iterations = " + steps + " must be >= 0");
    }
  }
}
