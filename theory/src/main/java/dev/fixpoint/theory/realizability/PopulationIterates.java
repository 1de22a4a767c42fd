package dev.fixpoint.theory.realizability;

import org.apiguardian.api.API;

/**
 * Expected (population) iterations of spec B3.6-B3.7 on the matrices of a {@link
 * LinearEvaluation}, in double:
 *
 * <ul>
 *   <li>expected semi-gradient TD(0): theta_{k+1} = theta_k + alpha (b - A theta_k), which
 *       converges for small alpha iff every eigenvalue of A has positive real part, and diverges
 *       geometrically when A has an eigenvalue with negative real part (Tsitsiklis and Van Roy 1997;
 *       Sutton and Barto 2018, section 11.2);
 *   <li>population FQE: theta_{k+1} = Sigma^{-1} Phi^T D (r + gamma P^pi Phi theta_k) = h + M
 *       theta_k, which converges from every start iff the spectral radius of M is &lt; 1, to
 *       theta_TD (B3.7).
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class PopulationIterates {
  private PopulationIterates() {}

  /**
   * Expected TD(0) iterates.
   *
   * @param ev the analysis (A and b)
   * @param alpha the step alpha &gt; 0
   * @param theta0 the start (length d)
   * @param steps K &gt;= 0
   * @return K + 1 rows theta_0..theta_K
   */
  public static double[][] expectedTd0(LinearEvaluation ev, double alpha, double[] theta0,
      int steps) {
    double[][] a = ev.matrixA();
    double[] b = ev.vectorB();
    check(a.length, theta0, steps);
    if (!(alpha > 0) || !Double.isFinite(alpha)) {
      throw new IllegalArgumentException("step alpha = " + alpha + " must be finite and > 0");
    }
    int d = b.length;
    double[][] out = new double[steps + 1][];
    out[0] = theta0.clone();
    for (int k = 0; k < steps; k++) {
      double[] t = out[k];
      double[] next = new double[d];
      for (int i = 0; i < d; i++) {
        double acc = b[i];
        for (int j = 0; j < d; j++) {
          acc -= a[i][j] * t[j];
        }
        next[i] = t[i] + alpha * acc;
      }
      out[k + 1] = next;
    }
    return out;
  }

  /**
   * Population FQE iterates.
   *
   * @param ev the analysis (M and h)
   * @param theta0 the start (length d)
   * @param steps K &gt;= 0
   * @return K + 1 rows theta_0..theta_K
   */
  public static double[][] fqe(LinearEvaluation ev, double[] theta0, int steps) {
    double[][] m = ev.fqeMatrix();
    double[] h = ev.fqeOffset();
    check(m.length, theta0, steps);
    int d = h.length;
    double[][] out = new double[steps + 1][];
    out[0] = theta0.clone();
    for (int k = 0; k < steps; k++) {
      double[] t = out[k];
      double[] next = new double[d];
      for (int i = 0; i < d; i++) {
        double acc = h[i];
        for (int j = 0; j < d; j++) {
          acc += m[i][j] * t[j];
        }
        next[i] = acc;
      }
      out[k + 1] = next;
    }
    return out;
  }

  /**
   * {@return the Euclidean norm of a parameter}
   * @param theta the parameter
   */
  public static double norm(double[] theta) {
    double s = 0;
    for (double x : theta) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  private static void check(int d, double[] theta0, int steps) {
    if (theta0.length != d) {
      throw new IllegalArgumentException("theta_0 has " + theta0.length + " entries, d = " + d);
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps = " + steps + " must be >= 0");
    }
  }
}
