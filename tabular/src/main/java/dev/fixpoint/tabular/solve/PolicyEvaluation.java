package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import dev.fixpoint.tabular.internal.Bellman;
import dev.fixpoint.tabular.internal.LinearSystems;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Policy evaluation: the values v^pi of a fixed policy, the unique solution of v = r_pi + gamma
 * P_pi v (Sutton &amp; Barto 2018, eq. 4.4 and sec. 4.1; Puterman 1994, Thm 6.1.1), and its
 * action values q^pi = r + gamma P v^pi over rows.
 *
 * <p>The system has a unique solution when gamma &lt; 1, or when gamma = 1 and the policy is
 * <em>proper</em> (reaches a terminal state with probability 1 from every state, see {@link
 * Properness}). With gamma = 1 every method checks properness first and throws {@link
 * dev.fixpoint.dsl.ImproperPolicyException} naming the first state that does not terminate, never a
 * singular-matrix error.
 *
 * <p>The returned {@link Solution}'s policy is the evaluated policy and its q the policy's action
 * values.
 */
@API(status = API.Status.STABLE)
public final class PolicyEvaluation {
  private PolicyEvaluation() {}

  /**
   * v^pi by one dense LU solve of (I - gamma P_pi) v = r_pi in double, O(S^3) time, O(S^2)
   * memory. The values are exact up to floating-point rounding.
   *
   * @param m the model
   * @param pi the policy
   * @param <S> the state type
   * @param <A> the action type
   * @return the values, q^pi, the policy, and an {@link Certificate.Exact} certificate
   * @throws dev.fixpoint.dsl.ImproperPolicyException when gamma = 1 and pi is improper
   * @throws ModelException when pi does not fit the model
   */
  public static <S, A> Solution<S, A> direct(TabularMdp<S, A> m, TabularPolicy<S, A> pi) {
    Properness.checkFits(m, pi);
    if (Solutions.undiscounted(m)) {
      Properness.requireProper(m, pi, "policy evaluation");
    }
    double[] probs = pi.toArray();
    double[] v = LinearSystems.evaluate(m, probs);
    double[] q = new double[m.numRows()];
    try (Backend.LoadedModel lm = Backends.cpu().load(m)) {
      lm.qValues(v, q);
    }
    return Solutions.ofDouble(m, v, q, pi, "policy evaluation (direct, floating point)", 1, 0.0,
        true, new Certificate.Exact("direct solve, floating point: v = (I - gamma P_pi)^-1 r_pi"
            + " by LU with partial pivoting; exact up to rounding"));
  }

  /**
   * v^pi exactly, by Gaussian elimination over rationals on (I - gamma P_pi) v = r_pi.
   *
   * @param m an exact model
   * @param pi an exact policy
   * @param <S> the state type
   * @param <A> the action type
   * @return exact values and q^pi, with an {@link Certificate.Exact} certificate
   * @throws InexactModelException when the model or the policy holds inexact doubles
   * @throws dev.fixpoint.dsl.ImproperPolicyException when gamma = 1 and pi is improper
   */
  public static <S, A> Solution<S, A> exact(TabularMdp<S, A> m, TabularPolicy<S, A> pi) {
    Properness.checkFits(m, pi);
    if (!m.isExact()) {
      throw new InexactModelException("exact policy evaluation: " + m.name() + " was given with "
          + "inexact (double) numbers; use PolicyEvaluation.direct, or give the model with "
          + "integers, decimals or fractions");
    }
    if (!pi.isExact()) {
      throw new InexactModelException("exact policy evaluation: the policy has inexact (double) "
          + "probabilities; build it with exact numbers or use PolicyEvaluation.direct");
    }
    if (Solutions.undiscountedExact(m)) {
      Properness.requireProper(m, pi, "exact policy evaluation");
    }
    BigFraction[] v = LinearSystems.evaluateExact(m, pi.toExactArray());
    BigFraction[] q = Bellman.qValuesExact(m, v);
    return Solutions.ofExact(m, v, q, pi, "policy evaluation (exact)", 1,
        new Certificate.Exact("exact rational solve of (I - gamma P_pi) v = r_pi by Gaussian "
            + "elimination"));
  }

