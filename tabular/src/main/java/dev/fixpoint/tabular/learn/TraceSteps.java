package dev.fixpoint.tabular.learn;

import org.apiguardian.api.API;

/**
 * A recorded stream of steps with fixed TD errors, possibly several episodes back to back, for the
 * offline trace updates of {@link TraceUpdates}: at step t the pair of row {@code rows[t]} was
 * taken with importance ratio {@code rho[t]} = pi(A_t|S_t) / mu(A_t|S_t) and target probability
 * {@code pi[t]}, the TD error was {@code delta[t]}, and {@code done[t]} says whether the episode
 * ended after step t (the traces reset there). Steps after the last {@code done} form an
 * unfinished episode.
 *
 * <p>Arrays are copied in and out.
 *
 * @param rows the row of (S_t, A_t)
 * @param rho rho_t &gt;= 0, finite
 * @param pi pi(A_t|S_t) in [0, 1]
 * @param delta delta_t, finite
 * @param done whether the episode ends after step t
 */
@API(status = API.Status.EXPERIMENTAL)
public record TraceSteps(int[] rows, double[] rho, double[] pi, double[] delta, boolean[] done) {

  /** Checks equal lengths, indices, ratios, probabilities and finiteness; copies. */
  public TraceSteps {
    int n = rows.length;
    if (rho.length != n || pi.length != n || delta.length != n || done.length != n) {
      throw new IllegalArgumentException("a stream of " + n + " steps needs " + n
          + " ratios, target probabilities, TD errors and done flags; got " + rho.length + ", "
          + pi.length + ", " + delta.length + ", " + done.length);
    }
    rows = rows.clone();
    rho = rho.clone();
    pi = pi.clone();
    delta = delta.clone();
    done = done.clone();
    for (int t = 0; t < n; t++) {
      if (rows[t] < 0) {
        throw new IllegalArgumentException("negative row " + rows[t] + " at step " + t);
      }
      if (!(rho[t] >= 0) || Double.isInfinite(rho[t])) {
        throw new IllegalArgumentException("ratio " + rho[t] + " at step " + t
            + " is not finite and non-negative");
      }
      if (!(pi[t] >= 0 && pi[t] <= 1)) {
        throw new IllegalArgumentException("target probability " + pi[t] + " at step " + t
            + " is outside [0, 1]");
      }
      if (!Double.isFinite(delta[t])) {
        throw new IllegalArgumentException("TD error " + delta[t] + " at step " + t
            + " is not finite");
      }
    }
  }

  /** {@return the number of steps} */
  public int length() {
    return rows.length;
  }

  /** {@return the rows (a copy)} */
  @Override
  public int[] rows() {
    return rows.clone();
  }

  /** {@return the ratios (a copy)} */
  @Override
  public double[] rho() {
    return rho.clone();
  }

  /** {@return the target probabilities (a copy)} */
  @Override
  public double[] pi() {
    return pi.clone();
  }

  /** {@return the TD errors (a copy)} */
  @Override
  public double[] delta() {
    return delta.clone();
  }

  /** {@return the done flags (a copy)} */
  @Override
  public boolean[] done() {
    return done.clone();
  }

  /**
   * {@return this stream followed by {@code other}}
   *
   * @param other the later steps
   */
  public TraceSteps concat(TraceSteps other) {
    int n = rows.length;
    int m = other.rows.length;
    int[] r = java.util.Arrays.copyOf(rows, n + m);
    double[] a = java.util.Arrays.copyOf(rho, n + m);
    double[] b = java.util.Arrays.copyOf(pi, n + m);
    double[] c = java.util.Arrays.copyOf(delta, n + m);
    boolean[] d = java.util.Arrays.copyOf(done, n + m);
    System.arraycopy(other.rows, 0, r, n, m);
    System.arraycopy(other.rho, 0, a, n, m);
    System.arraycopy(other.pi, 0, b, n, m);
    System.arraycopy(other.delta, 0, c, n, m);
    System.arraycopy(other.done, 0, d, n, m);
    return new TraceSteps(r, a, b, c, d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceSteps s && java.util.Arrays.equals(rows, s.rows)
        && java.util.Arrays.equals(rho, s.rho) && java.util.Arrays.equals(pi, s.pi)
        && java.util.Arrays.equals(delta, s.delta) && java.util.Arrays.equals(done, s.done);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(rows) * 31 + java.util.Arrays.hashCode(delta);
  }

  @Override
  public String toString() {
    return "TraceSteps[" + rows.length + " steps]";
  }
}
