package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import dev.fixpoint.tabular.internal.Bellman;
import dev.fixpoint.tabular.internal.ExactSimplex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.fraction.BigFraction;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.PivotSelectionRule;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apiguardian.api.API;

/**
 * The linear-programming formulation of the optimality equations (d'Epenoux 1963; Puterman 1994,
 * sec. 6.9):
 *
 * <pre>
 *   minimise sum_s v(s)  subject to  v(s) &gt;= r(s, a) + gamma sum_s' p(s' | s, a) v(s')
 *                                    for every available (s, a),  v(terminal) = 0.
 * </pre>
 *
 * For gamma &lt; 1 its unique optimum is v*. For gamma = 1 it is v* of the stochastic shortest
 * path problem when some policy is proper from every state (checked first with {@link
 * Properness}; otherwise the LP is unbounded and a {@link ModelException} names the state) and no
 * cycle earns a positive reward forever (otherwise the LP is infeasible, the optimal values are
 * +infinity, and a {@link ModelException} says so).
 *
 * <p>{@link #solve} uses Commons Math's dense {@link SimplexSolver} (Bland's rule): O(rows x S)
 * memory, for models up to a few hundred states. {@link #solveExact} runs an exact revised simplex
 * on the dual LP over occupation measures x(s, a) &gt;= 0 with sum_a x(s', a) - gamma sum_{s,a}
 * p(s' | s, a) x(s, a) = 1, maximising sum r x; its bases are deterministic policies, its prices
 * their values, and the pivots of Bland's rule switch one state's action at a time (Puterman
 * 1994, sec. 6.9.2).
 */
@API(status = API.Status.STABLE)
public final class LinearProgramming {
  private LinearProgramming() {}