  /**
   * v^pi by iterating v_{k+1} = T^pi v_k from v_0 = 0 (Sutton &amp; Barto 2018, sec. 4.1,
   * synchronous version) on the CPU backend. See {@link #iterative(TabularMdp, TabularPolicy,
   * double, int, Backend)}.
   *
   * @param m the model
   * @param pi the policy
   * @param tolerance the target bound epsilon on ||v - v^pi||_inf (gamma &lt; 1) or on the last
   *     change (gamma = 1)
   * @param maxIterations the most sweeps
   * @param <S> the state type
   * @param <A> the action type
   * @return the values and their certificate
   */
  public static <S, A> Solution<S, A> iterative(TabularMdp<S, A> m, TabularPolicy<S, A> pi,
      double tolerance, int maxIterations) {
    return iterative(m, pi, tolerance, maxIterations, Backends.cpu());
  }

  /**
   * v^pi by iterating v_{k+1} = T^pi v_k from v_0 = 0 through a backend.
   *
   * <p>Stopping rule, gamma &lt; 1: stop when gamma/(1 - gamma) * delta &lt;= tolerance, where
   * delta = ||v_{k+1} - v_k||_inf; since T^pi is a gamma-contraction, ||v_{k+1} - v^pi|| &lt;=
   * gamma/(1 - gamma) * delta (Puterman 1994, Thm 6.3.1 applied to T^pi). The certificate is
   * {@link Certificate.SupNorm} with that bound, tightened by the residual ||T^pi v - v|| and
   * widened by the rounding of one backup (see the class comment of {@code Solutions}); its
   * policyLoss is 0 because the returned policy is the evaluated one.
   *
   * <p>Gamma = 1 (after the properness check): stop when delta &lt;= tolerance; the certificate is
   * {@link Certificate.None}, since a small change does not bound the error without a contraction
   * in the sup norm. If maxIterations is reached first, converged is false and the certificate
   * still states what holds at the last iterate.
   *
   * @param m the model
   * @param pi the policy
   * @param tolerance epsilon &gt;= 0
   * @param maxIterations the most sweeps, &gt;= 1
   * @param backend where the sweeps run
   * @param <S> the state type
   * @param <A> the action type
   * @return the values, q^pi and the certificate
   * @throws dev.fixpoint.dsl.ImproperPolicyException when gamma = 1 and pi is improper
   * @throws IllegalArgumentException when tolerance or maxIterations is out of range
   */
  public static <S, A> Solution<S, A> iterative(TabularMdp<S, A> m, TabularPolicy<S, A> pi,
      double tolerance, int maxIterations, Backend backend) {
    checkTolerance(tolerance);
    checkMaxIterations(maxIterations);
    Properness.checkFits(m, pi);
    boolean undiscounted = Solutions.undiscounted(m);
    if (undiscounted) {
      Properness.requireProper(m, pi, "iterative policy evaluation");
    }
    double gamma = m.discount();
    double[] probs = pi.toArray();
    int n = m.numStates();
    double[] v = new double[n];
    double delta = Double.NaN;
    int it = 0;
    boolean converged = false;
    double[] q = new double[m.numRows()];
    double[] tv = new double[n];
    try (Backend.LoadedModel lm = backend.load(m);
        Backend.Vectors piV = lm.vectors(1, m.numRows());
        Backend.Vectors a = lm.vectors(1, n);
        Backend.Vectors b = lm.vectors(1, n)) {
      // the sweeps stay resident on the backend; v comes back once at the end
      piV.write(probs);
      Backend.Vectors cur = a;
      Backend.Vectors nxt = b;
      while (it < maxIterations) {
        delta = lm.policy(piV, cur, nxt)[0];
        it++;
        Backend.Vectors t = cur;
        cur = nxt;
        nxt = t;
        if (!Double.isFinite(delta)) {
          throw new ModelException(m.name() + ": iterative policy evaluation overflowed after "
              + it + " sweeps (the values exceed the double range)");
        }
        double stop = undiscounted ? delta : gamma / (1 - gamma) * delta;
        if (stop <= tolerance) {
          converged = true;
          break;
        }
      }
      cur.read(v);
      lm.qValues(v, q);
      lm.policyBackup(probs, v, tv);
    }
    String method = "policy evaluation (iterative, " + backend.name() + ")";
    Certificate cert = undiscounted
        ? new Certificate.None("discount 1: iterative policy evaluation has no sup-norm error "
            + "bound (T^pi is not a sup-norm contraction); the last change " + Solutions.fmt(delta)
            + " does not bound ||v - v^pi||. Use PolicyEvaluation.direct or exact")
        : Solutions.evaluationBound(m, v, tv, delta);
    return Solutions.ofDouble(m, v, q, pi, method, it, delta, converged, cert);
  }

  static void checkTolerance(double tolerance) {
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
    }
  }

  static void checkMaxIterations(int maxIterations) {
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }
  }
}
