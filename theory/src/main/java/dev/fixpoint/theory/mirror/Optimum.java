package dev.fixpoint.theory.mirror;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.internal.LinearSystems;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import org.apiguardian.api.API;

/**
 * What the PMD rates are measured against: the optimal values V*, a deterministic optimal policy
 * pi*, the start distribution rho, and the normalised occupancy of pi* from rho (spec section 0),
 *
 * <pre>d*(s) = (1 - gamma) sum_t gamma^t Pr(s_t = s | s_0 ~ rho, pi*),  i.e.
 * d*^T = (1 - gamma) rho^T (I - gamma P_S^{pi*})^-1</pre>
 *
 * (terminal states absorb with value 0; their occupancy is not used by any bound). Also the reward
 * range R that replaces the "1" of rewards in [0, 1]: R = max(r_max, 0) - min(r_min, 0) when the
 * model has terminal states (their value 0 is then in the range), else r_max - r_min; V^pi lies in
 * an interval of length R/(1 - gamma).
 *
 * @param mdp the model, gamma &lt; 1
 * @param rho the start distribution over states
 * @param vStar V* over states (policy iteration, double)
 * @param piStar a deterministic optimal policy
 * @param dStar d* over states
 * @param range R
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.EXPERIMENTAL)
public record Optimum<S, A>(TabularMdp<S, A> mdp, double[] rho, double[] vStar,
    TabularPolicy<S, A> piStar, double[] dStar, double range) {

  /**
   * Solves the model (policy iteration in double) and computes d* from rho.
   *
   * @param m the model, gamma &lt; 1
   * @param rho a distribution over the states (non-negative, sums to 1 within 1e-9)
   * @param <S> the state type
   * @param <A> the action type
   * @return the optimum
   * @throws ModelException when gamma = 1 or rho is not a distribution
   */
  public static <S, A> Optimum<S, A> of(TabularMdp<S, A> m, double[] rho) {
    double gamma = m.discount();
    if (!(gamma < 1)) {
      throw new ModelException(m.name() + ": PMD rates need a discount below 1, got " + gamma);
    }
    if (rho.length != m.numStates()) {
      throw new ModelException("rho has " + rho.length + " entries for " + m.numStates()
          + " states");
    }
    double sum = 0;
    for (int s = 0; s < rho.length; s++) {
      if (!(rho[s] >= 0) || Double.isInfinite(rho[s])) {
        throw new ModelException("rho at state " + m.states().value(s) + " is " + rho[s]
            + ": must be finite and >= 0");
      }
      sum += rho[s];
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw new ModelException("rho sums to " + sum + ", expected 1");
    }
    Solution<S, A> sol = PolicyIteration.solve(m);
    double[] pi = sol.policy().toArray();
    double[] d = occupancy(m, pi, rho);
    double rmin = Double.POSITIVE_INFINITY;
    double rmax = Double.NEGATIVE_INFINITY;
    boolean terminal = false;
    for (int s = 0; s < m.numStates(); s++) {
      terminal |= m.isTerminal(s);
    }
    for (int r = 0; r < m.numRows(); r++) {
      rmin = Math.min(rmin, m.reward(r));
      rmax = Math.max(rmax, m.reward(r));
    }
    if (terminal || m.numRows() == 0) {
      rmin = Math.min(rmin, 0);
      rmax = Math.max(rmax, 0);
    }
    return new Optimum<>(m, rho.clone(), sol.values().toArray(), sol.policy(), d, rmax - rmin);
  }

  /**
   * {@return the optimum with the model's own initial distribution as rho}
   * @param m the model
   * @param <S> the state type
   * @param <A> the action type
   */
  public static <S, A> Optimum<S, A> of(TabularMdp<S, A> m) {
    return of(m, m.initialDistribution());
  }

  /**
   * The normalised state occupancy d_rho^pi^T = (1 - gamma) rho^T (I - gamma P_S^pi)^-1, by one
   * LU solve of the transposed system.
   *
   * @param m the model
   * @param pi the policy over rows
   * @param rho the start distribution
   * @return d over states
   */
  public static double[] occupancy(TabularMdp<?, ?> m, double[] pi, double[] rho) {
    double[][] a = LinearSystems.identityMinusGammaP(m, pi);
    int n = a.length;
    double[][] t = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        t[i][j] = a[j][i];
      }
    }
    double[] b = new double[n];
    for (int s = 0; s < n; s++) {
      b[s] = (1 - m.discount()) * rho[s];
    }
    return LinearSystems.solve(t, b);
  }

  /** {@return V*(rho) = sum_s rho(s) V*(s)} */
  public double vStarAtRho() {
    return dot(rho, vStar);
  }

  /**
   * {@return the action pi* takes at state s, as a row}
   * @param s a non-terminal state index
   */
  public int starRow(int s) {
    for (int r = mdp.rowStart(s); r < mdp.rowEnd(s); r++) {
      if (piStar.probAt(r) == 1) {
        return r;
      }
    }
    throw new IllegalArgumentException("state " + s + " is terminal");
  }

  /** {@return a copy of rho} */
  @Override
  public double[] rho() {
    return rho.clone();
  }

  /** {@return a copy of V*} */
  @Override
  public double[] vStar() {
    return vStar.clone();
  }

  /** {@return a copy of d*} */
  @Override
  public double[] dStar() {
    return dStar.clone();
  }

  static double dot(double[] x, double[] y) {
    double acc = 0;
    for (int i = 0; i < x.length; i++) {
      acc += x[i] * y[i];
    }
    return acc;
  }
}