  /**
   * Solves the primal LP in double with Commons Math's simplex and returns its values, their Q
   * and a greedy policy (with gamma = 1, ties are broken towards a proper policy).
   *
   * <p>Certificate: for gamma &lt; 1, the a-posteriori {@link Certificate.SupNorm} from the
   * Bellman residual of the LP values (see {@link ValueIteration}); for gamma = 1, {@link
   * Certificate.None}, since no sup-norm bound follows from the residual.
   *
   * @param m the model
   * @param <S> the state type
   * @param <A> the action type
   * @return the solution
   * @throws ModelException when the LP is unbounded or infeasible (see the class comment), or the
   *     simplex does not finish
   */
  public static <S, A> Solution<S, A> solve(TabularMdp<S, A> m) {
    boolean undiscounted = Solutions.undiscounted(m);
    if (undiscounted) {
      Properness.requireProperRows(m);
    }
    int n = m.numStates();
    double gamma = m.discount();
    double[] objective = new double[n];
    List<LinearConstraint> constraints = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      double[] coef = new double[n];
      if (m.isTerminal(s)) {
        coef[s] = 1;
        constraints.add(new LinearConstraint(coef, Relationship.EQ, 0));
        continue;
      }
      objective[s] = 1;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        double[] row = new double[n];
        row[s] = 1;
        for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
          row[m.next(k)] -= gamma * m.prob(k);
        }
        constraints.add(new LinearConstraint(row, Relationship.GEQ, m.reward(r)));
      }
    }
    SimplexSolver solver = new SimplexSolver(1e-10, 10, 1e-14);
    PointValuePair opt;
    int maxIter = 1000 + 50 * (n + m.numRows());
    try {
      opt = solver.optimize(new LinearObjectiveFunction(objective, 0),
          new LinearConstraintSet(constraints), GoalType.MINIMIZE,
          new NonNegativeConstraint(false), PivotSelectionRule.BLAND, new MaxIter(maxIter));
    } catch (NoFeasibleSolutionException e) {
      throw new ModelException(m.name() + ": the linear program v >= r + gamma P v has no "
          + "solution: " + (undiscounted ? "with discount 1 some cycle earns a positive reward "
          + "forever, so the optimal values are unbounded (+infinity)"
          : "this should not happen with discount < 1 (numerical trouble?)"), e);
    } catch (UnboundedSolutionException e) {
      throw new ModelException(m.name() + ": the linear program is unbounded below (a state "
          + "whose value is not pinned by any terminating policy)", e);
    } catch (TooManyIterationsException e) {
      throw new ModelException(m.name() + ": the simplex did not finish within " + maxIter
          + " pivots; use PolicyIteration.solve", e);
    }
    double[] v = opt.getPoint();
    for (int s = 0; s < n; s++) {
      if (m.isTerminal(s)) {
        v[s] = 0;
      }
    }
    double[] q = new double[m.numRows()];
    try (Backend.LoadedModel lm = Backends.cpu().load(m)) {
      lm.qValues(v, q);
    }
    int[] rows = Solutions.greedy(m, q);
    if (undiscounted) {
      rows = properGreedy(m, q, rows);
    }
    Certificate cert = undiscounted
        ? new Certificate.None("discount 1: the LP values are V* up to the simplex tolerance, "
            + "but the Bellman residual gives no sup-norm bound without a contraction; use "
            + "PolicyIteration.solveExact or LinearProgramming.solveExact for certified values")
        : Solutions.supNorm(m, v, q, rows, Double.NaN, "");
    return Solutions.ofDouble(m, v, q, rows, "linear programming (simplex, floating point)",
        solver.getIterations(), 0.0, true, cert);
  }

  /**
   * With gamma = 1: among the rows within 1e-9 * max(1, ||q||) of their state's best, a choice
   * that is proper from every state, if there is one; otherwise the plain greedy rows.
   */
  private static int[] properGreedy(TabularMdp<?, ?> m, double[] q, int[] greedy) {
    double tol = 1e-9 * Math.max(1, Solutions.supNorm(q));
    boolean[] allowed = new boolean[m.numRows()];
    for (int r = 0; r < allowed.length; r++) {
      allowed[r] = q[r] >= q[greedy[m.rowState(r)]] - tol;
    }
    int[] rows = Properness.properRows(m, allowed);
    for (int s = 0; s < rows.length; s++) {
      if (!m.isTerminal(s) && rows[s] < 0) {
        return greedy;
      }
    }
    return rows;
  }

  /**
   * Solves the LP exactly: the revised simplex of {@link ExactSimplex} (Bland's rule) on the dual
   * LP over occupation measures, started from the first-action policy (gamma &lt; 1) or from
   * {@link Properness#properPolicy} (gamma = 1). The values are the optimal prices, exact; the
   * policy is the optimal basis, a deterministic policy greedy with respect to them.
   *
   * @param m an exact model
   * @param <S> the state type
   * @param <A> the action type
   * @return exact values, Q and policy with a {@link Certificate.Exact} certificate
   * @throws InexactModelException when the model holds inexact doubles
   * @throws ModelException when gamma = 1 and some state cannot terminate, or the optimal values
   *     are unbounded
   */
  public static <S, A> Solution<S, A> solveExact(TabularMdp<S, A> m) {
    if (!m.isExact()) {
      throw new InexactModelException("exact linear programming: " + m.name() + " was given "
          + "with inexact (double) numbers; use LinearProgramming.solve");
    }
    TabularMdp.Exact ex = m.exact();
    boolean undiscounted = Solutions.undiscountedExact(m);
    int[] start = undiscounted ? Properness.requireProperRows(m) : Bellman.firstRows(m);
    int n = m.numStates();
    int[] constraintOf = new int[n];
    int live = 0;
    for (int s = 0; s < n; s++) {
      constraintOf[s] = m.isTerminal(s) ? -1 : live++;
    }
    int cols = m.numRows();
    BigFraction[][] a = new BigFraction[live][cols];
    for (BigFraction[] row : a) {
      Arrays.fill(row, BigFraction.ZERO);
    }
    BigFraction gamma = ex.discount();
    for (int r = 0; r < cols; r++) {
      int i = constraintOf[m.rowState(r)];
      a[i][r] = a[i][r].add(BigFraction.ONE);
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        int j = constraintOf[m.next(k)];
        if (j >= 0) {
          a[j][r] = a[j][r].subtract(gamma.multiply(ex.prob()[k]));
        }
      }
    }
    BigFraction[] b = new BigFraction[live];
    Arrays.fill(b, BigFraction.ONE);
    int[] basis = new int[live];
    for (int s = 0; s < n; s++) {
      if (constraintOf[s] >= 0) {
        basis[constraintOf[s]] = start[s];
      }
    }
    ExactSimplex.Result res = ExactSimplex.maximize(a, b, ex.reward(), basis);
    if (!res.optimal()) {
      int r = res.unboundedColumn();
      throw new ModelException(m.name() + ": the dual linear program is unbounded along state "
          + m.states().value(m.rowState(r)) + ", action " + m.actions().value(m.rowAction(r))
          + ": with discount 1 it starts a cycle that earns a positive reward forever, so the "
          + "optimal values are unbounded (+infinity)");
    }
    BigFraction[] v = new BigFraction[n];
    int[] rows = new int[n];
    Arrays.fill(rows, -1);
    for (int s = 0; s < n; s++) {
      v[s] = constraintOf[s] < 0 ? BigFraction.ZERO : res.prices()[constraintOf[s]];
    }
    for (int col : res.basis()) {
      int s = m.rowState(col);
      if (rows[s] >= 0) {
        throw new IllegalStateException("optimal basis holds two actions of state " + s);
      }
      rows[s] = col;
    }
    BigFraction[] q = Bellman.qValuesExact(m, v);
    return Solutions.ofExact(m, v, q, rows, "linear programming (exact simplex)", res.pivots(),
        new Certificate.Exact("exact revised simplex (Bland's rule) on the dual LP: the prices "
            + "solve v = r_d + gamma P_d v for the optimal basis d and every reduced cost q(s, a)"
            + " - v(s) is <= 0, so v satisfies the Bellman optimality equation"
            + (undiscounted ? " (discount 1: optimum over proper policies)" : "")));
  }
}
