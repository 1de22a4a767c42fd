package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import dev.fixpoint.tabular.internal.Bellman;
import dev.fixpoint.tabular.internal.LinearSystems;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Policy iteration (Howard 1960; Sutton &amp; Barto 2018, sec. 4.3; Puterman 1994, sec. 6.4):
 * evaluate the current deterministic policy d exactly (v = v^d by a linear solve), improve it
 * greedily (d'(s) = argmax_a q(s, a) with q = r + gamma P v), and stop when no state improves.
 *
 * <p><b>Improvement rule.</b> A state switches action only when its best action is strictly
 * better than the current one: exactly ({@link #solveExact}), or by more than 1e-12 * max(1,
 * ||q||_inf) in double ({@link #solve}), so that rounding cannot make the method cycle between
 * equally good policies. Each switch strictly increases v (Puterman 1994, sec. 6.4), no policy
 * repeats, and the method stops after finitely many steps at a policy whose values satisfy the
 * Bellman optimality equation.
 *
 * <p><b>Start.</b> The first available action in every state when gamma &lt; 1; when gamma = 1,
 * the proper policy of {@link Properness#properPolicy} (a {@link ModelException} if some state
 * cannot terminate under any policy). With gamma = 1 each improved policy is checked for
 * properness; an improper improved policy is only possible when the model has a cycle with positive
 * average reward that never terminates, in which case the optimal values are +infinity and a
 * {@link ModelException} says so (never an endless loop, never a singular-matrix crash). With
 * gamma = 1 the result is optimal among proper policies (stochastic shortest path convention,
 * Bertsekas &amp; Tsitsiklis 1991).
 *
 * <p>Cost per step: one O(S^3) dense solve (exact: Gaussian elimination over rationals, which
 * skips zeros) plus one backup.
 */
@API(status = API.Status.STABLE)
public final class PolicyIteration {
  /** A guard on the number of improvement steps of the double version. */
  static final int MAX_STEPS = 100_000;

  private PolicyIteration() {}

  /**
   * Policy iteration in double arithmetic, evaluation by a direct LU solve.
   *
   * <p>Certificate: for gamma &lt; 1 the a-posteriori {@link Certificate.SupNorm} bound of the
   * returned values and policy (residual rho = ||T v - v|| and floating-point rounding, see {@link
   * ValueIteration}); for gamma = 1 an {@link Certificate.Exact} saying the values are those of a
   * proper policy up to rounding and no action improves them by more than the tolerance.
   *
   * @param m the model
   * @param <S> the state type
   * @param <A> the action type
   * @return the optimal values, Q and a deterministic optimal policy
   * @throws ModelException when gamma = 1 and some state cannot terminate, or the optimal values
   *     are unbounded
   */
  public static <S, A> Solution<S, A> solve(TabularMdp<S, A> m) {
    boolean undiscounted = Solutions.undiscounted(m);
    int[] rows = undiscounted ? Properness.requireProperRows(m) : Bellman.firstRows(m);
    return from(m, rows, "policy iteration (floating point)", 0);
  }

  /**
   * Policy iteration in double from a given deterministic policy (proper when gamma = 1); the
   * solution's iterations are {@code priorIterations} plus the evaluations done here, and the
   * method names how many improvement steps were needed after the start.
   */
  static <S, A> Solution<S, A> from(TabularMdp<S, A> m, int[] start, String method,
      int priorIterations) {
    boolean undiscounted = Solutions.undiscounted(m);
    int[] rows = start.clone();
    double[] q = new double[m.numRows()];
    double[] v;
    int steps = 0;
    boolean converged = false;
    double tol;
    try (Backend.LoadedModel lm = Backends.cpu().load(m)) {
      while (true) {
        v = LinearSystems.evaluate(m, Bellman.deterministic(m, rows));
        lm.qValues(v, q);
        steps++;
        tol = 1e-12 * Math.max(1.0, Solutions.supNorm(q));
        int[] next = rows.clone();
        boolean changed = false;
        int[] greedy = Bellman.greedyRows(m, q);
        for (int s = 0; s < next.length; s++) {
          if (!m.isTerminal(s) && q[greedy[s]] > q[rows[s]] + tol) {
            next[s] = greedy[s];
            changed = true;
          }
        }
        if (!changed) {
          converged = true;
          break;
        }
        if (steps >= MAX_STEPS) {
          break;
        }
        if (undiscounted) {
          Properness.requireImprovedProper(m, rows, next, "policy iteration");
        }
        rows = next;
      }
    }
    Certificate cert = undiscounted && !converged
        ? new Certificate.None("policy iteration stopped after " + MAX_STEPS + " improvement "
            + "steps without converging; discount 1 gives no error bound")
        : undiscounted
        ? new Certificate.Exact("policy iteration, floating point: v = v^pi of a proper policy by"
            + " a direct LU solve (exact up to rounding), and no action improves v by more than "
            + Solutions.fmt(tol) + "; with discount 1 this is the optimum over proper policies")
        : Solutions.supNorm(m, v, q, rows, Double.NaN, "");
    String how = priorIterations == 0 || steps == 1 ? method
        : method + ", then " + (steps - 1) + " policy-improvement step" + (steps == 2 ? "" : "s");
    return Solutions.ofDouble(m, v, q, rows, how, priorIterations + steps, 0.0, converged, cert);
  }

  /**
   * Policy iteration in exact rational arithmetic: exact evaluation, exact strict improvement.
   *
   * @param m an exact model
   * @param <S> the state type
   * @param <A> the action type
   * @return exact optimal values, exact Q and a deterministic optimal policy, with an {@link
   *     Certificate.Exact} certificate
   * @throws InexactModelException when the model holds inexact doubles
   * @throws ModelException when gamma = 1 and some state cannot terminate, or the optimal values
   *     are unbounded
   */
  public static <S, A> Solution<S, A> solveExact(TabularMdp<S, A> m) {
    if (!m.isExact()) {
      throw new InexactModelException("exact policy iteration: " + m.name() + " was given with "
          + "inexact (double) numbers; use PolicyIteration.solve, or give the model with "
          + "integers, decimals or fractions");
    }
    boolean undiscounted = Solutions.undiscountedExact(m);
    int[] rows = undiscounted ? Properness.requireProperRows(m) : Bellman.firstRows(m);
    int steps = 0;
    while (true) {
      BigFraction[] v = LinearSystems.evaluateExact(m, Bellman.deterministicExact(m, rows));
      BigFraction[] q = Bellman.qValuesExact(m, v);
      steps++;
      int[] greedy = Bellman.greedyRowsExact(m, q);
      int[] next = rows.clone();
      boolean changed = false;
      for (int s = 0; s < next.length; s++) {
        if (!m.isTerminal(s) && q[greedy[s]].compareTo(q[rows[s]]) > 0) {
          next[s] = greedy[s];
          changed = true;
        }
      }
      if (!changed) {
        return Solutions.ofExact(m, v, q, rows, "policy iteration (exact)", steps,
            new Certificate.Exact("policy iteration in exact rational arithmetic: v solves v = "
                + "r_pi + gamma P_pi v exactly and no action improves it, so v satisfies the "
                + "Bellman optimality equation"
                + (undiscounted ? " (discount 1: optimum over proper policies)" : "")));
      }
      if (undiscounted) {
        Properness.requireImprovedProper(m, rows, next, "exact policy iteration");
      }
      rows = next;
    }
  }
}
