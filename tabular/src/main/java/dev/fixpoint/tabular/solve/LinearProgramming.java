package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import dev.fixpoint.tabular.internal.Bellman;
import dev.fixpoint.tabular.internal.ExactSimplex;
import dev.fixpoint.tabular.internal.LinearSystems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.fraction.BigFraction;
import org.apache.commons.math3.optim.MaxIter;
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
 * sec. 6.9). The primal LP
 *
 * <pre>
 *   minimise sum_s v(s)  subject to  v(s) &gt;= r(s, a) + gamma sum_s' p(s' | s, a) v(s')
 *                                    for every available (s, a),  v(terminal) = 0
 * </pre>
 *
 * has the unique optimum v* when gamma &lt; 1. Both methods solve it through its dual, over
 * occupation measures x(s, a) &gt;= 0:
 *
 * <pre>
 *   maximise sum r(s, a) x(s, a)  subject to  sum_a x(s', a) - gamma sum_{s,a} p(s' | s, a)
 *                                             x(s, a) = 1  for every non-terminal s'
 * </pre>
 *
 * whose basic feasible solutions are the deterministic policies d (one basic x(s, d(s)) &gt;= 1 per
 * state, so the dual is never degenerate) and whose simplex prices y, B^T y = r_d, are the values
 * v^d; at the optimum they are the primal solution v* (Puterman 1994, sec. 6.9.2). For gamma = 1
 * this is v* of the stochastic shortest path problem when some policy is proper from every state
 * (checked first with {@link Properness}: otherwise a {@link ModelException} names the state) and
 * no cycle earns a positive reward forever (otherwise the dual is unbounded, the optimal values
 * are +infinity, and a {@link ModelException} says so).
 *
 * <p>{@link #solve} runs Commons Math's dense {@link SimplexSolver} (Bland's rule, with its own
 * phase 1) on the dual, O(S x rows) memory, and reads the optimal basis policy off x. (On the primal
 * form the tableau has rows x (S + rows) entries and took tens of thousands of pivots on a 61-state
 * gambler's problem; the dual stays small.) {@link #solveExact} runs the exact revised simplex of
 * {@link ExactSimplex} on the dual, starting from a policy basis so that no phase 1 is needed.
 */
@API(status = API.Status.STABLE)
public final class LinearProgramming {
  private LinearProgramming() {}

  /**
   * Solves the LP in double: Commons Math's simplex on the dual gives a basis, i.e. a
   * deterministic policy d; its values v^d = (I - gamma P_d)^-1 r_d come from one LU solve. The
   * simplex in double can stop at a basis that is not optimal (the property suite found one with
   * discount 1), so the result is finished by policy improvement from d: nothing changes when d is
   * optimal, and the method string says how many improvement steps were needed otherwise.
   *
   * <p>Certificate: for gamma &lt; 1, the a-posteriori {@link Certificate.SupNorm} from the
   * Bellman residual of the values (see {@link ValueIteration}); for gamma = 1, {@link
   * Certificate.Exact} when no action improves the values by more than 1e-12 * max(1, ||q||)
   * (the values are then those of an optimal proper policy up to rounding), as for {@link
   * PolicyIteration#solve}.
   *
   * @param m the model
   * @param <S> the state type
   * @param <A> the action type
   * @return the solution; iterations counts simplex pivots
   * @throws ModelException when gamma = 1 and some state cannot terminate or the optimal values
   *     are unbounded, or when the simplex does not finish
   */
  public static <S, A> Solution<S, A> solve(TabularMdp<S, A> m) {
    boolean undiscounted = Solutions.undiscounted(m);
    if (undiscounted) {
      Properness.requireProperRows(m);
    }
    int n = m.numStates();
    int cols = m.numRows();
    double gamma = m.discount();
    double[][] a = new double[n][cols];
    for (int r = 0; r < cols; r++) {
      a[m.rowState(r)][r] += 1;
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        a[m.next(k)][r] -= gamma * m.prob(k);
      }
    }
    List<LinearConstraint> constraints = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      if (!m.isTerminal(s)) {
        constraints.add(new LinearConstraint(a[s], Relationship.EQ, 1));
      }
    }
    double[] reward = new double[cols];
    for (int r = 0; r < cols; r++) {
      reward[r] = m.reward(r);
    }
    SimplexSolver solver = new SimplexSolver(1e-10, 10, 1e-14);
    int maxIter = 1000 + 50 * (n + cols);
    double[] x;
    try {
      x = solver.optimize(new LinearObjectiveFunction(reward, 0),
          new LinearConstraintSet(constraints), GoalType.MAXIMIZE,
          new NonNegativeConstraint(true), PivotSelectionRule.BLAND, new MaxIter(maxIter))
          .getPoint();
    } catch (UnboundedSolutionException e) {
      throw new ModelException(m.name() + ": the dual linear program is unbounded: "
          + (undiscounted ? "with discount 1 some cycle earns a positive reward forever, so the "
          + "optimal values are unbounded (+infinity)"
          : "this cannot happen with discount < 1 (numerical trouble?)"), e);
    } catch (NoFeasibleSolutionException e) {
      throw new ModelException(m.name() + ": the dual linear program is infeasible (a state that "
          + "no policy leaves with probability 1?)", e);
    } catch (TooManyIterationsException e) {
      throw new ModelException(m.name() + ": the simplex did not finish within " + maxIter
          + " pivots; use PolicyIteration.solve", e);
    }
    int[] basis = new int[n];
    for (int s = 0; s < n; s++) {
      basis[s] = -1;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (basis[s] < 0 || x[r] > x[basis[s]]) {
          basis[s] = r;
        }
      }
    }
    // Commons Math's simplex can stop at a basis that is not optimal (seen with discount 1 on a
    // one-state model, found by SolverProperties): finish with policy improvement from the basis
    // policy, which changes nothing when the basis is optimal and says so in the method otherwise.
    if (undiscounted && Properness.firstImproperState(m, dev.fixpoint.dsl.TabularPolicy.deterministic(m, basis))
        .isPresent()) {
      basis = Properness.requireProperRows(m);
    }
    return PolicyIteration.from(m, basis, "linear programming (dual simplex, floating point)",
        solver.getIterations());
  }

  /**
   * Solves the LP exactly: the revised simplex of {@link ExactSimplex} on the dual LP over
   * occupation measures, started from the first-action policy (gamma &lt; 1) or from {@link
   * Properness#properPolicy} (gamma = 1). Every basic solution of this dual is non-degenerate
   * (each state's basic x is at least 1), so each pivot strictly increases the objective and
   * Dantzig's largest-reduced-cost pricing cannot cycle; it needs far fewer pivots than Bland's
   * rule (2737 against about a hundred on a 101-state gambler's problem). The values are the
   * optimal prices, exact; the policy is the optimal basis, a deterministic policy greedy with
   * respect to them. Cost O(S^3) exact arithmetic per pivot.
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
    ExactSimplex.Result res = ExactSimplex.maximize(a, b, ex.reward(), basis,
        ExactSimplex.Pricing.DANTZIG);
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
        new Certificate.Exact("exact revised simplex on the dual LP: the prices "
            + "solve v = r_d + gamma P_d v for the optimal basis d and every reduced cost q(s, a)"
            + " - v(s) is <= 0, so v satisfies the Bellman optimality equation"
            + (undiscounted ? " (discount 1: optimum over proper policies)" : "")));
  }
}
